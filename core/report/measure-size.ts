/**
 * GitHub limits a comment body to 65,536 characters and a check run's output.summary to 65,535.
 * Sizes here are UTF-8 bytes, never fewer than characters however GitHub counts them, so a report
 * that fits by this measure fits by any.
 */

/** Comment bodies: at most 65,536 characters. */
export const COMMENT_LIMIT = 65_536;
/** A check run's output.summary and output.text: at most 65,535 characters. */
export const CHECK_RUN_LIMIT = 65_535;
/** A job summary ($GITHUB_STEP_SUMMARY): at most 1 MiB per step. */
export const JOB_SUMMARY_LIMIT = 1_048_576;

/** UTF-8 bytes of a string, without allocating. */
export function measureSize(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

/** The longest prefix of `text` (whole code points) that fits in `limit` bytes. */
export function cutToSize(text: string, limit: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = measureSize(char);
    if (bytes + size > limit) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}

/** GitHub's limit on an issue or pull request comment body, in characters. */
export const COMMENT_BODY_LIMIT = 65_536;
/** GitHub's limit on a check run's `output.summary` and `output.text` (its OpenAPI `maxLength`). */
export const CHECK_OUTPUT_LIMIT = 65_535;

const DEFAULT_NOTE = "_… truncated to fit GitHub's size limit; the full report is in the job summary._";

/**
 * Cuts Markdown to at most `limit` characters (UTF-16 code units, which never undercount GitHub's
 * characters) at a line boundary, closes a code fence or `<details>` the cut left open, and ends
 * with `note`. Text within the limit comes back unchanged.
 */
export function truncateMarkdown(text: string, limit: number, note = DEFAULT_NOTE): string {
  if (text.length <= limit) return text;
  const tail = `\n\n${note}`;
  for (let room = limit - tail.length; room > 0; room -= 64) {
    let kept = text.slice(0, room);
    const lastNewline = kept.lastIndexOf("\n");
    if (lastNewline > room / 2) kept = kept.slice(0, lastNewline);
    else if (/[\uD800-\uDBFF]$/.test(kept)) kept = kept.slice(0, -1);
    const result = `${kept.trimEnd()}${closers(kept)}${tail}`;
    if (result.length <= limit) return result;
  }
  return note.slice(0, limit);
}

/** What reopens well-formed Markdown after a cut: a code fence, then `</details>` for each still open. */
function closers(kept: string): string {
  const fences = kept.match(/^ {0,3}(```|~~~)/gm) ?? [];
  const fence = fences.length % 2 === 1 ? `\n${(fences[0] ?? "```").trim()}` : "";
  const opened = (kept.match(/<details\b/gi) ?? []).length - (kept.match(/<\/details>/gi) ?? []).length;
  return fence + "\n</details>".repeat(Math.max(0, opened));
}

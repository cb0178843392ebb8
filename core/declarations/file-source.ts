/**
 * Where declaration files come from: the working tree or a git commit. Core reads through this
 * interface only, so loading is the same for both and testable without I/O.
 */
export interface FileSource {
  /** A description for messages, such as `working tree` or `commit 1a2b3c4`. */
  readonly label: string;
  /** Every file under `dir` (relative, POSIX separators, "" for the top), recursively, sorted. */
  listFiles(dir: string): Promise<string[]>;
  /** A file's bytes, or undefined when it does not exist. */
  readFile(path: string): Promise<Uint8Array | undefined>;
  /**
   * At most the first `bytes` bytes of a file, and whether that is the whole file; undefined when
   * it does not exist. Optional: without it, readers use `readFile`.
   */
  readStart?(path: string, bytes: number): Promise<{ bytes: Uint8Array; complete: boolean } | undefined>;
}

/**
 * Where declaration files come from: the working tree or a git commit. Core reads through this
 * interface only, so loading is the same for both and testable without I/O.
 */
export interface FileSource {
  /** A description for messages, such as `working tree` or `commit 1a2b3c4`. */
  readonly label: string;
  /**
   * Every regular file under `dir` (relative, POSIX separators, "" for the top), recursively,
   * sorted. Symbolic links are never listed nor followed.
   */
  listFiles(dir: string): Promise<string[]>;
  /** A file's bytes, or undefined when it does not exist. */
  readFile(path: string): Promise<Uint8Array | undefined>;
  /**
   * At most the first `bytes` bytes of a file, and whether that is the whole file; undefined when
   * it does not exist. Optional: without it, readers use `readFile`.
   */
  readStart?(path: string, bytes: number): Promise<{ bytes: Uint8Array; complete: boolean } | undefined>;
  /** What is at a path, without following a symbolic link there; undefined when nothing is. */
  kindOf?(path: string): Promise<PathKind | undefined>;
  /** The symbolic links at `path`, on the way to it (its parent folders) and under it, sorted. */
  listSymlinks?(path: string): Promise<Symlink[]>;
}

export type PathKind = "file" | "folder" | "symlink";

export interface Symlink {
  /** The link, relative to the top of the source. */
  path: string;
  /** What the link points at, as written in it. */
  target: string;
}

/** The path a link's target names, relative to the top; it starts with "../" or "/" when it leaves. */
export function resolveSymlink(link: Symlink): string {
  if (link.target.startsWith("/")) return link.target;
  const parts = link.path.split("/").slice(0, -1);
  for (const part of link.target.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." && parts.length > 0 && parts.at(-1) !== "..") parts.pop();
    else parts.push(part);
  }
  return parts.join("/");
}

/** Whether a link points outside the top of its source. */
export function leavesSource(link: Symlink): boolean {
  const resolved = resolveSymlink(link);
  return resolved.startsWith("/") || resolved === ".." || resolved.startsWith("../");
}

/** The parent folders of a path and the path itself: `a/b/c` → `a`, `a/b`, `a/b/c`. */
export function pathPrefixes(path: string): string[] {
  const parts = path.split("/").filter((part) => part !== "");
  return parts.map((_, i) => parts.slice(0, i + 1).join("/"));
}

/**
 * Content digests of files: streaming sha256 and size of one file, and a combined digest of the files
 * that a list of paths, directories and globs names (for data digests in run manifests).
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import picomatch from "picomatch";
import { UserError } from "../../core/errors.ts";
import { resolveInside } from "./resolve-inside.ts";

export interface FileDigest {
  sha256: string;
  size: number;
}

export interface PathsDigest extends FileDigest {
  /** Every file hashed, by path relative to the root (with `/`), sorted. */
  files: Array<FileDigest & { path: string }>;
}

/** sha256 (hex) and size in bytes of a file, read as a stream. */
export async function hashFile(path: string): Promise<FileDigest> {
  const hash = createHash("sha256");
  let size = 0;
  try {
    for await (const chunk of createReadStream(path)) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
  } catch (error) {
    throw describeReadError(error, path);
  }
  return { sha256: hash.digest("hex"), size };
}

/**
 * Hashes the files that `paths` name under `root`: a file itself, every file under a directory, every
 * file a glob matches. The combined sha256 is over `<sha256>  <path>\n` lines of the sorted files (the
 * `sha256sum` format), so it changes when any file's content or name changes; size is the total.
 */
export async function hashPaths(root: string, paths: readonly string[]): Promise<PathsDigest> {
  const found = new Set<string>();
  for (const path of paths) {
    await resolveInside(root, picomatch.scan(path).base || ".", "data path");
    const matches = await listFiles(root, path);
    if (matches.length === 0) throw new UserError(`${path}: no files match under ${root}`);
    for (const match of matches) found.add(match);
  }
  const sorted = [...found].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // A path or a symbolic link that leads out of the root is refused before any byte is read.
  for (const path of sorted) await resolveInside(root, path, "data file");
  const files: PathsDigest["files"] = [];
  for (const path of sorted) files.push({ path, ...(await hashFile(resolve(root, path))) });
  const combined = createHash("sha256");
  for (const file of files) combined.update(`${file.sha256}  ${file.path}\n`);
  const size = files.reduce((total, file) => total + file.size, 0);
  return { sha256: combined.digest("hex"), size, files };
}

/**
 * The digest of one declared data path, as a run manifest records it: a single file's own sha256, or
 * for a directory or glob the combined digest of `hashPaths`.
 */
export async function digestDataPath(
  root: string,
  path: string,
): Promise<FileDigest & { path: string; files: number }> {
  const digest = await hashPaths(root, [path]);
  const [only] = digest.files;
  const isOneFile =
    digest.files.length === 1 && only !== undefined && only.path === toRelative(root, resolve(root, path));
  const sha256 = isOneFile ? only.sha256 : digest.sha256;
  return { path, sha256, size: digest.size, files: digest.files.length };
}

/** The files one path, directory or glob names, relative to root with `/` separators. */
async function listFiles(root: string, path: string): Promise<string[]> {
  const scan = picomatch.scan(path);
  if (scan.isGlob) {
    const isMatch = picomatch(path, { dot: true });
    const base = resolve(root, scan.base);
    const files = await walk(base).catch((error: unknown) => {
      if (isMissing(error)) return [];
      throw describeReadError(error, base);
    });
    return files.map((file) => toRelative(root, file)).filter((file) => isMatch(file));
  }
  const absolute = resolve(root, path);
  const info = await stat(absolute).catch((error: unknown) => {
    throw describeReadError(error, path);
  });
  if (info.isDirectory()) return (await walk(absolute)).map((file) => toRelative(root, file));
  return [toRelative(root, absolute)];
}

/** Every regular file under a directory (following links to files, not to directories); skips `.git`. */
async function walk(directory: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== ".git") files.push(...(await walk(path)));
    } else if (entry.isFile()) {
      files.push(path);
    } else if (entry.isSymbolicLink()) {
      const target = await stat(path).catch(() => undefined);
      if (target?.isFile()) files.push(path);
    }
  }
  return files;
}

function toRelative(root: string, path: string): string {
  return relative(resolve(root), path).split(sep).join("/");
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

function describeReadError(error: unknown, path: string): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return new UserError(`file not found: ${path}`, { cause: error });
  if (code === "EISDIR")
    return new UserError(`expected a file, found a directory: ${path}`, { cause: error });
  if (code === "EACCES") return new UserError(`permission denied: ${path}`, { cause: error });
  return error instanceof Error ? error : new Error(String(error));
}

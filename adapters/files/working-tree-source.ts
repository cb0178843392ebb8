import { lstat, open, readdir, readFile, readlink } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import {
  type FileSource,
  type PathKind,
  pathPrefixes,
  type Symlink,
} from "../../core/declarations/file-source.ts";

const SKIPPED = new Set([".git", "node_modules"]);

const isMissing = (error: unknown): boolean => {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
};

/** Regular files (and, with `links`, symbolic links) under `dir`; links are never followed. */
async function walk(top: string, dir: string, out: string[], links?: Symlink[]): Promise<void> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  for (const entry of entries) {
    if (SKIPPED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    const name = relative(top, path).split(sep).join("/");
    if (entry.isDirectory()) await walk(top, path, out, links);
    else if (entry.isFile()) out.push(name);
    else if (entry.isSymbolicLink() && links) links.push({ path: name, target: await readlink(path) });
  }
}

/** Declaration files as they are on disk under `top`. */
export function workingTreeSource(top: string): FileSource {
  const kindOf = async (path: string): Promise<PathKind | undefined> => {
    try {
      const info = await lstat(join(top, path));
      if (info.isSymbolicLink()) return "symlink";
      return info.isDirectory() ? "folder" : "file";
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  };
  return {
    label: "working tree",
    async listFiles(dir) {
      const out: string[] = [];
      await walk(top, join(top, dir), out);
      return out.sort();
    },
    async readStart(path, bytes) {
      let handle: import("node:fs/promises").FileHandle;
      try {
        handle = await open(join(top, path), "r");
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT" || code === "EISDIR") return undefined;
        throw error;
      }
      try {
        const buffer = Buffer.alloc(bytes);
        const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
        const { size } = await handle.stat();
        return { bytes: buffer.subarray(0, bytesRead), complete: bytesRead >= size };
      } finally {
        await handle.close();
      }
    },
    async readFile(path) {
      try {
        return await readFile(join(top, path));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (isMissing(error) || code === "EISDIR") return undefined;
        throw error;
      }
    },
    kindOf,
    async listSymlinks(path) {
      const links: Symlink[] = [];
      for (const prefix of pathPrefixes(path)) {
        const kind = await kindOf(prefix);
        if (kind === "symlink") links.push({ path: prefix, target: await readlink(join(top, prefix)) });
        if (kind !== "folder") return links;
      }
      await walk(top, join(top, path), [], links);
      return links.sort((a, b) => a.path.localeCompare(b.path));
    },
  };
}

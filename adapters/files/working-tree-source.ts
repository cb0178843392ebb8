import { open, readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import type { FileSource } from "../../core/declarations/file-source.ts";

const SKIPPED = new Set([".git", "node_modules"]);

async function walk(top: string, dir: string, out: string[]): Promise<void> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === "ENOENT" ||
      (error as NodeJS.ErrnoException).code === "ENOTDIR"
    )
      return;
    throw error;
  }
  for (const entry of entries) {
    if (SKIPPED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(top, path, out);
    else if (entry.isFile()) out.push(relative(top, path).split(sep).join("/"));
  }
}

/** Declaration files as they are on disk under `top`. */
export function workingTreeSource(top: string): FileSource {
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
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
    },
  };
}

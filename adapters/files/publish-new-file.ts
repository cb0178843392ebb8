import { randomBytes } from "node:crypto";
import { link, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Creates `path` with `text`, all at once and never over an existing file: the text goes to a
 * temporary file beside it (created with the `wx` flag), which is then hard-linked to `path`.
 * link(2) fails when `path` exists, so of two writers racing for one name exactly one wins, and a
 * reader never sees a half-written file. Returns false when `path` already exists. Where hard
 * links are not supported, `path` itself is created with `wx` and removed again if writing fails.
 */
export async function publishNewFile(path: string, text: string): Promise<boolean> {
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  await writeFile(temp, text, { flag: "wx" });
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EXDEV" && code !== "ENOSYS") throw error;
    return writeExclusive(path, text);
  } finally {
    await rm(temp, { force: true });
  }
}

async function writeExclusive(path: string, text: string): Promise<boolean> {
  try {
    await writeFile(path, text, { flag: "wx" });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    await rm(path, { force: true });
    throw error;
  }
}

/** The names of the files in a folder; none when it does not exist. */
export async function listFileNames(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return [];
    throw error;
  }
}

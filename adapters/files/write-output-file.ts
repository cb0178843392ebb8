import { statSync } from "node:fs";
import { mkdir, stat, writeFile } from "node:fs/promises";
import { basename, dirname } from "node:path";

import { UserError } from "../../core/errors.ts";

export interface OutputFileOptions {
  /** The option that named the file, for messages (default `--out`). */
  option?: string;
  /** The file name suggested inside a folder given by mistake. */
  fileName?: string;
}

/**
 * Checks, before any work is done, that a file a command was asked for (`--out FILE`) can be
 * written, creating missing folders. A folder given instead of a file, or a file where a folder is
 * needed, is a UserError naming the option, never a raw ENOENT/EEXIST/EISDIR.
 */
export async function prepareOutputFile(path: string, options: OutputFileOptions = {}): Promise<void> {
  const shown = `${options.option ?? "--out"} ${path}`;
  const folder = /[\\/]$/.test(path) || (await stat(path).catch(() => undefined))?.isDirectory();
  if (folder) {
    const example = `${path.replace(/[\\/]+$/, "")}/${options.fileName ?? basename(path)}`;
    throw new UserError(`${shown}: that is a folder; name the file to write, such as ${example}`);
  }
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const blocking = code === "EEXIST" || code === "ENOTDIR" ? firstFileOnPath(path) : undefined;
    if (blocking !== undefined)
      throw new UserError(`${shown}: ${blocking} is a file, not a folder`, { cause: error });
    throw new UserError(`${shown}: cannot create its folder: ${(error as Error).message}`, { cause: error });
  }
}

/** Writes the file after `prepareOutputFile`'s checks; errors name the option. */
export async function writeOutputFile(
  path: string,
  text: string,
  options: OutputFileOptions = {},
): Promise<void> {
  await prepareOutputFile(path, options);
  const shown = `${options.option ?? "--out"} ${path}`;
  try {
    await writeFile(path, text);
  } catch (error) {
    throw new UserError(`${shown}: cannot write it: ${(error as Error).message}`, { cause: error });
  }
}

/** The first ancestor of `path` that exists and is not a folder. */
function firstFileOnPath(path: string): string | undefined {
  const parts = dirname(path).split(/[\\/]/);
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join("/");
    if (prefix === "") continue;
    const info = (() => {
      try {
        return statSync(prefix);
      } catch {
        return undefined;
      }
    })();
    if (info === undefined) return undefined;
    if (!info.isDirectory()) return prefix;
  }
  return undefined;
}

import { realpath } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { UserError } from "../../core/errors.ts";

/** Whether `path` is `folder` or inside it (both absolute and resolved). */
export function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

const realOrSelf = async (path: string): Promise<string> => {
  try {
    return await realpath(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return path;
    throw error;
  }
};

/**
 * The real path of `path` (relative to `folder`, or absolute), refused when it resolves outside
 * `folder` after symbolic links: a declaration's path never reads or writes outside the folder it
 * belongs to. A path that does not exist yet is checked as written. The message names the path and
 * where it leads, never the file's content.
 */
export async function resolveInside(folder: string, path: string, what: string): Promise<string> {
  const top = await realOrSelf(resolve(folder));
  const written = resolve(folder, path);
  if (!isInside(resolve(folder), written)) {
    throw new UserError(`${what} ${path} is outside ${folder}; paths stay inside the folder they belong to`);
  }
  const real = await realOrSelf(written);
  if (!isInside(top, real)) {
    throw new UserError(
      `${what} ${path} leads outside ${folder} (to ${real}) through a symbolic link; paths stay inside the folder they belong to`,
    );
  }
  return real;
}

/**
 * The trainer files of a `modelci init` template (templates/<name>/ in this repository and in
 * the published package), found by walking up from this file: the sources and the compiled
 * dist/ sit at different depths.
 */
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { UserError } from "../../core/errors.ts";

/** templates/<name>, or undefined when this installation has none. */
export function findTemplateDir(name: string): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 5; up += 1) {
    const candidate = join(dir, "templates", name);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}

/** Every file of the template, by path relative to the template folder. */
export async function readTemplateFiles(name: string): Promise<Record<string, string>> {
  const root = findTemplateDir(name);
  if (root === undefined)
    throw new UserError(`no template ${JSON.stringify(name)} in this modelci installation`);
  const files: Record<string, string> = {};
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.name === "__pycache__") continue;
    const path = join(entry.parentPath, entry.name);
    files[
      path
        .slice(root.length + 1)
        .split("\\")
        .join("/")
    ] = await readFile(path, "utf8");
  }
  return files;
}

import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { workingTreeSource } from "../adapters/files/working-tree-source.ts";
import { gitRefSource } from "../adapters/git/git-ref-source.ts";
import type { FileSource } from "../core/declarations/file-source.ts";
import { UsageError } from "../core/errors.ts";

/** The declarations of a repository folder: its working tree, or a git revision when `ref` is set. */
export async function openSource(root: string, ref: string | undefined): Promise<FileSource> {
  const dir = resolve(root);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(`--root ${root}: no such folder`);
  return ref === undefined ? workingTreeSource(dir) : gitRefSource(dir, ref);
}

import { resolve } from "node:path";
import { workingTreeSource } from "../adapters/files/working-tree-source.ts";
import { gitRefSource } from "../adapters/git/git-ref-source.ts";
import type { FileSource } from "../core/declarations/file-source.ts";
import { checkRootFolder } from "./check-root-folder.ts";

/** The declarations of a repository folder: its working tree, or a git revision when `ref` is set. */
export async function openSource(root: string, ref: string | undefined): Promise<FileSource> {
  checkRootFolder(root);
  const dir = resolve(root);
  return ref === undefined ? workingTreeSource(dir) : gitRefSource(dir, ref);
}

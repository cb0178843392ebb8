import { classifyPath } from "../../core/declarations/classify-path.ts";
import type { FileSource } from "../../core/declarations/file-source.ts";
import { type DeclarationSelection, selectsFile } from "../../core/promotion/select-declarations.ts";
import type { GitReader, Tree } from "./git-reader.ts";

const DIR = /(experiments|models|deployments)$/;

/**
 * The declarations of one commit as a FileSource, limited to a selection: listing costs nothing
 * (the tree is read once), and only the files listed are fetched, in parallel, one request per
 * distinct blob.
 */
export function treeFileSource(reader: GitReader, tree: Tree, selection: DeclarationSelection): FileSource {
  return {
    label: `commit ${tree.sha.slice(0, 12)}`,
    async listFiles(dir) {
      const root = dir.replace(DIR, "");
      const prefix = dir === "" ? "" : `${dir}/`;
      const paths = [...tree.files.keys()]
        .filter((path) => path.startsWith(prefix))
        .filter((path) => selectsFile(selection, classifyPath(path.slice(root.length)), path))
        .sort();
      // Start every read now; readFile awaits them one by one.
      for (const path of paths) reader.blob(tree.files.get(path) as string).catch(() => undefined);
      return paths;
    },
    async readFile(path) {
      const sha = tree.files.get(path);
      return sha === undefined ? undefined : reader.blob(sha);
    },
  };
}

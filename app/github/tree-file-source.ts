import { classifyPath } from "../../core/declarations/classify-path.ts";
import { type FileSource, pathPrefixes, type Symlink } from "../../core/declarations/file-source.ts";
import { CONFIG_FILE } from "../../core/declarations/load-project.ts";
import { type DeclarationSelection, selectsFile } from "../../core/promotion/select-declarations.ts";
import type { GitReader, Tree } from "./git-reader.ts";

const DIR = /(experiments|models|deployments)$/;

/**
 * The declarations of one commit as a FileSource, limited to a selection: listing costs nothing
 * (the tree is read once), and only the files listed are fetched, in parallel, one request per
 * distinct blob. Symbolic links on the way to or under the folders read are listed (their target
 * text fetched), so the loader refuses them as it does in a checkout.
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
    async listSymlinks(path) {
      const on = new Set(pathPrefixes(path));
      const under = path === "" ? "" : `${path}/`;
      const links: Symlink[] = [];
      for (const [link, sha] of tree.symlinks ?? []) {
        if (!on.has(link) && !link.startsWith(under)) continue;
        links.push({ path: link, target: new TextDecoder().decode(await reader.blob(sha)) });
      }
      return links.sort((a, b) => a.path.localeCompare(b.path));
    },
  };
}

/** Where a modelci root may end in a path: before each experiments/, models/ or deployments/ folder. */
const ROOT_END = /(^|\/)(?=(experiments|models|deployments)\/)/g;

/**
 * The blob ids a selection reads from a tree, before the root is known (modelci.yaml names it): a
 * path counts when it is selected under any root it could have. Reading a few more is harmless;
 * the loader then finds every file it asks for already read.
 */
export function listSelectedBlobs(tree: Tree, selection: DeclarationSelection): string[] {
  const ids: string[] = [];
  for (const [path, id] of tree.files) {
    const roots = [...path.matchAll(ROOT_END)].map((match) => path.slice(0, match.index + match[0].length));
    const selected =
      path === CONFIG_FILE ||
      roots.some((root) => selectsFile(selection, classifyPath(path.slice(root.length)), path));
    if (selected) ids.push(id);
  }
  return ids;
}

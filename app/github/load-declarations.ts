import { classifyPath } from "../../core/declarations/classify-path.ts";
import { type Diagnostic, sortDiagnostics } from "../../core/declarations/diagnostic.ts";
import { loadProject } from "../../core/declarations/load-project.ts";
import type { Project } from "../../core/declarations/project.ts";
import type { DeclarationSelection } from "../../core/promotion/select-declarations.ts";
import { checkProject } from "../../core/rules/validate-project.ts";
import type { GitReader, Tree } from "./git-reader.ts";
import { treeFileSource } from "./tree-file-source.ts";

/** The selected declarations of a commit, checked, with the commit's tree. */
export interface CommitDeclarations {
  sha: string;
  tree: Tree;
  project: Project;
  /** Schema errors of the files read, and cross-file rule findings. */
  diagnostics: Diagnostic[];
}

/** Records every declaration file of the tree as present, read or not, so cross-file rules see them all. */
function addPresent(project: Project, tree: Tree): void {
  for (const path of tree.files.keys()) {
    if (!path.startsWith(project.root)) continue;
    const classified = classifyPath(path.slice(project.root.length));
    if (classified.kind === "experiment") project.present.experiments.add(classified.name);
    if (classified.kind === "model") project.present.models.add(classified.name);
    if (classified.kind === "deployment") project.present.deployments.add(classified.name);
    if (classified.kind === "version") project.present.versions.add(classified.name);
  }
}

/**
 * Loads a selection of a commit's declarations through the GitHub API, the way `modelci validate`
 * loads a checkout: the same loader, the same schemas, the same cross-file rules.
 */
export async function loadDeclarations(
  reader: GitReader,
  sha: string,
  selection: DeclarationSelection,
): Promise<CommitDeclarations> {
  const tree = await reader.tree(sha);
  const loaded = await loadProject(treeFileSource(reader, tree, selection));
  addPresent(loaded.project, tree);
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...checkProject(loaded.project)]);
  return { sha, tree, project: loaded.project, diagnostics };
}

/** Git blob ids of the files under `prefix` in a tree. */
export function blobIdsUnder(tree: Tree, prefix: string): Map<string, string> {
  return new Map([...tree.files].filter(([path]) => path.startsWith(prefix)));
}

/** Nothing but the targets: the first read of a commit. */
export const TARGETS_ONLY: DeclarationSelection = {
  deployments: "all",
  models: new Set(),
  versions: new Set(),
  paths: new Set(),
};

import type { Classified } from "../declarations/classify-path.ts";
import { classifyPath } from "../declarations/classify-path.ts";
import type { Project } from "../declarations/project.ts";
import { listServed } from "./describe-served.ts";

/**
 * Which declaration files to read at a commit. Without a clone every file is a request, so the
 * App reads only what the rules consult: the targets, the changed files, and the policies and
 * version files of the models a change involves.
 */
export interface DeclarationSelection {
  /** Target names to read, or every target. */
  deployments: "all" | ReadonlySet<string>;
  /** Models whose model.yaml to read, or every model. */
  models: "all" | ReadonlySet<string>;
  /** Version files to read, as `model@version`. */
  versions: ReadonlySet<string>;
  /** Paths (relative to the repository) read whatever they hold: the files a pull request changes. */
  paths: ReadonlySet<string>;
}

/** Whether a selection reads the file at `path`, classified relative to the modelci root. */
export function selectsFile(selection: DeclarationSelection, classified: Classified, path: string): boolean {
  if (selection.paths.has(path)) return true;
  switch (classified.kind) {
    case "deployment":
      return selection.deployments === "all" || selection.deployments.has(classified.name);
    case "model":
      return selection.models === "all" || selection.models.has(classified.name);
    case "version":
      return selection.versions.has(classified.name);
    default:
      return false;
  }
}

/** The declaration a changed path holds under a project's root, if any. */
function classifyChanged(project: Project, path: string): Classified | undefined {
  return path.startsWith(project.root) ? classifyPath(path.slice(project.root.length)) : undefined;
}

/**
 * After a first read of the targets and changed files: every model a change involves (the models
 * of a changed target at the base and the head, of a changed policy or version file), with its
 * policy and every version that any read target serves (champions, the served signature, stage
 * order, the incoming versions). A selection of every policy stays so.
 */
export function widenSelection(
  base: Project,
  head: Project,
  changed: readonly string[],
  selection: DeclarationSelection,
): DeclarationSelection {
  const models = new Set<string>(selection.models === "all" ? [] : selection.models);
  const versions = new Set(selection.versions);
  for (const path of changed) {
    for (const project of [base, head]) {
      const classified = classifyChanged(project, path);
      if (classified?.kind === "model") models.add(classified.name);
      if (classified?.kind === "version") {
        models.add(classified.model);
        versions.add(classified.name);
      }
      if (classified?.kind !== "deployment") continue;
      for (const side of [base, head]) {
        for (const model of Object.keys(side.deployments.get(classified.name)?.value.models ?? {}))
          models.add(model);
      }
    }
  }
  for (const model of models) {
    for (const project of [base, head]) {
      for (const declared of project.deployments.values())
        for (const served of listServed(declared.value.models[model]))
          versions.add(`${model}@${served.version}`);
    }
  }
  return { ...selection, models: selection.models === "all" ? "all" : models, versions };
}

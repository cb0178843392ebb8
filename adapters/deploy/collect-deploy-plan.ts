/** The deploy plan of a repository folder between two commits, read through git without a checkout. */
import { formatDiagnostic } from "../../core/declarations/diagnostic.ts";
import type { Project } from "../../core/declarations/project.ts";
import { type DeployPlan, planDeploy } from "../../core/deploy/plan-deploy.ts";
import { ConfigError } from "../../core/errors.ts";
import { validateProject } from "../../core/rules/validate-project.ts";
import { resolveCommit } from "../git/changed-paths.ts";
import { snapshotSource } from "../git/snapshot-source.ts";

async function loadAt(dir: string, sha: string): Promise<Project> {
  const validation = await validateProject(await snapshotSource(dir, sha));
  if (validation.errors > 0) {
    const lines = validation.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic);
    throw new ConfigError(`the declarations at ${sha.slice(0, 12)} are invalid:\n${lines.join("\n")}`);
  }
  return validation.project;
}

export interface CollectedPlan {
  before?: string | undefined;
  after: string;
  project: Project;
  plan: DeployPlan;
}

/**
 * With `before`: the targets whose deployment files changed from `before` to `after`. Without it (a
 * re-deploy): `only`'s target as `after` has it, with what it served at `after`'s parent as the
 * rollback, when that differs.
 */
export async function collectDeployPlan(
  dir: string,
  options: { before?: string | undefined; after: string; only?: string | undefined },
): Promise<CollectedPlan> {
  const after = await resolveCommit(dir, options.after);
  if (options.before !== undefined) {
    const before = await resolveCommit(dir, options.before);
    const [old, project] = await Promise.all([loadAt(dir, before), loadAt(dir, after)]);
    const plan = planDeploy(old, project, { only: options.only });
    return { before, after, project, plan };
  }
  const project = await loadAt(dir, after);
  const parent = await resolveCommit(dir, `${after}^`).catch(() => undefined);
  const previous = parent === undefined ? undefined : await loadAt(dir, parent).catch(() => undefined);
  const plan = planDeploy(previous, project, { only: options.only, force: true });
  return { before: parent, after, project, plan };
}

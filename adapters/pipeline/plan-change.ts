import { formatDiagnostic } from "../../core/declarations/diagnostic.ts";
import { ConfigError } from "../../core/errors.ts";
import { type Plan, planRuns } from "../../core/plan/plan-runs.ts";
import { validateProject } from "../../core/rules/validate-project.ts";
import { changedPaths, resolveCommit } from "../git/changed-paths.ts";
import { gitRefSource } from "../git/git-ref-source.ts";

export interface PlannedChange {
  base: string;
  head: string;
  changed: string[];
  plan: Plan;
}

/**
 * Plans the training runs for the change from `base` to `head` in the repository folder `dir`.
 * Declarations are read at `head` through git; invalid ones stop the plan with their diagnostics.
 */
export async function planChange(dir: string, base: string, head: string): Promise<PlannedChange> {
  const baseSha = await resolveCommit(dir, base);
  const headSha = await resolveCommit(dir, head);
  const validation = await validateProject(await gitRefSource(dir, headSha));
  if (validation.errors > 0) {
    const lines = validation.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic);
    throw new ConfigError(`the declarations at ${head} are invalid:\n${lines.join("\n")}`);
  }
  const changed = await changedPaths(dir, baseSha, headSha);
  return { base: baseSha, head: headSha, changed, plan: planRuns(validation.project, changed) };
}

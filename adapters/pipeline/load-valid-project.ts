import { formatDiagnostic } from "../../core/declarations/diagnostic.ts";
import type { Project } from "../../core/declarations/project.ts";
import { ConfigError } from "../../core/errors.ts";
import { validateProject } from "../../core/rules/validate-project.ts";
import { workingTreeSource } from "../files/working-tree-source.ts";
import { ensureCommit } from "../git/ensure-commit.ts";
import { gitRefSource } from "../git/git-ref-source.ts";

/** The working tree's declarations, or a ConfigError listing every error in them. */
export async function loadValidProject(dir: string): Promise<Project> {
  const validation = await validateProject(workingTreeSource(dir));
  if (validation.errors > 0) {
    const lines = validation.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic);
    throw new ConfigError(`the declarations in ${dir} are invalid:\n${lines.join("\n")}`);
  }
  return validation.project;
}

/** The declarations at a git revision (fetched when the clone lacks it), or a ConfigError listing their errors. */
export async function loadValidProjectAt(dir: string, rev: string): Promise<Project> {
  const commit = await ensureCommit(dir, rev);
  const validation = await validateProject(await gitRefSource(dir, commit));
  if (validation.errors > 0) {
    const lines = validation.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic);
    throw new ConfigError(`the declarations at ${rev} are invalid:\n${lines.join("\n")}`);
  }
  return validation.project;
}

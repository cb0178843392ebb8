import { formatDiagnostic } from "../../core/declarations/diagnostic.ts";
import type { Project } from "../../core/declarations/project.ts";
import { ConfigError } from "../../core/errors.ts";
import { validateProject } from "../../core/rules/validate-project.ts";
import { workingTreeSource } from "../files/working-tree-source.ts";

/** The working tree's declarations, or a ConfigError listing every error in them. */
export async function loadValidProject(dir: string): Promise<Project> {
  const validation = await validateProject(workingTreeSource(dir));
  if (validation.errors > 0) {
    const lines = validation.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic);
    throw new ConfigError(`the declarations in ${dir} are invalid:\n${lines.join("\n")}`);
  }
  return validation.project;
}

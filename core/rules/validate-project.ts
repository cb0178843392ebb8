import { type Diagnostic, hasErrors, sortDiagnostics } from "../declarations/diagnostic.ts";
import type { FileSource } from "../declarations/file-source.ts";
import { loadProject } from "../declarations/load-project.ts";
import type { Project } from "../declarations/project.ts";
import { checkDataPaths } from "./check-data-paths.ts";
import { checkDeployments } from "./check-deployments.ts";
import { checkExperiments } from "./check-experiments.ts";
import { checkModels } from "./check-models.ts";
import { checkSomethingDeclared } from "./check-something-declared.ts";
import { checkVersions } from "./check-versions.ts";
import { Findings } from "./rule-context.ts";

/** The cross-file rules over a loaded project. Pure: data in, diagnostics out. */
export function checkProject(project: Project): Diagnostic[] {
  const findings = new Findings();
  checkExperiments(project, findings);
  checkModels(project, findings);
  checkVersions(project, findings);
  checkDeployments(project, findings);
  return findings.list;
}

export interface Validation {
  project: Project;
  diagnostics: Diagnostic[];
  errors: number;
  warnings: number;
}

export interface ValidateOptions {
  /** Also check that every data path exists and the evaluation header has its columns (`modelci validate`). */
  data?: boolean;
  /** Declaring nothing at all is an error (for `validate`: a wrong root must not pass). */
  requireDeclarations?: boolean;
}

/** Loads every declaration from a source and checks it: schema errors first, then cross-file rules. */
export async function validateProject(
  source: FileSource,
  options: ValidateOptions = {},
): Promise<Validation> {
  const loaded = await loadProject(source);
  const found = [...loaded.diagnostics, ...checkProject(loaded.project)];
  if (options.data === true) {
    const findings = new Findings();
    await checkDataPaths(loaded.project, source, findings);
    found.push(...findings.list);
  }
  // Nothing declared is an error only when nothing else explains it (a root that is a file…).
  const empty =
    options.requireDeclarations && !hasErrors(found)
      ? checkSomethingDeclared(loaded.project, source.label)
      : undefined;
  const diagnostics = sortDiagnostics(empty ? [...found, empty] : found);
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  return { project: loaded.project, diagnostics, errors, warnings: diagnostics.length - errors };
}

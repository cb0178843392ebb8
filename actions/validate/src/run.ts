import { relative, resolve } from "node:path";
import * as core from "@actions/core";
import { workingTreeSource } from "../../../adapters/files/working-tree-source.ts";
import { gitRefSource } from "../../../adapters/git/git-ref-source.ts";
import { formatDiagnostic } from "../../../core/declarations/diagnostic.ts";
import { describeError } from "../../../core/errors.ts";
import { validateProject } from "../../../core/rules/validate-project.ts";
import { readValidateInputs } from "./inputs.ts";

/** Validates the declarations, annotates each problem, sets outputs; fails the step on errors. */
export async function run(): Promise<void> {
  try {
    const inputs = readValidateInputs();
    const dir = resolve(inputs.root);
    const source = inputs.ref === undefined ? workingTreeSource(dir) : await gitRefSource(dir, inputs.ref);
    const { diagnostics, errors, warnings } = await validateProject(source, {
      data: true,
      requireDeclarations: true,
    });
    const prefix = relative(process.cwd(), dir);
    for (const d of diagnostics) {
      const properties = {
        file: prefix === "" ? d.file : `${prefix}/${d.file}`,
        startLine: d.line,
        startColumn: d.col,
        title: `modelci: ${d.field === "" ? "declaration" : d.field}`,
      };
      const message = d.field === "" ? d.message : `${d.field}: ${d.message}`;
      if (d.severity === "error") core.error(message, properties);
      else core.warning(message, properties);
      core.info(formatDiagnostic(d));
    }
    const failed = errors > 0 || (inputs.strict && warnings > 0);
    core.setOutput("valid", String(!failed));
    core.setOutput("errors", String(errors));
    core.setOutput("warnings", String(warnings));
    if (failed)
      core.setFailed(`modelci validate: ${errors} error(s), ${warnings} warning(s) in ${inputs.root}`);
    else core.info(`modelci validate: valid (${warnings} warning(s)) in ${inputs.root} (${source.label})`);
  } catch (error) {
    core.setFailed(describeError(error));
  }
}

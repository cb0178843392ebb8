import type { Diagnostic } from "../declarations/diagnostic.ts";
import { CONFIG_FILE } from "../declarations/load-project.ts";
import { locateNode } from "../declarations/locate-node.ts";
import type { Project } from "../declarations/project.ts";

/**
 * An error when a project declares nothing at all: validating a folder without declarations (a
 * wrong `--root`, or a wrong `root` in modelci.yaml) must not pass. It says where it looked.
 */
export function checkSomethingDeclared(project: Project, label: string): Diagnostic | undefined {
  const { present } = project;
  const found =
    present.experiments.size + present.models.size + present.versions.size + present.deployments.size;
  if (found > 0) return undefined;
  const root = project.root;
  const searched = `${root}experiments/, ${root}models/ and ${root}deployments/`;
  const check = project.configSource ? "check --root and `root` in modelci.yaml" : "check --root";
  const message = `no declarations found: searched ${searched} (${label}); ${check}`;
  if (project.configSource) {
    const { line, col } = locateNode(project.configSource, root === "" ? [] : ["root"]);
    return { severity: "error", file: CONFIG_FILE, line, col, field: root === "" ? "" : "root", message };
  }
  return { severity: "error", file: ".", line: 1, col: 1, field: "", message };
}

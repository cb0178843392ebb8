import { didYouMean } from "../declarations/did-you-mean.ts";
import type { Project } from "../declarations/project.ts";
import type { Findings } from "./rule-context.ts";

/** Versions: they belong to a declared model and their number matches their file name. */
export function checkVersions(project: Project, findings: Findings): void {
  for (const [model, versions] of project.versions) {
    for (const [number, declared] of versions) {
      if (!project.present.models.has(model)) {
        findings.error(
          declared,
          [],
          `belongs to model ${JSON.stringify(model)}, which has no ${project.root}models/${model}/model.yaml${didYouMean(model, [...project.present.models])}`,
        );
      }
      if (declared.value.version !== number) {
        findings.error(
          declared,
          ["version"],
          `is ${declared.value.version} but the file is named ${number}.yaml; they must match`,
        );
      }
    }
  }
}

import { didYouMean } from "../declarations/did-you-mean.ts";
import type { Project } from "../declarations/project.ts";
import { checkCron } from "./check-cron.ts";
import { checkKserveSplit } from "./check-kserve-split.ts";
import type { Findings } from "./rule-context.ts";

/** Deployment targets: served models and versions exist, canaries add up, monitoring is sound. */
export function checkDeployments(project: Project, findings: Findings): void {
  const environments = new Map<string, string>();
  for (const declared of project.deployments.values()) {
    const { value } = declared;
    const environment = value.environment ?? declared.name;
    const other = environments.get(environment);
    if (other !== undefined) {
      findings.error(
        declared,
        ["environment"],
        `environment ${JSON.stringify(environment)} is also used by ${other}`,
      );
    }
    environments.set(environment, declared.file);

    for (const [model, served] of Object.entries(value.models)) {
      const path = ["models", model];
      if (!project.present.models.has(model)) {
        findings.add(
          "error",
          declared,
          path,
          `model ${JSON.stringify(model)} is not declared${didYouMean(model, [...project.present.models])}`,
          "key",
        );
        continue;
      }
      if ((served.version === undefined) === (served.canary === undefined)) {
        findings.error(declared, path, "set exactly one of `version` or `canary`");
        continue;
      }
      const versions = served.canary?.map((c, i) => ({
        version: c.version,
        path: [...path, "canary", i, "version"],
      })) ?? [{ version: served.version as number, path: [...path, "version"] }];
      if (served.shadow !== undefined) versions.push({ version: served.shadow, path: [...path, "shadow"] });
      for (const { version, path: at } of versions) {
        if (!project.present.versions.has(`${model}@${version}`)) {
          findings.error(
            declared,
            at,
            `${model} version ${version} is not registered (no ${project.root}models/${model}/versions/${version}.yaml)`,
          );
        }
      }
      if (served.canary) {
        const total = served.canary.reduce((sum, c) => sum + c.weight, 0);
        if (Math.abs(total - 100) > 1e-9)
          findings.error(declared, [...path, "canary"], `weights add up to ${total}, not 100`);
        const unique = new Set(served.canary.map((c) => c.version));
        if (unique.size !== served.canary.length)
          findings.error(declared, [...path, "canary"], "lists a version twice");
      }
      if (value.driver.kind === "kubernetes") checkKserveSplit(declared, model, served, findings);
    }

    const monitoring = value.monitoring;
    if (monitoring) {
      const problem = checkCron(monitoring.schedule);
      if (problem) findings.error(declared, ["monitoring", "schedule"], problem);
      const { path, command } = monitoring.current;
      if ((path === undefined) === (command === undefined)) {
        findings.error(declared, ["monitoring", "current"], "set exactly one of `path` or `command`");
      }
    }
  }
}

/**
 * What a deployment target serves, read from the working tree's declarations: each model's
 * versions and weights, its shadow, the version manifests, and the target's driver and monitoring.
 */
import { join } from "node:path";
import { loadValidProject } from "../adapters/pipeline/load-valid-project.ts";
import type { StoreContext } from "../adapters/stores/create-artifact-store.ts";
import { didYouMean } from "../core/declarations/did-you-mean.ts";
import { declarationPath } from "../core/declarations/project.ts";
import { UserError } from "../core/errors.ts";
import { servedVersions } from "../core/registry/find-champion.ts";
import type { WeightedVersion } from "../core/serve/pick-version.ts";
import type { Deployment } from "../schemas/deployment.ts";
import type { VersionToLoad } from "./load-version.ts";

export interface ServedModel {
  split: WeightedVersion[];
  shadow: number | undefined;
  /** Every version to load (the split's and the shadow), by number. */
  versions: Map<number, VersionToLoad>;
}

export interface TargetPlan {
  target: string;
  /** The deployment file, absolute. */
  file: string;
  deployment: Deployment;
  models: Map<string, ServedModel>;
  stores: StoreContext;
  /** The input log's file, absolute, when the target has `monitoring.current.path`. */
  logPath: string | undefined;
}

/** The target's plan; a UserError for an unknown target, model or version. */
export async function readTarget(dir: string, target: string, env: NodeJS.ProcessEnv): Promise<TargetPlan> {
  const project = await loadValidProject(dir);
  const declared = project.deployments.get(target);
  if (declared === undefined) {
    const names = [...project.deployments.keys()];
    throw new UserError(
      `no deployment target ${JSON.stringify(target)}${didYouMean(target, names)}; targets: ${names.join(", ") || "none"}`,
    );
  }
  const deployment = declared.value;
  const models = new Map<string, ServedModel>();
  for (const [model, served] of Object.entries(deployment.models)) {
    const declaredModel = project.models.get(model)?.value;
    if (declaredModel === undefined)
      throw new UserError(`${declared.file}: no model ${JSON.stringify(model)}`);
    const split = servedVersions(deployment, model).map(({ version, weight }) => ({ version, weight }));
    const numbers = [...split.map((s) => s.version), ...(served.shadow === undefined ? [] : [served.shadow])];
    const versions = new Map<number, VersionToLoad>();
    for (const number of numbers) {
      const manifest = project.versions.get(model)?.get(number)?.value;
      if (manifest === undefined) {
        throw new UserError(`${declared.file}: ${model} has no registered version ${number}`);
      }
      versions.set(number, { model, manifest, task: declaredModel.task, classes: declaredModel.classes });
    }
    models.set(model, { split, shadow: served.shadow, versions });
  }
  const logFile = deployment.monitoring?.current.path;
  return {
    target,
    file: join(dir, declared.file),
    deployment,
    models,
    stores: { dir, config: project.config, env },
    logPath: logFile === undefined ? undefined : join(dir, declarationPath(project, logFile)),
  };
}

/**
 * Champion rules: the champion of a model is the version its baseline target serves now. The
 * baseline target is the model's `promotion.baseline`, else `defaults.baseline-target` in
 * modelci.yaml, else the last of `promotion.stages`. A canary serves several versions; the
 * champion is the one with the largest weight, ties to the higher version.
 */

import type { Deployment } from "../../schemas/deployment.ts";
import type { EvaluatedChampion } from "../../schemas/evaluation-result.ts";
import type { Project } from "../declarations/project.ts";

/** One version a target serves, with its share of traffic in percent. */
export interface Serving {
  version: number;
  weight: number;
}

export interface Champion {
  model: string;
  target: string;
  version: number;
  /** Its share of the target's traffic: 100 unless the target runs a canary. */
  weight: number;
}

type ProjectView = Pick<Project, "models" | "deployments" | "config">;

/** The versions of `model` a deployment serves, largest weight first (ties: higher version first). */
export function servedVersions(deployment: Pick<Deployment, "models">, model: string): Serving[] {
  const served = deployment.models[model];
  if (served === undefined) return [];
  const list: Serving[] =
    served.canary?.map((c) => ({ version: c.version, weight: c.weight })) ??
    (served.version === undefined ? [] : [{ version: served.version, weight: 100 }]);
  return list.sort((a, b) => b.weight - a.weight || b.version - a.version);
}

/** The target whose current version is the model's champion, or undefined for an unknown model. */
export function baselineTarget(project: ProjectView, model: string): string | undefined {
  const declared = project.models.get(model)?.value;
  if (declared === undefined) return undefined;
  return (
    declared.promotion.baseline ??
    project.config.defaults["baseline-target"] ??
    declared.promotion.stages[declared.promotion.stages.length - 1]
  );
}

/** The champion of a model, or undefined when its baseline target serves no version of it (yet). */
export function findChampion(project: ProjectView, model: string): Champion | undefined {
  const target = baselineTarget(project, model);
  if (target === undefined) return undefined;
  const deployment = project.deployments.get(target)?.value;
  if (deployment === undefined) return undefined;
  const [top] = servedVersions(deployment, model);
  return top === undefined ? undefined : { model, target, version: top.version, weight: top.weight };
}

/**
 * What an evaluation records of the champion it looked up: the version (null: none yet) and the
 * baseline target, as the declarations read at `declarations` (a commit sha, or `working-tree`) name them.
 */
export function recordChampion(project: ProjectView, model: string, declarations: string): EvaluatedChampion {
  const target = baselineTarget(project, model);
  const champion = findChampion(project, model);
  return {
    version: champion?.version ?? null,
    ...(target === undefined ? {} : { target }),
    declarations,
  };
}

/** Every target that serves some version of the model, with what it serves, by target name. */
export function servingTargets(project: Pick<Project, "deployments">, model: string): Map<string, Serving[]> {
  const targets = new Map<string, Serving[]>();
  for (const [name, declared] of [...project.deployments].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const served = servedVersions(declared.value, model);
    if (served.length > 0) targets.set(name, served);
  }
  return targets;
}

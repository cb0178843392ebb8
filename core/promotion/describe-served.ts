import type { Deployment } from "../../schemas/index.ts";
import type { Project } from "../declarations/project.ts";

/** One version a target serves, with its share of traffic in percent (100 without a canary). */
export interface ServedVersion {
  version: number;
  weight: number;
}

type ServedModel = Deployment["models"][string];

/** A target's entry for one model as a list of versions with weights; [] when it serves none. */
export function listServed(served: ServedModel | undefined): ServedVersion[] {
  if (served === undefined) return [];
  if (served.canary !== undefined) return served.canary.map(({ version, weight }) => ({ version, weight }));
  if (served.version !== undefined) return [{ version: served.version, weight: 100 }];
  return [];
}

/** What `target` serves of `model` in a project. */
export function servedIn(project: Project, target: string, model: string): ServedVersion[] {
  return listServed(project.deployments.get(target)?.value.models[model]);
}

/** Whether `target` sends some traffic to `version` of `model`. A 0% canary does not serve. */
export function serves(project: Project, target: string, model: string, version: number): boolean {
  return servedIn(project, target, model).some((s) => s.version === version && s.weight > 0);
}

/** The version with the most traffic (the higher number on a tie), or undefined when none is served. */
export function mainVersion(served: readonly ServedVersion[]): number | undefined {
  let best: ServedVersion | undefined;
  for (const s of served) {
    if (
      best === undefined ||
      s.weight > best.weight ||
      (s.weight === best.weight && s.version > best.version)
    )
      best = s;
  }
  return best?.version;
}

/** `7`, `7 (90%) + 8 (10%)` or `nothing`. */
export function describeServed(served: readonly ServedVersion[]): string {
  if (served.length === 0) return "nothing";
  if (served.length === 1 && served[0]?.weight === 100) return String(served[0].version);
  return served.map((s) => `${s.version} (${s.weight}%)`).join(" + ");
}

/** Whether two served lists are the same versions with the same weights, in any order. */
export function sameServed(a: readonly ServedVersion[], b: readonly ServedVersion[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((s) => b.some((t) => t.version === s.version && t.weight === s.weight));
}

import type { Project } from "../declarations/project.ts";
import { serves } from "./describe-served.ts";
import { type FileDigests, findPromotions } from "./find-promotions.ts";
import { resolvePolicy } from "./resolve-policy.ts";

/** A version whose soak time the gate measures: since when it serves in `target` (the previous stage). */
export interface SoakNeed {
  target: string;
  /** The target's file in the base. */
  file: string;
  model: string;
  version: number;
}

/**
 * The `servedSince` entries the promotion gate will consult: for each version promoted to a stage
 * that needs soak time, the previous stage, when the version serves there in the base. Everything
 * else needs no history, so the App asks GitHub for nothing else.
 */
export function listSoakNeeds(
  base: Project,
  head: Project,
  changed: readonly string[],
  digests: FileDigests,
): SoakNeed[] {
  const needs = new Map<string, SoakNeed>();
  for (const change of findPromotions(base, head, changed, digests)) {
    if (change.kind !== "deploy") continue;
    const policy = resolvePolicy(base, head, change.model);
    if (policy === undefined) continue;
    const { stages } = policy.promotion;
    const at = stages.indexOf(change.target);
    const previous = at > 0 ? stages[at - 1] : undefined;
    if (previous === undefined || (policy.promotion["soak-hours"][change.target] ?? 0) === 0) continue;
    const file = base.deployments.get(previous)?.file;
    if (file === undefined) continue;
    for (const version of change.incoming) {
      if (!serves(base, previous, change.model, version)) continue;
      needs.set(`${previous}@${change.model}@${version}`, {
        target: previous,
        file,
        model: change.model,
        version,
      });
    }
  }
  return [...needs.values()];
}

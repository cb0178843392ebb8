/**
 * Whether a model has a champion to compare its candidate with. Evaluate records the champion it
 * looked up before the change (a result's `champion`: at a pull request's base), and that decides,
 * not the declarations the report reads, which are the merged tree's: a pull request that adds the
 * model's first deployment has no champion yet, and one that removes the deployment is still
 * compared with the version deployed now. A computed result with baseline metrics was compared with
 * one. Only when no result records a lookup (results written without declarations) does
 * `declared` decide: whether the report's declarations name a champion.
 */
import type { EvaluationResult } from "../../schemas/evaluation-result.ts";

export function decideHasChampion(results: readonly EvaluationResult[], declared: boolean): boolean {
  if (results.some((r) => !r["self-reported"] && r.baseline !== undefined)) return true;
  const recorded = results.flatMap((r) => (r.champion === undefined ? [] : [r.champion]));
  if (recorded.length > 0) return recorded.some((c) => c.version !== null);
  return declared;
}

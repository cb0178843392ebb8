/**
 * Tests on category counts, both sides over the same categories (a category absent from one
 * side counts 0 there): scipy.stats.chisquare(current counts, reference shares × n_current), and
 * Evidently's two-proportion Z-test for two categories.
 */
import { chiSquaredSurvival, normalCdf } from "./special-functions.ts";

/** The chi-squared p-value; NaN with fewer than two categories (scipy's df = 0). */
export function chiSquarePValue(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  const k = reference.length;
  let nRef = 0;
  let nCur = 0;
  for (let i = 0; i < k; i++) {
    nRef += reference[i] as number;
    nCur += current[i] as number;
  }
  let statistic = 0;
  for (let i = 0; i < k; i++) {
    const expected = ((reference[i] as number) / nRef) * nCur;
    const observed = current[i] as number;
    statistic += ((observed - expected) * (observed - expected)) / expected;
  }
  if (k < 2 || Number.isNaN(statistic)) return Number.NaN;
  return chiSquaredSurvival(statistic, k - 1);
}

/**
 * Evidently's proportions Z-test: the share of the first category (in sorted order) on each side,
 * p = 2·(1 − Φ(|z|)); 1 when both sides hold the same single category. NaN past two categories.
 */
export function zTestPValue(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  if (reference.length > 2) return Number.NaN;
  let nRef = 0;
  let nCur = 0;
  for (let i = 0; i < reference.length; i++) {
    nRef += reference[i] as number;
    nCur += current[i] as number;
  }
  if (reference.length === 1) return 1;
  const p1 = (reference[0] as number) / nRef;
  const p2 = (current[0] as number) / nCur;
  const pooled = (p1 * nRef + p2 * nCur) / (nRef + nCur);
  const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / nRef + 1 / nCur));
  return 2 * (1 - normalCdf(Math.abs(z)));
}

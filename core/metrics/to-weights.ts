/** Per-row weights as every metric takes them: the sample_weight of scikit-learn. */

import { UserError } from "../errors.ts";

/** Checks and converts caller weights; undefined stays undefined (all 1). */
export function toWeights(weights: ArrayLike<number> | undefined, rows: number): Float64Array | undefined {
  if (weights === undefined) return undefined;
  if (weights.length !== rows) throw new UserError(`weights have ${weights.length} values, expected ${rows}`);
  const w = weights instanceof Float64Array ? weights : Float64Array.from(weights);
  for (let i = 0; i < rows; i++) {
    const v = w[i] as number;
    if (!(v >= 0 && Number.isFinite(v)))
      throw new UserError(`weight ${i} is ${v}, expected a finite value >= 0`);
  }
  let sum = 0;
  for (let i = 0; i < rows; i++) sum += w[i] as number;
  if (sum === 0) throw new UserError("weights sum to zero");
  return w;
}

/** Per-row weights: sample weights, or a bootstrap resample's counts (small integers, as bytes). */
export type Weights = Float64Array | Uint8Array;

import type { Weights } from "./to-weights.ts";
/**
 * Regression metrics with scikit-learn 1.2's definitions and optional per-row weights
 * (`sample_weight`):
 * - rmse: `mean_squared_error(squared=False)`, the square root of the weighted mean squared error.
 * - mae: `mean_absolute_error`.
 * - r2: `r2_score` with `force_finite=True`: 1 - SS_res / SS_tot, where SS_tot is taken around the
 *   weighted mean; a constant target gives 1.0 for perfect predictions and 0.0 otherwise.
 * - mape: `mean_absolute_percentage_error`, |y - yhat| / max(|y|, eps) with eps = float64 machine
 *   epsilon, so a zero target with a wrong prediction gives a huge, finite value. It is a ratio,
 *   not a percentage.
 */

import { UserError } from "../errors.ts";
import type { RegressionMetricName } from "./metric-directions.ts";
import { toWeights } from "./to-weights.ts";

const FLOAT64_EPS = 2.220446049250313e-16;

export type RegressionMetrics = Record<RegressionMetricName, number>;

/** Per-row terms that do not depend on the weights, computed once per model. */
export interface PreparedRegression {
  /** y minus its unweighted mean, and its square: SS_tot under any weights in one pass. */
  centred: Float64Array;
  centredSquared: Float64Array;
  /** (yhat - y)², |yhat - y| and |yhat - y| / max(|y|, eps) per row. */
  squared: Float64Array;
  absolute: Float64Array;
  percentage: Float64Array;
}

/** Computes rmse, mae, r2 and mape of predictions `yhat` against targets `y`. */
export function computeRegressionMetrics(
  y: Float64Array,
  yhat: Float64Array,
  weights?: ArrayLike<number>,
): RegressionMetrics {
  const prepared = prepareRegression(y, yhat);
  return scorePreparedRegression(prepared, toWeights(weights, y.length));
}

/** Validates targets and predictions and computes the per-row error terms. */
export function prepareRegression(y: Float64Array, yhat: Float64Array): PreparedRegression {
  const n = y.length;
  if (n === 0) throw new UserError("regression metrics need at least one row");
  if (yhat.length !== n) {
    throw new UserError(`predictions have ${yhat.length} values, expected one per row (${n})`);
  }
  let sum = 0;
  let constant = true;
  for (let i = 0; i < n; i++) {
    const target = y[i] as number;
    const prediction = yhat[i] as number;
    if (!Number.isFinite(target)) throw new UserError(`row ${i}: target is ${target}`);
    if (!Number.isFinite(prediction)) throw new UserError(`row ${i}: prediction is ${prediction}`);
    sum += target;
    if (target !== y[0]) constant = false;
  }
  // A constant target has SS_tot = 0 exactly (sklearn's float mean can leave a tiny residue there,
  // turning r2 into -5e29 instead of its intended force_finite 0.0).
  const mean = constant ? (y[0] as number) : sum / n;
  const centred = new Float64Array(n);
  const centredSquared = new Float64Array(n);
  const squared = new Float64Array(n);
  const absolute = new Float64Array(n);
  const percentage = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const target = y[i] as number;
    const error = target - (yhat[i] as number);
    centred[i] = target - mean;
    centredSquared[i] = (target - mean) * (target - mean);
    squared[i] = error * error;
    absolute[i] = Math.abs(error);
    percentage[i] = Math.abs(error) / Math.max(Math.abs(target), FLOAT64_EPS);
  }
  return { centred, centredSquared, squared, absolute, percentage };
}

/**
 * The metrics of a prepared model under per-row weights (undefined = all 1), in one pass. SS_tot
 * around the weighted mean is Σw·c² − (Σw·c)²/Σw for c = y − unweighted mean: the corrected
 * two-pass formula, exact up to rounding because Σw·c is small.
 */
export function scorePreparedRegression(
  prepared: PreparedRegression,
  weights: Weights | undefined,
): RegressionMetrics {
  const { centred, centredSquared, squared, absolute, percentage } = prepared;
  const n = centred.length;
  const w = weights ?? new Float64Array(n).fill(1);
  let total = 0;
  let centredSum = 0;
  let centredSquaredSum = 0;
  let squaredSum = 0;
  let absoluteSum = 0;
  let percentageSum = 0;
  for (let i = 0; i < n; i++) {
    const wi = w[i] as number;
    total += wi;
    centredSum += wi * (centred[i] as number);
    centredSquaredSum += wi * (centredSquared[i] as number);
    squaredSum += wi * (squared[i] as number);
    absoluteSum += wi * (absolute[i] as number);
    percentageSum += wi * (percentage[i] as number);
  }
  const totalSquares = Math.max(0, centredSquaredSum - (centredSum * centredSum) / total);
  return {
    rmse: Math.sqrt(squaredSum / total),
    mae: absoluteSum / total,
    r2: squaredSum === 0 ? 1 : totalSquares === 0 ? 0 : 1 - squaredSum / totalSquares,
    mape: percentageSum / total,
  };
}

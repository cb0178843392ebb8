import type { Weights } from "./to-weights.ts";
/**
 * Classification metrics with scikit-learn 1.2's definitions, from true class indices and
 * row-major N×C probabilities. Every metric takes optional per-row weights (sklearn's
 * `sample_weight`), which is how bootstrap resamples are expressed without copying rows.
 *
 * - predicted class: argmax of the row, ties to the lowest index (numpy argmax).
 * - precision/recall/F1 are computed as `labels=list(range(C))`: a class with no support and no
 *   predictions counts in the macro averages with precision = recall = F1 = 0, sklearn's default
 *   `zero_division="warn"` value. `f1_weighted` weights by support, so such a class adds nothing.
 * - balanced_accuracy: mean recall over the classes with support (sklearn has no labels argument
 *   there and drops classes absent from y_true).
 * - log_loss: as `log_loss(y, p.astype(float64), labels=range(C))`: clip to [eps, 1 - eps] with
 *   eps = float64 machine epsilon (sklearn's "auto" eps for float64 input), renormalise each row,
 *   then the mean of -ln p[true].
 * - roc_auc: see roc-auc.ts.
 */

import { UserError } from "../errors.ts";
import type { ClassificationMetricName } from "./metric-directions.ts";
import { prepareRocOrders, type RocOrder, rocAucFromPrepared } from "./roc-auc.ts";
import { toWeights } from "./to-weights.ts";

const FLOAT64_EPS = 2.220446049250313e-16;

export interface ClassificationInput {
  /** True class index per row, 0..C-1. */
  labels: Int32Array;
  /** Row-major N×C class probabilities. */
  probabilities: Float32Array;
  /** Class names, index = class index. */
  classes: readonly string[];
}

export type ClassificationMetrics = Record<ClassificationMetricName, number>;

export interface ClassificationResult {
  metrics: ClassificationMetrics;
  /** C×C, rows = true class, columns = predicted class (weighted counts when weights are given). */
  confusionMatrix: number[][];
  /** Support (rows, or total weight) per class name. */
  support: Record<string, number>;
}

/** Everything that does not depend on the weights, computed once per model. */
export interface PreparedClassification {
  classCount: number;
  labels: Int32Array;
  /** Confusion-matrix cell per row: true class × C + predicted class. */
  cells: Int32Array;
  /** -ln of the clipped, renormalised probability of the true class, per row. */
  rowLoss: Float64Array;
  roc: RocOrder[];
}

/** Computes every classification metric, the confusion matrix and the support per class. */
export function computeClassificationMetrics(
  input: ClassificationInput,
  weights?: ArrayLike<number>,
): ClassificationResult {
  const classCount = input.classes.length;
  const prepared = prepareClassification(input.labels, input.probabilities, classCount);
  const w = toWeights(weights, input.labels.length) ?? new Float64Array(input.labels.length).fill(1);
  const { confusion, lossSum } = accumulate(prepared, w);
  const metrics = metricsFromConfusion(prepared, confusion, lossSum, w);
  const confusionMatrix: number[][] = [];
  const support: Record<string, number> = {};
  for (let t = 0; t < classCount; t++) {
    const row = Array.from(confusion.subarray(t * classCount, (t + 1) * classCount));
    confusionMatrix.push(row);
    support[input.classes[t] as string] = row.reduce((a, b) => a + b, 0);
  }
  return { metrics, confusionMatrix, support };
}

/** Validates the input and computes the weight-independent parts (argmax, row losses, sorted scores). */
export function prepareClassification(
  labels: Int32Array,
  probabilities: Float32Array,
  classCount: number,
): PreparedClassification {
  const n = labels.length;
  if (classCount < 2) throw new UserError(`classification needs at least 2 classes, got ${classCount}`);
  if (n === 0) throw new UserError("classification metrics need at least one row");
  if (probabilities.length !== n * classCount) {
    throw new UserError(
      `probabilities have ${probabilities.length} values, expected ${n} rows × ${classCount} classes`,
    );
  }
  const cells = new Int32Array(n);
  const rowLoss = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const label = labels[i] as number;
    if (!(label >= 0 && label < classCount)) {
      throw new UserError(`row ${i}: label index ${label} is outside 0..${classCount - 1}`);
    }
    const base = i * classCount;
    let best = 0;
    let bestValue = Number.NEGATIVE_INFINITY;
    let clippedSum = 0;
    for (let k = 0; k < classCount; k++) {
      const p = probabilities[base + k] as number;
      if (!Number.isFinite(p)) throw new UserError(`row ${i}: probability of class ${k} is ${p}`);
      if (p > bestValue) {
        bestValue = p;
        best = k;
      }
      clippedSum += clip(p);
    }
    cells[i] = label * classCount + best;
    rowLoss[i] = -Math.log(clip(probabilities[base + label] as number) / clippedSum);
  }
  return { classCount, labels, cells, rowLoss, roc: prepareRocOrders(labels, probabilities, classCount) };
}

/** The metrics of a prepared model under per-row weights (undefined = all 1). */
export function scorePreparedClassification(
  prepared: PreparedClassification,
  weights: Weights | undefined,
): ClassificationMetrics {
  const w = weights ?? new Float64Array(prepared.labels.length).fill(1);
  const { confusion, lossSum } = accumulate(prepared, w);
  return metricsFromConfusion(prepared, confusion, lossSum, w);
}

/** One pass: the weighted confusion matrix (row-major C×C) and the weighted sum of row losses. */
function accumulate(
  prepared: PreparedClassification,
  weights: Weights,
): { confusion: Float64Array; lossSum: number } {
  const { classCount, cells, rowLoss } = prepared;
  const confusion = new Float64Array(classCount * classCount);
  let lossSum = 0;
  for (let i = 0; i < cells.length; i++) {
    const w = weights[i] as number;
    const cell = cells[i] as number;
    confusion[cell] = (confusion[cell] as number) + w;
    lossSum += w * (rowLoss[i] as number);
  }
  return { confusion, lossSum };
}

function metricsFromConfusion(
  prepared: PreparedClassification,
  confusion: Float64Array,
  lossSum: number,
  weights: Weights,
): ClassificationMetrics {
  const c = prepared.classCount;
  let total = 0;
  let correct = 0;
  let recallSum = 0;
  let classesWithSupport = 0;
  let precisionSum = 0;
  let f1Sum = 0;
  let f1WeightedSum = 0;
  for (let k = 0; k < c; k++) {
    let support = 0;
    let predictedCount = 0;
    for (let j = 0; j < c; j++) {
      support += confusion[k * c + j] as number;
      predictedCount += confusion[j * c + k] as number;
    }
    const tp = confusion[k * c + k] as number;
    const precision = predictedCount > 0 ? tp / predictedCount : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    total += support;
    correct += tp;
    precisionSum += precision;
    recallSum += recall;
    f1Sum += f1;
    f1WeightedSum += f1 * support;
    if (support > 0) classesWithSupport++;
  }
  return {
    accuracy: correct / total,
    // recall is 0 for classes without support, so this sums over the supported classes only
    balanced_accuracy: recallSum / classesWithSupport,
    precision_macro: precisionSum / c,
    recall_macro: recallSum / c,
    f1_macro: f1Sum / c,
    f1_weighted: f1WeightedSum / total,
    log_loss: lossSum / total,
    roc_auc: rocAucFromPrepared(prepared.roc, weights),
  };
}

function clip(p: number): number {
  return Math.min(Math.max(p, FLOAT64_EPS), 1 - FLOAT64_EPS);
}

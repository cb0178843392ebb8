import type { Weights } from "./to-weights.ts";
/**
 * ROC AUC as scikit-learn defines it (`roc_auc_score`): the area under the ROC curve by the
 * trapezoidal rule, tied scores forming one diagonal segment. That area equals the weighted
 * Mann-Whitney statistic P(score_pos > score_neg) + 0.5 P(tie), which is what is computed here.
 * The scores are sorted once (`prepareRocOrder`); each evaluation under per-row weights is then one
 * branch-free O(N) walk, plus a correction over the rows in tie groups. Bootstrap resamples reuse
 * the sorted order, so a resample costs O(N), not O(N log N).
 */

import { argsortFloat32 } from "./argsort-float32.ts";

const POSITIVE_BIT = 0x80000000;
const ROW_MASK = 0x7fffffff;

export interface RocOrder {
  /** Rows ascending by score; bit 31 is set for positives, the low 31 bits are the row index. */
  entries: Uint32Array;
  /** [start, end) positions in `entries` of each group of two or more tied scores, flattened. */
  ties: Uint32Array;
}

/**
 * Sorts one score column (`scores[i * stride + column]`) once; row i is positive when
 * labels[i] === positiveClass.
 */
export function prepareRocOrder(
  labels: Int32Array,
  scores: Float32Array,
  stride: number,
  column: number,
  positiveClass: number,
): RocOrder {
  const n = labels.length;
  if (n > ROW_MASK) throw new RangeError(`roc_auc supports at most ${ROW_MASK} rows, got ${n}`);
  const columnScores = new Float32Array(n);
  for (let i = 0; i < n; i++) columnScores[i] = scores[i * stride + column] as number;
  const { order, keys } = argsortFloat32(columnScores);
  const entries = new Uint32Array(n);
  const ties: number[] = [];
  let groupStart = 0;
  for (let j = 0; j < n; j++) {
    const row = order[j] as number;
    entries[j] = labels[row] === positiveClass ? (row | POSITIVE_BIT) >>> 0 : row;
    if (j > 0 && keys[j] !== keys[j - 1]) {
      if (j - groupStart > 1) ties.push(groupStart, j);
      groupStart = j;
    }
  }
  if (n - groupStart > 1) ties.push(groupStart, n);
  return { entries, ties: Uint32Array.from(ties) };
}

/**
 * The weighted ROC AUC of a prepared order. NaN when the positives or the negatives have zero
 * total weight (scikit-learn raises "Only one class present in y_true").
 */
export function rocAucFromOrder(roc: RocOrder, weights: Weights): number {
  const { entries, ties } = roc;
  // Walk ascending: each positive counts the negative weight sorted before it. Inside a tie
  // group that counts only the negatives that happen to come first; fixed below.
  let area = 0;
  let negatives = 0;
  let positives = 0;
  for (let j = 0; j < entries.length; j++) {
    const entry = entries[j] as number;
    const w = weights[entry & ROW_MASK] as number;
    const positiveWeight = w * (entry >>> 31);
    area += positiveWeight * negatives;
    negatives += w - positiveWeight;
    positives += positiveWeight;
  }
  // In each tie group, replace what the walk counted by half of all positive × negative pairs.
  for (let g = 0; g < ties.length; g += 2) {
    let groupNegatives = 0;
    let groupPositives = 0;
    let counted = 0;
    for (let j = ties[g] as number; j < (ties[g + 1] as number); j++) {
      const entry = entries[j] as number;
      const w = weights[entry & ROW_MASK] as number;
      const positiveWeight = w * (entry >>> 31);
      counted += positiveWeight * groupNegatives;
      groupNegatives += w - positiveWeight;
      groupPositives += positiveWeight;
    }
    area += 0.5 * groupPositives * groupNegatives - counted;
  }
  if (positives === 0 || negatives === 0) return Number.NaN;
  return area / (positives * negatives);
}

/**
 * Prepares the orders `rocAucFromPrepared` needs: for two classes the scores of class 1 (the
 * positive class); for more, one order per class for one-vs-rest.
 */
export function prepareRocOrders(
  labels: Int32Array,
  probabilities: Float32Array,
  classCount: number,
): RocOrder[] {
  if (classCount === 2) return [prepareRocOrder(labels, probabilities, 2, 1, 1)];
  const orders: RocOrder[] = [];
  for (let k = 0; k < classCount; k++) orders.push(prepareRocOrder(labels, probabilities, classCount, k, k));
  return orders;
}

/**
 * Binary: the AUC of class 1's scores. Multiclass: the unweighted mean of the one-vs-rest AUCs
 * (`multi_class="ovr", average="macro"`) over the classes whose AUC is defined, i.e. that have both
 * positives and negatives. scikit-learn refuses a class absent from y_true; skipping it gives the
 * macro average of the per-class scores sklearn computes for the classes present.
 */
export function rocAucFromPrepared(orders: readonly RocOrder[], weights: Weights): number {
  let sum = 0;
  let defined = 0;
  for (const roc of orders) {
    const auc = rocAucFromOrder(roc, weights);
    if (Number.isNaN(auc)) continue;
    sum += auc;
    defined++;
  }
  return defined === 0 ? Number.NaN : sum / defined;
}

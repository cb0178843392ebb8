/**
 * A drift check: per feature, the method Evidently would choose (or the one asked for), its
 * statistic and verdict, optionally every applicable statistic; then the dataset verdict.
 *
 * `auto` (Evidently's default): with at most 1,000 reference values, numeric features with more
 * than 5 distinct values (both sides together) get KS, others chi-squared, or the Z-test for two
 * categories; past 1,000, numeric features get the normed Wasserstein distance, others
 * Jensen-Shannon. A numeric feature with few distinct values is compared as categories.
 */
import type { FeatureDrift } from "../../schemas/drift-result.ts";
import { DRIFT_METHODS, type MethodName, type StatisticName } from "./drift-methods.ts";
import {
  alignCategories,
  type ColumnSample,
  categoryCountsOf,
  countUnique,
  type NumericSample,
  presentCount,
} from "./drift-samples.ts";
import { binShares, sturgesEdges } from "./numeric-statistics.ts";

export interface DriftOptions {
  method: "auto" | MethodName;
  /** Overrides the method's default threshold. */
  threshold?: number | undefined;
  /** The dataset drifts when at least this share of features drift. */
  share: number;
  /** Fewer current rows than this give "not enough data". */
  minRows: number;
  /** `all`: every applicable statistic for every feature. */
  stats: "auto" | "all";
  /** Benjamini–Hochberg over the p-value methods. */
  correction?: "bh" | undefined;
}

export const DEFAULT_DRIFT_OPTIONS: DriftOptions = {
  method: "auto",
  share: 0.5,
  minRows: 100,
  stats: "auto",
};

export interface ColumnPair {
  reference: ColumnSample;
  current: ColumnSample;
}

export interface DriftCheckInput {
  columns: ReadonlyMap<string, ColumnPair>;
  rows: { reference: number; current: number };
}

/** The method `auto` picks, and whether it compares numbers or categories. */
export function chooseMethod(pair: ColumnPair): { method: MethodName; type: "numeric" | "categorical" } {
  const { reference, current } = pair;
  const referenceRows = presentCount(reference);
  const numeric = reference.kind === "numeric" && current.kind === "numeric";
  const numericMany = numeric && countUnique(reference.values, current.values, 6) > 5;
  if (numericMany) return { method: referenceRows <= 1000 ? "ks" : "wasserstein", type: "numeric" };
  if (referenceRows > 1000) return { method: "jensen-shannon", type: "categorical" };
  const [ref] = alignCategories(categoryCountsOf(reference), categoryCountsOf(current));
  return { method: ref.categories.length > 2 ? "chi-squared" : "z-test", type: "categorical" };
}

function methodFor(
  pair: ColumnPair,
  options: DriftOptions,
): { method: MethodName; type: "numeric" | "categorical" } {
  if (options.method === "auto") return chooseMethod(pair);
  const method = DRIFT_METHODS[options.method];
  const numeric = pair.reference.kind === "numeric" && pair.current.kind === "numeric";
  if (numeric && method.numeric !== undefined) return { method: options.method, type: "numeric" };
  if (method.categorical !== undefined) return { method: options.method, type: "categorical" };
  // KS or Wasserstein asked for on a categorical feature: the categorical test auto would pick.
  return chooseMethod({
    reference: { ...pair.reference, kind: "categorical", counts: categoryCountsOf(pair.reference) },
    current: pair.current,
  });
}

function compute(
  method: MethodName,
  type: "numeric" | "categorical",
  pair: ColumnPair,
): Partial<Record<StatisticName, number>> {
  const implementation = DRIFT_METHODS[method];
  if (type === "numeric") {
    const reference: NumericSample = { values: (pair.reference as { values: Float64Array }).values };
    const current: NumericSample = { values: (pair.current as { values: Float64Array }).values };
    return implementation.numeric?.(reference, current) ?? {};
  }
  const [reference, current] = alignCategories(
    categoryCountsOf(pair.reference),
    categoryCountsOf(pair.current),
  );
  if (method === "z-test" && reference.categories.length > 2) return {};
  if (method === "chi-squared" && reference.categories.length < 2) return {};
  return implementation.categorical?.(reference, current) ?? {};
}

function missingShare(sample: ColumnSample): number {
  const total = presentCount(sample) + sample.missing;
  return total === 0 ? 0 : sample.missing / total;
}

function histogramOf(type: "numeric" | "categorical", pair: ColumnPair): FeatureDrift["histogram"] {
  if (type === "numeric" && pair.reference.kind === "numeric" && pair.current.kind === "numeric") {
    const edges = sturgesEdges(pair.reference.values, pair.current.values);
    return {
      edges: [...edges],
      reference: [...binShares(pair.reference.values, edges)],
      current: [...binShares(pair.current.values, edges)],
    };
  }
  const [reference, current] = alignCategories(
    categoryCountsOf(pair.reference),
    categoryCountsOf(pair.current),
  );
  return { categories: reference.categories, reference: [...reference.shares], current: [...current.shares] };
}

const ALL_NUMERIC: MethodName[] = ["ks", "wasserstein", "psi", "jensen-shannon"];
const ALL_CATEGORICAL: MethodName[] = ["chi-squared", "z-test", "psi", "jensen-shannon"];

/** One feature's drift, before any multiple-testing correction. */
export function checkFeature(pair: ColumnPair, options: DriftOptions): FeatureDrift {
  const { method, type } = methodFor(pair, options);
  const implementation = DRIFT_METHODS[method];
  const threshold = options.threshold ?? implementation.defaultThreshold;
  const rows = { reference: presentCount(pair.reference), current: presentCount(pair.current) };
  const missing = {
    reference: missingShare(pair.reference),
    current: missingShare(pair.current),
    changed: false,
  };
  missing.changed = Math.abs(missing.reference - missing.current) >= 0.05;
  if (rows.reference === 0 || rows.current === 0) {
    return { method, type, drifted: false, threshold, rows, missing };
  }
  const statistics: Partial<Record<StatisticName, number>> = {};
  if (options.stats === "all") {
    const nativeType =
      pair.reference.kind === "numeric" && pair.current.kind === "numeric" ? "numeric" : "categorical";
    for (const name of nativeType === "numeric" ? ALL_NUMERIC : ALL_CATEGORICAL) {
      Object.assign(statistics, compute(name, nativeType, pair));
    }
  }
  Object.assign(statistics, compute(method, type, pair));
  const value = statistics[implementation.statistic];
  const drifted =
    value !== undefined &&
    !Number.isNaN(value) &&
    (implementation.direction === "p-value" ? value < threshold : value >= threshold);
  const finite = Object.fromEntries(Object.entries(statistics).filter(([, v]) => !Number.isNaN(v)));
  return { method, type, drifted, threshold, ...finite, rows, missing, histogram: histogramOf(type, pair) };
}

/** Benjamini–Hochberg adjusted p-values, in the order given. */
export function adjustBenjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const [p, index] = order[rank - 1] as readonly [number, number];
    running = Math.min(running, (p * m) / rank);
    adjusted[index] = running;
  }
  return adjusted;
}

export interface DriftCheckResult {
  dataset: {
    drifted: number;
    features: number;
    share: number;
    threshold: number;
    rows: { reference: number; current: number };
    min_rows: number;
    verdict: "drift" | "no drift" | "not enough data";
  };
  features: Record<string, FeatureDrift>;
}

/** Every feature's drift and the dataset verdict. */
export function checkDrift(input: DriftCheckInput, options: DriftOptions): DriftCheckResult {
  const features: Record<string, FeatureDrift> = {};
  for (const [name, pair] of input.columns) features[name] = checkFeature(pair, options);
  if (options.correction === "bh") {
    const tested = Object.values(features).filter(
      (f) =>
        DRIFT_METHODS[f.method].direction === "p-value" && f[DRIFT_METHODS[f.method].statistic] !== undefined,
    );
    const adjusted = adjustBenjaminiHochberg(
      tested.map((f) => f[DRIFT_METHODS[f.method].statistic] as number),
    );
    tested.forEach((feature, i) => {
      feature.adjusted_p_value = adjusted[i] as number;
      feature.drifted = (adjusted[i] as number) < feature.threshold;
    });
  }
  const all = Object.values(features);
  const drifted = all.filter((f) => f.drifted).length;
  const share = all.length === 0 ? 0 : drifted / all.length;
  const verdict =
    input.rows.current < options.minRows
      ? "not enough data"
      : share >= options.share && drifted > 0
        ? "drift"
        : "no drift";
  return {
    dataset: {
      drifted,
      features: all.length,
      share,
      threshold: options.share,
      rows: input.rows,
      min_rows: options.minRows,
      verdict,
    },
    features,
  };
}

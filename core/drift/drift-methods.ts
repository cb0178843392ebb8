/**
 * The drift methods, a registry: each names the statistic it reports, whether it is a p-value
 * (drift below the threshold) or a distance (drift at or above it), its default threshold, and
 * computes the statistic for two columns of one kind.
 */
import { chiSquarePValue, zTestPValue } from "./categorical-tests.ts";
import type { CategoryCounts, NumericSample } from "./drift-samples.ts";
import { ksTwoSample } from "./ks-test.ts";
import { binShares, sturgesEdges, wassersteinNormed } from "./numeric-statistics.ts";
import { jensenShannon, psi } from "./share-distances.ts";

export type MethodName = "ks" | "wasserstein" | "psi" | "jensen-shannon" | "chi-squared" | "z-test";

/** The statistic names of the `--json` contract. */
export type StatisticName =
  | "ks_statistic"
  | "ks_p_value"
  | "wasserstein_normed"
  | "psi"
  | "jensenshannon"
  | "chisquare_p_value"
  | "z_p_value";

export interface DriftMethod {
  /** The statistic the verdict reads. */
  statistic: StatisticName;
  /** `p-value`: drift when below the threshold; `distance`: drift when at or above it. */
  direction: "p-value" | "distance";
  defaultThreshold: number;
  numeric?: (reference: NumericSample, current: NumericSample) => Partial<Record<StatisticName, number>>;
  categorical?: (
    reference: CategoryCounts,
    current: CategoryCounts,
  ) => Partial<Record<StatisticName, number>>;
}

function numericShares(reference: NumericSample, current: NumericSample): [Float64Array, Float64Array] {
  const edges = sturgesEdges(reference.values, current.values);
  return [binShares(reference.values, edges), binShares(current.values, edges)];
}

export const DRIFT_METHODS: Record<MethodName, DriftMethod> = {
  ks: {
    statistic: "ks_p_value",
    direction: "p-value",
    defaultThreshold: 0.05,
    numeric: (reference, current) => {
      const result = ksTwoSample(reference.values, current.values);
      return { ks_statistic: result.statistic, ks_p_value: result.pValue };
    },
  },
  wasserstein: {
    statistic: "wasserstein_normed",
    direction: "distance",
    defaultThreshold: 0.1,
    numeric: (reference, current) => ({
      wasserstein_normed: wassersteinNormed(reference.values, current.values),
    }),
  },
  psi: {
    statistic: "psi",
    direction: "distance",
    defaultThreshold: 0.1,
    numeric: (reference, current) => ({ psi: psi(...numericShares(reference, current)) }),
    categorical: (reference, current) => ({ psi: psi(reference.shares, current.shares) }),
  },
  "jensen-shannon": {
    statistic: "jensenshannon",
    direction: "distance",
    defaultThreshold: 0.1,
    numeric: (reference, current) => ({ jensenshannon: jensenShannon(...numericShares(reference, current)) }),
    categorical: (reference, current) => ({
      jensenshannon: jensenShannon(reference.shares, current.shares),
    }),
  },
  "chi-squared": {
    statistic: "chisquare_p_value",
    direction: "p-value",
    defaultThreshold: 0.05,
    categorical: (reference, current) => ({
      chisquare_p_value: chiSquarePValue(reference.counts, current.counts),
    }),
  },
  "z-test": {
    statistic: "z_p_value",
    direction: "p-value",
    defaultThreshold: 0.05,
    categorical: (reference, current) => ({ z_p_value: zTestPValue(reference.counts, current.counts) }),
  },
};

export const METHOD_NAMES = Object.keys(DRIFT_METHODS) as MethodName[];

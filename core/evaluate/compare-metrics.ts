/**
 * Candidate-versus-baseline deltas with verdicts. Quality metrics get the paired bootstrap CI of
 * their delta. Latency, throughput and model size are plain differences: their noise is the
 * machine's, not a resampling of rows. model_bytes is exact and judged by sign; timings count as
 * within noise unless they differ by more than TIMING_TOLERANCE of the baseline, because the same
 * model timed twice on a shared runner easily differs by several percent.
 */
import type { MetricDeltaResult } from "../../schemas/evaluation-result.ts";
import { type BootstrapResult, METRIC_DIRECTIONS, type MetricDirection } from "../metrics/index.ts";

export type Verdict = MetricDeltaResult["verdict"];

/** Relative difference below which a latency or throughput delta is within noise. */
export const TIMING_TOLERANCE = 0.1;

const TIMING_METRICS = new Set([
  "latency_p50_ms",
  "latency_p95_ms",
  "latency_p99_ms",
  "throughput_rows_per_s",
]);

/** `better`/`worse` when the whole CI lies on one side of 0, else `within-noise`; by sign without a CI. */
export function judgeDelta(direction: MetricDirection, delta: number, low?: number, high?: number): Verdict {
  const sign = (value: number) => (direction === "higher" ? value : -value);
  if (low === undefined || high === undefined) {
    if (Number.isNaN(delta) || delta === 0) return "within-noise";
    return sign(delta) > 0 ? "better" : "worse";
  }
  if (Number.isNaN(low) || Number.isNaN(high)) return "within-noise";
  if (low > 0 || high < 0) return sign(delta === 0 ? low : delta) > 0 ? "better" : "worse";
  return "within-noise";
}

/** Deltas for every metric both models have: bootstrapped ones with their CI, the rest plain. */
export function compareMetrics(
  candidate: Readonly<Record<string, number>>,
  baseline: Readonly<Record<string, number>>,
  bootstrap: BootstrapResult | undefined,
): Record<string, MetricDeltaResult> {
  const deltas: Record<string, MetricDeltaResult> = {};
  for (const [name, value] of Object.entries(candidate)) {
    const base = baseline[name];
    const direction = METRIC_DIRECTIONS[name];
    if (base === undefined || direction === undefined) continue;
    const interval = bootstrap?.deltas[name];
    if (interval !== undefined) {
      deltas[name] = {
        delta: finiteOrNull(interval.delta),
        low: finiteOrNull(interval.low),
        high: finiteOrNull(interval.high),
        direction,
        verdict: judgeDelta(direction, interval.delta, interval.low, interval.high),
      };
    } else {
      const delta = value - base;
      const noise = TIMING_METRICS.has(name) && Math.abs(delta) <= TIMING_TOLERANCE * Math.abs(base);
      deltas[name] = {
        delta: finiteOrNull(delta),
        direction,
        verdict: noise ? "within-noise" : judgeDelta(direction, delta),
      };
    }
  }
  return deltas;
}

/** JSON has no NaN: an undefined metric (roc_auc with one class) is null. */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

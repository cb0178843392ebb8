/**
 * Percentiles with numpy's default method ("linear", type 7 of Hyndman & Fan), computed the way
 * numpy 1.24 does it (`_lerp`), so results match `np.percentile(values, q)` bit for bit on most inputs.
 */

/** Percentile `q` (0..100) of values that are already sorted ascending. */
export function percentileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  if (!(q >= 0 && q <= 100)) throw new RangeError(`percentile must be within [0, 100], got ${q}`);
  if (Number.isNaN(sorted[n - 1])) return Number.NaN; // numpy propagates NaN
  const virtualIndex = (n - 1) * (q / 100);
  const previous = Math.floor(virtualIndex);
  const next = Math.min(previous + 1, n - 1);
  const gamma = virtualIndex - previous;
  const a = sorted[previous] as number;
  const b = sorted[next] as number;
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

/** Percentiles of unsorted values (a sorted copy is made; NaN sorts last, as in numpy). */
export function computePercentiles(values: ArrayLike<number>, qs: readonly number[]): number[] {
  const sorted = Float64Array.from(values).sort();
  return qs.map((q) => percentileOfSorted(sorted, q));
}

export interface LatencySummary {
  latency_p50_ms: number;
  latency_p95_ms: number;
  latency_p99_ms: number;
}

/** p50/p95/p99 of per-request latencies in milliseconds (numpy linear interpolation). */
export function summarizeLatency(latenciesMs: ArrayLike<number>): LatencySummary {
  const [p50, p95, p99] = computePercentiles(latenciesMs, [50, 95, 99]) as [number, number, number];
  return { latency_p50_ms: p50, latency_p95_ms: p95, latency_p99_ms: p99 };
}

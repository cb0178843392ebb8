import type { MetricDirection } from "../metrics/metric-directions.ts";

export interface RunMetrics {
  runId: string;
  metrics: Record<string, number | null | undefined>;
}

/**
 * The best run by one metric in its direction. Runs without a finite value are skipped; ties go to
 * the run id that sorts first, so the choice never depends on the order runs finished in.
 */
export function pickBestRun<T extends RunMetrics>(
  runs: readonly T[],
  metric: string,
  direction: MetricDirection,
): T | undefined {
  let best: T | undefined;
  for (const run of runs) {
    const value = run.metrics[metric];
    if (typeof value !== "number" || !Number.isFinite(value)) continue;
    if (best === undefined) {
      best = run;
      continue;
    }
    const current = best.metrics[metric] as number;
    const better = direction === "higher" ? value > current : value < current;
    if (better || (value === current && run.runId < best.runId)) best = run;
  }
  return best;
}

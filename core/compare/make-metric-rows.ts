/** The rows of a model's metric table: the candidate against the champion, metric by metric. */
import type { EvaluationResult, MetricDeltaResult } from "../../schemas/evaluation-result.ts";
import type { Model } from "../../schemas/model.ts";
import { judgeDelta } from "../evaluate/compare-metrics.ts";
import type { MetricDirection } from "../metrics/metric-directions.ts";
import { finite } from "./format-metric-value.ts";
import { metricDirection } from "./metric-direction.ts";

export interface MetricRow {
  metric: string;
  direction: MetricDirection;
  /** The candidate's value: null when undefined on these rows, undefined when missing. */
  candidate: number | null | undefined;
  /** The champion's value; absent without champion metrics. */
  champion?: number | null | undefined;
  /** Candidate minus champion. */
  delta?: number | null;
  /** The delta's 95% CI, for metrics with a paired bootstrap. */
  low?: number;
  high?: number;
  /** better / worse / within-noise, in the model's direction for the metric. */
  verdict?: MetricDeltaResult["verdict"];
}

/** The primary metric first, then gated metrics in gate order, then the rest in the result's order. */
export function makeMetricRows(
  result: EvaluationResult,
  model: Pick<Model, "primary-metric" | "gates" | "metrics">,
): MetricRow[] {
  const baseline = result["self-reported"] ? undefined : result.baseline?.metrics;
  const deltas = result["self-reported"] ? undefined : result.deltas;
  const names = new Set<string>([model["primary-metric"], ...model.gates.map((gate) => gate.metric)]);
  for (const name of Object.keys(result.metrics)) names.add(name);
  for (const name of Object.keys(baseline ?? {})) names.add(name);
  const rows: MetricRow[] = [];
  for (const metric of names) {
    const direction = metricDirection(metric, model);
    const row: MetricRow = { metric, direction, candidate: result.metrics[metric] };
    if (baseline !== undefined) {
      row.champion = baseline[metric];
      Object.assign(row, compareValues(row.candidate, row.champion, direction, deltas?.[metric]));
    }
    rows.push(row);
  }
  return rows;
}

function compareValues(
  candidate: number | null | undefined,
  champion: number | null | undefined,
  direction: MetricDirection,
  stored: MetricDeltaResult | undefined,
): Pick<MetricRow, "delta" | "low" | "high" | "verdict"> {
  const a = finite(candidate);
  const b = finite(champion);
  if (a === undefined || b === undefined) return { delta: null };
  const delta = a - b;
  const low = finite(stored?.low);
  const high = finite(stored?.high);
  const interval = low !== undefined && high !== undefined ? { low, high } : {};
  // The stored verdict knows timing noise; recompute only where the model overrides the direction.
  const verdict =
    stored !== undefined && stored.direction === direction
      ? stored.verdict
      : judgeDelta(direction, delta, interval.low, interval.high);
  return { delta, ...interval, verdict };
}

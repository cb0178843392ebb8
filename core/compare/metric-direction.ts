import type { Model } from "../../schemas/index.ts";
import { METRIC_DIRECTIONS, type MetricDirection } from "../metrics/metric-directions.ts";

/** Which way is better for a metric: the model's declared direction, else the standard one, else higher. */
export function metricDirection(metric: string, model?: Pick<Model, "metrics">): MetricDirection {
  return model?.metrics?.[metric]?.direction ?? METRIC_DIRECTIONS[metric] ?? "higher";
}

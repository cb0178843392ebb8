/** The standard metric names that `modelci evaluate` computes, and which way is better for each. */

export type MetricDirection = "higher" | "lower";

export const CLASSIFICATION_METRICS = [
  "accuracy",
  "balanced_accuracy",
  "precision_macro",
  "recall_macro",
  "f1_macro",
  "f1_weighted",
  "log_loss",
  "roc_auc",
] as const;

export const REGRESSION_METRICS = ["rmse", "mae", "r2", "mape"] as const;

export const LATENCY_METRICS = ["latency_p50_ms", "latency_p95_ms", "latency_p99_ms"] as const;

export const RESOURCE_METRICS = ["throughput_rows_per_s", "model_bytes"] as const;

export type ClassificationMetricName = (typeof CLASSIFICATION_METRICS)[number];
export type RegressionMetricName = (typeof REGRESSION_METRICS)[number];
export type LatencyMetricName = (typeof LATENCY_METRICS)[number];
export type ResourceMetricName = (typeof RESOURCE_METRICS)[number];
export type StandardMetricName =
  | ClassificationMetricName
  | RegressionMetricName
  | LatencyMetricName
  | ResourceMetricName;

/** Every standard metric name, classification first, then regression, latency and resources. */
export const STANDARD_METRICS: readonly StandardMetricName[] = [
  ...CLASSIFICATION_METRICS,
  ...REGRESSION_METRICS,
  ...LATENCY_METRICS,
  ...RESOURCE_METRICS,
];

const directions = {
  accuracy: "higher",
  balanced_accuracy: "higher",
  precision_macro: "higher",
  recall_macro: "higher",
  f1_macro: "higher",
  f1_weighted: "higher",
  log_loss: "lower",
  roc_auc: "higher",
  rmse: "lower",
  mae: "lower",
  r2: "higher",
  mape: "lower",
  latency_p50_ms: "lower",
  latency_p95_ms: "lower",
  latency_p99_ms: "lower",
  throughput_rows_per_s: "higher",
  model_bytes: "lower",
} as const satisfies Record<StandardMetricName, MetricDirection>;

/**
 * Which way is better for every standard metric. Typed by string so callers can look up a metric
 * named in a user's declaration; a name that is not standard reads as undefined.
 */
export const METRIC_DIRECTIONS: Readonly<Record<string, MetricDirection>> = directions;

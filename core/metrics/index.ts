/** The metric core of `modelci evaluate`: pure functions, no I/O. */

export { argsortFloat32, type SortedScores } from "./argsort-float32.ts";
export {
  type BootstrapInput,
  type BootstrapResult,
  bootstrapDeltas,
  DEFAULT_MAX_ROWS,
  DEFAULT_RESAMPLES,
  DEFAULT_SEED,
  type MetricDelta,
} from "./bootstrap-deltas.ts";
export {
  type ClassificationInput,
  type ClassificationMetrics,
  type ClassificationResult,
  computeClassificationMetrics,
  type PreparedClassification,
  prepareClassification,
  scorePreparedClassification,
} from "./classification-metrics.ts";
export * from "./metric-directions.ts";
export {
  computePercentiles,
  type LatencySummary,
  percentileOfSorted,
  summarizeLatency,
} from "./percentile.ts";
export { createRandom, type Random } from "./random.ts";
export {
  computeRegressionMetrics,
  type PreparedRegression,
  prepareRegression,
  type RegressionMetrics,
  scorePreparedRegression,
} from "./regression-metrics.ts";
export {
  prepareRocOrder,
  prepareRocOrders,
  type RocOrder,
  rocAucFromOrder,
  rocAucFromPrepared,
} from "./roc-auc.ts";

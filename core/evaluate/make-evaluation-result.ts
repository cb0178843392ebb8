/**
 * The evaluation result: every standard metric of the task for the candidate (and the baseline on
 * the same rows), latency, throughput and size, and paired bootstrap deltas with verdicts.
 */
import type { ComputedEvaluation, EvaluatedModel } from "../../schemas/evaluation-result.ts";
import {
  bootstrapDeltas,
  computeClassificationMetrics,
  computeRegressionMetrics,
  summarizeLatency,
} from "../metrics/index.ts";
import { compareMetrics, finiteOrNull } from "./compare-metrics.ts";
import type { Task } from "./model-info.ts";

export interface ScoredModel {
  model: EvaluatedModel;
  /** Classification: row-major N×C probabilities in `classes` order; regression: N predictions. */
  predictions: Float32Array | Float64Array;
  /** Batched inference time over all rows (throughput). */
  inferenceMs: number;
  /** Single-row run times (latency percentiles). */
  latencyMs: ArrayLike<number>;
}

export interface EvaluationInput {
  task: Task;
  data: { path: string; sha256: string; rows: number };
  label: string;
  features: string[];
  /** Classification only. */
  classes?: string[] | undefined;
  provider: "cpu" | "cuda";
  /** Class index per row (classification) or target per row (regression). */
  truth: Int32Array | Float64Array;
  candidate: ScoredModel;
  baseline?: ScoredModel | undefined;
  resamples?: number | undefined;
  seed?: number | undefined;
  /** Progress of the paired bootstrap (resamples done of total). */
  onBootstrap?: ((done: number, total: number) => void) | undefined;
  wallMs: number;
}

/** Computes the metrics and assembles the result JSON (pure). */
export function makeEvaluationResult(input: EvaluationInput): ComputedEvaluation {
  const candidate = scoreModel(input, input.candidate);
  const baseline = input.baseline === undefined ? undefined : scoreModel(input, input.baseline);
  const classification = input.task === "classification";
  return {
    "result-version": 1,
    task: input.task,
    model: input.candidate.model,
    data: input.data,
    label: input.label,
    features: input.features,
    ...(classification ? { classes: input.classes } : {}),
    provider: input.provider,
    metrics: toJsonMetrics(candidate.metrics),
    ...(classification ? { "confusion-matrix": candidate.confusionMatrix, support: candidate.support } : {}),
    ...(baseline === undefined ? {} : compareWithBaseline(input, candidate.metrics, baseline.metrics)),
    timing: { "wall-ms": input.wallMs, "inference-ms": input.candidate.inferenceMs },
    "self-reported": false,
  };
}

/** The baseline's metrics, the deltas with their paired bootstrap CIs, and how they were drawn. */
function compareWithBaseline(
  input: EvaluationInput,
  candidateMetrics: Record<string, number>,
  baselineMetrics: Record<string, number>,
): Pick<ComputedEvaluation, "baseline" | "deltas" | "bootstrap"> {
  const baseline = input.baseline as ScoredModel;
  const options = { resamples: input.resamples, seed: input.seed, onResample: input.onBootstrap };
  const bootstrap =
    input.task === "classification"
      ? bootstrapDeltas({
          task: "classification",
          truth: input.truth as Int32Array,
          candidate: input.candidate.predictions as Float32Array,
          baseline: baseline.predictions as Float32Array,
          ...options,
        })
      : bootstrapDeltas({
          task: "regression",
          truth: input.truth as Float64Array,
          candidate: input.candidate.predictions as Float64Array,
          baseline: baseline.predictions as Float64Array,
          ...options,
        });
  return {
    baseline: { model: baseline.model, metrics: toJsonMetrics(baselineMetrics) },
    deltas: compareMetrics(candidateMetrics, baselineMetrics, bootstrap),
    bootstrap: {
      resamples: bootstrap.resamples,
      seed: bootstrap.seed,
      rows: bootstrap.rows,
      "total-rows": bootstrap.totalRows,
    },
  };
}

interface ModelMetrics {
  metrics: Record<string, number>;
  confusionMatrix?: number[][];
  support?: Record<string, number>;
}

function scoreModel(input: EvaluationInput, scored: ScoredModel): ModelMetrics {
  const rows = input.data.rows;
  const resources = {
    ...summarizeLatency(scored.latencyMs),
    throughput_rows_per_s: rows / (Math.max(scored.inferenceMs, 1e-6) / 1000),
    model_bytes: scored.model.bytes,
  };
  if (input.task === "classification") {
    const { metrics, confusionMatrix, support } = computeClassificationMetrics({
      labels: input.truth as Int32Array,
      probabilities: scored.predictions as Float32Array,
      classes: input.classes ?? [],
    });
    return { metrics: { ...metrics, ...resources }, confusionMatrix, support };
  }
  const metrics = computeRegressionMetrics(input.truth as Float64Array, scored.predictions as Float64Array);
  return { metrics: { ...metrics, ...resources } };
}

function toJsonMetrics(metrics: Record<string, number>): Record<string, number | null> {
  return Object.fromEntries(Object.entries(metrics).map(([name, value]) => [name, finiteOrNull(value)]));
}

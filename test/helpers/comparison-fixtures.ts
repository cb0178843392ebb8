/** Evaluation results and run manifests for compare and report tests, valid against their schemas. */
import { judgeDelta } from "../../core/evaluate/compare-metrics.ts";
import { METRIC_DIRECTIONS } from "../../core/metrics/metric-directions.ts";
import type { ComputedEvaluation, MetricDeltaResult } from "../../schemas/evaluation-result.ts";
import type { Model } from "../../schemas/model.ts";
import type { RunManifest } from "../../schemas/run-manifest.ts";

const SHA = "a".repeat(64);

export interface ResultSpec {
  model?: string;
  experiment?: string;
  runId?: string;
  metrics: Record<string, number | null>;
  /** The champion's metrics on the same rows; deltas are computed, with CIs from `intervals`. */
  baseline?: Record<string, number | null>;
  /** metric → [low, high] of the 95% CI of its delta. */
  intervals?: Record<string, [number, number]>;
}

/** A computed evaluation result; with a baseline, deltas with the given CIs. */
export function makeResult(spec: ResultSpec): ComputedEvaluation {
  const result: ComputedEvaluation = {
    "result-version": 1,
    "self-reported": false,
    run: {
      model: spec.model ?? "weather",
      experiment: spec.experiment ?? "weather-gbm",
      "run-id": spec.runId ?? "default",
    },
    task: "classification",
    model: { path: "out/model.onnx", sha256: SHA, bytes: 1000 },
    data: { path: "data/eval.csv", sha256: SHA, rows: 1000 },
    label: "weather",
    features: ["a", "b"],
    provider: "cpu",
    metrics: spec.metrics,
    timing: { "wall-ms": 10, "inference-ms": 1 },
  };
  if (spec.baseline !== undefined) {
    result.baseline = { model: { path: "champion.onnx", sha256: SHA, bytes: 900 }, metrics: spec.baseline };
    const deltas: Record<string, MetricDeltaResult> = {};
    for (const [name, value] of Object.entries(spec.metrics)) {
      const base = spec.baseline[name];
      if (typeof value !== "number" || typeof base !== "number") continue;
      const interval = spec.intervals?.[name];
      const direction = METRIC_DIRECTIONS[name] ?? "higher";
      deltas[name] = {
        delta: value - base,
        ...(interval === undefined ? {} : { low: interval[0], high: interval[1] }),
        direction,
        verdict: judgeDelta(direction, value - base, interval?.[0], interval?.[1]),
      };
    }
    result.deltas = deltas;
  }
  return result;
}

/** A model declaration with the given gates and primary metric. */
export function makeModel(overrides: Partial<Model> = {}): Model {
  return {
    task: "classification",
    owners: ["alice"],
    "primary-metric": "f1_macro",
    gates: [],
    promotion: {
      approvals: 1,
      stages: ["staging", "production"],
      "soak-hours": {},
      "breaking-signature-approvals": 1,
    },
    ...overrides,
  };
}

/** A run manifest; failed unless a status is given. */
export function makeManifest(spec: {
  experiment?: string;
  runId: string;
  status?: RunManifest["status"];
  reason?: string;
}): RunManifest {
  const status = spec.status ?? "failed";
  return {
    "manifest-version": 1,
    experiment: spec.experiment ?? "weather-gbm",
    "run-id": spec.runId,
    status,
    ...(status === "succeeded" ? {} : { reason: spec.reason ?? "the command exited with code 1" }),
    params: {},
    argv: ["node", "train.js"],
    commit: "b".repeat(40),
    dirty: false,
    data: {},
    outputs: {},
    metrics: {},
    "started-at": "2026-01-01T00:00:00Z",
    "finished-at": "2026-01-01T00:01:00Z",
    "wall-time-ms": 60000,
    host: { name: "runner", platform: "linux", arch: "x64", cpus: 4, "memory-mib": 16000 },
    gpus: [],
    "exit-code": status === "succeeded" ? 0 : 1,
    signal: null,
  };
}

/** Custom metric names for big reports: `metric_01`…, higher is better. */
function extraMetrics(count: number, seed: number): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (let k = 1; k <= count; k++)
    metrics[`metric_${String(k).padStart(2, "0")}`] = ((seed * 37 + k * 11) % 97) / 97;
  return metrics;
}

/**
 * `count` models, each a sweep of `runs` runs with `metrics` metrics, against a champion. Every
 * `failEvery`-th model regresses on f1_macro beyond its gate (and `errorEvery`-th has a failed run).
 */
export function makeManyModels(options: {
  count: number;
  metrics: number;
  runs?: number;
  failEvery?: number;
  errorEvery?: number;
}): { model: string; declaration: Model; results: ComputedEvaluation[]; manifests: RunManifest[] }[] {
  const { count, metrics, runs = 3, failEvery = 0, errorEvery = 0 } = options;
  const declaration = makeModel({
    gates: [
      { metric: "f1_macro", "max-regression": 0.01, strict: false },
      { metric: "accuracy", min: 0.5, strict: false },
    ],
  });
  return Array.from({ length: count }, (_, i) => {
    const model = `model-${String(i).padStart(3, "0")}`;
    const fails = failEvery > 0 && i % failEvery === 0;
    const champion = { f1_macro: 0.8, accuracy: 0.9, ...extraMetrics(metrics - 2, i) };
    const results = Array.from({ length: runs }, (_, r) => {
      const f1 = fails ? 0.75 - r * 0.001 : 0.81 + r * 0.001;
      const delta = f1 - 0.8;
      return makeResult({
        model,
        experiment: `${model}-sweep`,
        runId: `lr-0.0${r + 1}`,
        metrics: { f1_macro: f1, accuracy: 0.9, ...extraMetrics(metrics - 2, i + r) },
        baseline: champion,
        intervals: { f1_macro: [delta - 0.005, delta + 0.005], accuracy: [-0.01, 0.01] },
      });
    });
    const manifests =
      errorEvery > 0 && i % errorEvery === 1
        ? [makeManifest({ experiment: `${model}-sweep`, runId: "lr-0.09", reason: "CUDA out of memory" })]
        : [];
    return { model, declaration, results, manifests };
  });
}

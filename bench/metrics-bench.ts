/**
 * Timings of the metric core: classification metrics on 1M predictions with 5 classes, and the
 * paired bootstrap with default settings (1000 resamples, capped at 200k rows) on the same data.
 */

import { performance } from "node:perf_hooks";
import {
  bootstrapDeltas,
  computeClassificationMetrics,
  computeRegressionMetrics,
  createRandom,
} from "../core/metrics/index.ts";

const ROWS = 1_000_000;
const CLASSES = 5;

function makePredictions(labels: Int32Array, seed: number, skill: number): Float32Array {
  const random = createRandom(seed);
  const probabilities = new Float32Array(labels.length * CLASSES);
  for (let i = 0; i < labels.length; i++) {
    let sum = 0;
    for (let k = 0; k < CLASSES; k++) {
      const p = random.nextUint32() / 2 ** 32 + (k === labels[i] ? skill : 0);
      probabilities[i * CLASSES + k] = p;
      sum += p;
    }
    for (let k = 0; k < CLASSES; k++) {
      const at = i * CLASSES + k;
      probabilities[at] = (probabilities[at] as number) / sum;
    }
  }
  return probabilities;
}

function time(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

/** Returns milliseconds per scenario. */
export async function benchMetrics(): Promise<Record<string, number>> {
  const random = createRandom(1);
  const labels = Int32Array.from({ length: ROWS }, () => random.nextInt(CLASSES));
  const candidate = makePredictions(labels, 2, 0.5);
  const baseline = makePredictions(labels, 3, 0.4);
  const classes = Array.from({ length: CLASSES }, (_, k) => `class_${k}`);
  const y = Float64Array.from({ length: ROWS }, () => random.nextUint32() / 2 ** 24);
  const yhat = y.map((v) => v + random.nextUint32() / 2 ** 30 - 2);
  const yhatBaseline = y.map((v) => v + random.nextUint32() / 2 ** 29 - 4);

  const warmUp = 10_000;
  computeClassificationMetrics({
    labels: labels.subarray(0, warmUp),
    probabilities: candidate.subarray(0, warmUp * CLASSES),
    classes,
  });
  return {
    classification_1m_5_classes_ms: time(() =>
      computeClassificationMetrics({ labels, probabilities: candidate, classes }),
    ),
    regression_1m_ms: time(() => computeRegressionMetrics(y, yhat)),
    bootstrap_classification_1m_5_classes_ms: time(() =>
      bootstrapDeltas({ task: "classification", truth: labels, candidate, baseline }),
    ),
    bootstrap_regression_1m_ms: time(() =>
      bootstrapDeltas({ task: "regression", truth: y, candidate: yhat, baseline: yhatBaseline }),
    ),
  };
}

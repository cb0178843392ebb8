/**
 * Runs a candidate model (and optionally a baseline) over an evaluation table, batch by batch.
 *
 * - Memory: each batch's features are dropped once scored; what stays is the predictions (N×C
 *   float32, or N float64 for regression) and the labels (an Int32Array of codes for categories).
 * - Both models score each batch in turn, so the baseline sees exactly the candidate's rows.
 * - `inferenceMs` sums the wall time of `session.run` alone, so throughput is inference-only.
 *   onnxruntime-node runs `run` synchronously on the main thread (deferred by a setImmediate), so
 *   parsing cannot run beside it on this thread; the file read stream reads ahead on its own.
 * - Latency: single-row `run` calls on the first rows of the data, after a warm-up.
 */
import { UserError } from "../../core/errors.ts";
import type { Task } from "../../core/evaluate/model-info.ts";
import type { TableBatch } from "../data/table-batch.ts";
import { collectCategoryLabels } from "./collect-labels.ts";
import { createSession, type Ort, type Provider } from "./create-session.ts";
import { concat, ModelRunner, type ModelScores, type ModelToScore } from "./model-runner.ts";

export type { ModelScores, ModelToScore } from "./model-runner.ts";

export interface ScoreOptions {
  ort: Ort;
  /** The data file, for messages. */
  dataPath: string;
  provider: Provider;
  task: Task;
  featureCount: number;
  candidate: ModelToScore;
  baseline?: ModelToScore | undefined;
  batches: AsyncIterable<TableBatch>;
  /** Called for each new distinct category label (1-based row); may throw to stop early. */
  onNewLabel?: ((value: string, row: number) => void) | undefined;
  /** Rows scored so far, after each batch. */
  onProgress?: ((rows: number) => void) | undefined;
  warn: (message: string) => void;
  /** Single-row runs timed per model (default 200), after `warmupRuns` untimed ones (default 20). */
  latencyRuns?: number;
  warmupRuns?: number;
}

export type ScoredLabels =
  | { kind: "category"; codes: Int32Array; values: string[]; firstRows: number[] }
  | { kind: "number"; values: Float64Array };

export interface ScoreResult {
  rows: number;
  provider: Provider;
  labels: ScoredLabels;
  candidate: ModelScores;
  baseline: ModelScores | undefined;
  /** From the first batch requested to the last one scored: reading, parsing and inference. */
  wallMs: number;
}

const LATENCY_SAMPLE_ROWS = 200;

/** Scores every row of the table with the candidate and the baseline. */
export async function scoreModels(options: ScoreOptions): Promise<ScoreResult> {
  const { ort, task, featureCount } = options;
  const opened = await createSession(
    ort,
    options.candidate.path,
    options.candidate.bytes,
    options.provider,
    options.warn,
  );
  const runners = [new ModelRunner(ort, opened.session, options.candidate, task, featureCount)];
  try {
    if (options.baseline !== undefined) {
      const { path, bytes } = options.baseline;
      const base = await createSession(ort, path, bytes, opened.provider, options.warn);
      runners.push(new ModelRunner(ort, base.session, options.baseline, task, featureCount));
    }
    const labels = collectCategoryLabels(options.onNewLabel);
    const numberLabels: Float64Array[] = [];
    let rows = 0;
    let batchIndex = 0;
    let sample: Float32Array | undefined;
    const started = performance.now();
    for await (const batch of options.batches) {
      if (batch.rows === 0) continue;
      sample ??= batch.features.slice(0, Math.min(batch.rows, LATENCY_SAMPLE_ROWS) * featureCount);
      // Labels first: a label outside the model's classes stops the run before any inference.
      if (task === "classification") labels.add(batch);
      else numberLabels.push(batch.labels as Float64Array);
      // Alternate which model goes first, so neither always runs right after the parse (warm
      // caches) or right after the other model (whose idle onnxruntime threads still spin).
      const order = batchIndex++ % 2 === 0 ? runners : [...runners].reverse();
      for (const runner of order) await runner.scoreBatch(batch);
      rows += batch.rows;
      options.onProgress?.(rows);
    }
    const wallMs = performance.now() - started;
    if (sample === undefined) throw new UserError(`${options.dataPath}: no data rows to score`);
    const latencies = await measureLatency(
      runners,
      sample,
      options.warmupRuns ?? 20,
      options.latencyRuns ?? 200,
    );
    const scores = runners.map((runner, i) => runner.finish(latencies[i] as Float64Array));
    return {
      rows,
      provider: opened.provider,
      labels:
        task === "classification"
          ? { kind: "category", ...labels.finish() }
          : { kind: "number", values: concat(numberLabels, Float64Array) },
      candidate: scores[0] as ModelScores,
      baseline: scores[1],
      wallMs,
    };
  } finally {
    for (const runner of runners) await runner.session.release();
  }
}

/**
 * Single-row latencies of every model, runs interleaved (candidate, baseline, candidate, …) so
 * that a pause of the machine or the garbage collector hits both alike; rows cycle through `sample`.
 */
async function measureLatency(
  runners: readonly ModelRunner[],
  sample: Float32Array,
  warmupRuns: number,
  latencyRuns: number,
): Promise<Float64Array[]> {
  const sampleRows = sample.length / (runners[0]?.featureCount ?? 1);
  const latencies = runners.map(() => new Float64Array(latencyRuns));
  for (let i = 0; i < warmupRuns + latencyRuns; i++) {
    for (const [r, runner] of runners.entries()) {
      const ms = await runner.timeOneRow(sample, i % sampleRows);
      if (i >= warmupRuns) (latencies[r] as Float64Array)[i - warmupRuns] = ms;
    }
  }
  return latencies;
}

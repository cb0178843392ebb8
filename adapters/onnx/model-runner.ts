/** One model's onnxruntime session while it scores a table: batched runs, predictions, timings. */
import { UserError } from "../../core/errors.ts";
import type { FeatureInput, PredictionOutput } from "../../core/evaluate/match-signature.ts";
import type { Task } from "../../core/evaluate/model-info.ts";
import type { TableBatch } from "../data/table-batch.ts";
import { type Ort, oneLine, type Session } from "./create-session.ts";

export interface ModelToScore {
  path: string;
  bytes: Uint8Array;
  input: FeatureInput;
  output: PredictionOutput;
}

export interface ModelScores {
  /** Classification: row-major N×columns float32; regression: N float64. */
  predictions: Float32Array | Float64Array;
  columns: number;
  inferenceMs: number;
  latencyMs: Float64Array;
}

/** One model's session, its accumulated predictions and timings. */
export class ModelRunner {
  private readonly chunks: (Float32Array | Float64Array)[] = [];
  private columns: number | undefined;
  private inferenceMs = 0;
  private warm = false;

  constructor(
    private readonly ort: Ort,
    readonly session: Session,
    private readonly model: ModelToScore,
    private readonly task: Task,
    readonly featureCount: number,
  ) {}

  async scoreBatch(batch: TableBatch): Promise<void> {
    const step = this.model.input.fixedBatch ?? batch.rows;
    if (!this.warm) {
      // The first run of a session allocates its buffers; time the steady state, as in serving.
      await this.run(this.slice(batch, 0, step), step, batch.rowOffset);
      this.warm = true;
    }
    for (let start = 0; start < batch.rows; start += step) {
      const rows = Math.min(step, batch.rows - start);
      const features = this.slice(batch, start, step);
      const began = performance.now();
      const data = await this.run(features, step, batch.rowOffset + start);
      this.inferenceMs += performance.now() - began;
      this.keep(data, rows, step, batch.rowOffset + start);
    }
  }

  /** `step` rows of the batch from `start`, zero-padded past its end (for a fixed batch size). */
  private slice(batch: TableBatch, start: number, step: number): Float32Array {
    const width = this.featureCount;
    const end = Math.min(start + step, batch.rows);
    const features = batch.features.subarray(start * width, end * width);
    if (end - start === step) return features;
    const padded = new Float32Array(step * width);
    padded.set(features);
    return padded;
  }

  /** Predictions of all rows, with the latencies measured. */
  finish(latencyMs: Float64Array): ModelScores {
    const predictions =
      this.task === "classification"
        ? concat(this.chunks as Float32Array[], Float32Array)
        : concat(this.chunks as Float64Array[], Float64Array);
    return { predictions, columns: this.columns ?? 1, inferenceMs: this.inferenceMs, latencyMs };
  }

  /** One single-row run (or one fixed-size batch holding the row), timed in milliseconds. */
  async timeOneRow(sample: Float32Array, row: number): Promise<number> {
    const width = this.featureCount;
    const batchRows = this.model.input.fixedBatch ?? 1;
    const features = new Float32Array(batchRows * width);
    features.set(sample.subarray(row * width, (row + 1) * width));
    const began = performance.now();
    await this.run(features, batchRows, row);
    return performance.now() - began;
  }

  private async run(
    features: Float32Array,
    rows: number,
    rowOffset: number,
  ): Promise<Float32Array | Float64Array> {
    const { input, output, path } = this.model;
    const data = input.type === "float64" ? Float64Array.from(features) : features;
    const tensor = new this.ort.Tensor(input.type, data, [rows, this.featureCount]);
    let result: Awaited<ReturnType<Session["run"]>>;
    try {
      result = await this.session.run({ [input.name]: tensor }, [output.name]);
    } catch (error) {
      throw new UserError(
        `${path}: onnxruntime failed on data rows ${rowOffset + 1}–${rowOffset + rows}: ${oneLine(error)}`,
        { cause: error },
      );
    }
    const value = result[output.name];
    if (value === undefined || !(value.data instanceof Float32Array || value.data instanceof Float64Array)) {
      throw new UserError(`${path}: output \`${output.name}\` did not come back as a float tensor`);
    }
    this.checkDims(value.dims, rows);
    return value.data;
  }

  private checkDims(dims: readonly number[], rows: number): void {
    const { path, output } = this.model;
    const columns = dims.length === 1 ? 1 : dims.length === 2 ? (dims[1] as number) : -1;
    const wrong = (expected: string) =>
      new UserError(
        `${path}: output \`${output.name}\` came back with shape [${dims.join(", ")}] for ${rows} rows; expected ${expected}`,
      );
    if (dims[0] !== rows) throw wrong(`${rows} rows`);
    if (this.task === "classification" && (dims.length !== 2 || columns < 2))
      throw wrong(`[${rows}, C] with C >= 2`);
    if (this.task === "regression" && columns !== 1) throw wrong(`[${rows}] or [${rows}, 1]`);
    if (this.columns !== undefined && this.columns !== columns) {
      throw wrong(`${this.columns} columns as in the earlier batches`);
    }
    this.columns = columns;
  }

  /** Keeps the first `rows` rows of a run's output (the rest is padding); every value must be finite. */
  private keep(data: Float32Array | Float64Array, rows: number, runRows: number, rowOffset: number): void {
    const columns = this.columns ?? 1;
    const used = rows === runRows ? data : data.subarray(0, rows * columns);
    for (let i = 0; i < used.length; i++) {
      if (!Number.isFinite(used[i] as number)) {
        throw new UserError(
          `${this.model.path}: output \`${this.model.output.name}\` is ${used[i]} for data row ${rowOffset + Math.floor(i / columns) + 1}`,
        );
      }
    }
    if (this.task === "classification") {
      this.chunks.push(used instanceof Float32Array ? used : Float32Array.from(used));
    } else {
      this.chunks.push(Float64Array.from(used));
    }
  }
}

/** One typed array from a list of them. */
export function concat<T extends Float32Array | Float64Array>(
  chunks: readonly T[],
  Type: new (length: number) => T,
): T {
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const out = new Type(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/**
 * A model's predictions on a table, for prediction drift: the ONNX model scores every row of its
 * feature columns (CSV, Parquet, JSON Lines or the input log's records), batch by batch, and the
 * predictions are collected as a drift column: class labels (`modelci.classes`, else the class
 * index) for classification, values for regression. Rows with a missing feature are skipped.
 */
import { ColumnCollector } from "../../core/drift/collect-column.ts";
import type { ColumnSample } from "../../core/drift/drift-samples.ts";
import { UserError } from "../../core/errors.ts";
import { findFeatureInput, findPredictionOutput, resolveTask } from "../../core/evaluate/match-signature.ts";
import type { CellBatch } from "../../core/registry/profile-table.ts";
import { readFeatureBatches } from "../data/read-drift-table.ts";
import { createSession, type Ort, oneLine } from "../onnx/create-session.ts";
import { readModelInfo } from "../onnx/read-model-info.ts";

export interface PredictTableOptions {
  loadOrt: () => Promise<Ort>;
  modelPath: string;
  dataPath: string;
  /** The model's input columns, in input order (default: the model's `modelci.features`). */
  features?: readonly string[] | undefined;
  /** Input-log records: only this model's. */
  model?: string | undefined;
}

/** The predictions of the model on the table's rows, as a drift column. */
export async function predictTable(options: PredictTableOptions): Promise<ColumnSample> {
  const collector = new ColumnCollector();
  await predictRows(options, (value) => collector.add(value));
  return collector.finish();
}

/** Calls `add` with the model's prediction for each complete row of the table, in order. */
export async function predictRows(
  options: PredictTableOptions,
  add: (value: number | string) => void,
): Promise<void> {
  const { info, bytes } = await readModelInfo(options.modelPath);
  const features = options.features ?? info.features;
  if (features === undefined) {
    throw new UserError(
      `${options.modelPath}: no modelci.features metadata, so its input columns are unknown`,
    );
  }
  const task = resolveTask(info, undefined);
  const input = findFeatureInput(info, features);
  const output = findPredictionOutput(info, task);
  const ort = await options.loadOrt();
  const { session } = await createSession(ort, options.modelPath, bytes, "cpu", () => {});
  const width = features.length;
  const run = async (rows: Float32Array, count: number): Promise<void> => {
    const step = input.fixedBatch ?? count;
    for (let start = 0; start < count; start += step) {
      const n = Math.min(step, count - start);
      const chunk = new Float32Array(step * width);
      chunk.set(rows.subarray(start * width, (start + n) * width));
      const data = input.type === "float64" ? Float64Array.from(chunk) : chunk;
      let result: Awaited<ReturnType<typeof session.run>>;
      try {
        result = await session.run({ [input.name]: new ort.Tensor(input.type, data, [step, width]) }, [
          output.name,
        ]);
      } catch (error) {
        throw new UserError(`${options.modelPath}: onnxruntime failed: ${oneLine(error)}`, { cause: error });
      }
      const values = result[output.name]?.data as Float32Array | Float64Array;
      const columns = task === "classification" ? values.length / step : 1;
      for (let r = 0; r < n; r++) {
        if (task === "regression") {
          add(values[r] as number);
          continue;
        }
        let best = 0;
        for (let c = 1; c < columns; c++) {
          if ((values[r * columns + c] as number) > (values[r * columns + best] as number)) best = c;
        }
        add(info.classes?.[best] ?? String(best));
      }
    }
  };
  try {
    for await (const batch of readFeatureBatches(options.dataPath, features, options.model)) {
      const rows = toRows(batch, width);
      if (rows.count > 0) await run(rows.values, rows.count);
    }
  } finally {
    await session.release();
  }
}

/** The batch's complete numeric rows, row-major float32. */
function toRows(batch: CellBatch, width: number): { values: Float32Array; count: number } {
  const values = new Float32Array(batch.rows * width);
  let count = 0;
  for (let r = 0; r < batch.rows; r++) {
    let complete = true;
    for (let c = 0; c < width; c++) {
      const cell = (batch.values[c] as ArrayLike<unknown>)[r];
      if (typeof cell !== "number" || Number.isNaN(cell)) {
        complete = false;
        break;
      }
      values[count * width + c] = cell;
    }
    if (complete) count++;
  }
  return { values, count };
}

/**
 * The tensors-to-rows mapping of a tabular model (one float input [N, F], one prediction output):
 * `/v1` instances `{feature: value}` into the input matrix in the signature's column order, and a
 * run's output back into one prediction per row, with class labels for classifiers.
 */
import { RequestError } from "./request-error.ts";

/** What the server knows about a tabular model's columns. */
export interface TabularShape {
  /** Feature names in input column order. */
  features: readonly string[];
  task: "classification" | "regression";
  /** Class names in output column order (classification). */
  classes: readonly string[] | undefined;
  /** The largest finite value of the input's element type (float32: 3.4e38). */
  max: number;
}

export const MAX_ROWS = 100_000;

const bad = (message: string) => new RequestError(400, message);

/** `{"instances": [{feature: value, …}, …]}` as a row-major matrix in feature order. */
export function instancesToMatrix(body: unknown, shape: TabularShape): Float64Array {
  const instances = (body as { instances?: unknown } | null)?.instances;
  if (typeof body !== "object" || body === null || !Array.isArray(instances) || instances.length === 0) {
    throw bad(
      `request body must be {"instances": [{${shape.features.map((f) => JSON.stringify(f)).join(", ")}}, …]} with at least one instance`,
    );
  }
  if (instances.length > MAX_ROWS)
    throw bad(`at most ${MAX_ROWS} instances per request, got ${instances.length}`);
  const width = shape.features.length;
  const known = new Set(shape.features);
  const matrix = new Float64Array(instances.length * width);
  instances.forEach((instance, row) => {
    if (typeof instance !== "object" || instance === null || Array.isArray(instance)) {
      throw bad(`instances[${row}] must be an object of feature values`);
    }
    const record = instance as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!known.has(key)) {
        throw bad(
          `instances[${row}]: unknown feature ${JSON.stringify(key)}; the model takes ${shape.features.join(", ")}`,
        );
      }
    }
    shape.features.forEach((feature, column) => {
      const value = record[feature];
      if (value === undefined)
        throw bad(`instances[${row}]: missing feature ${JSON.stringify(feature)} (a number)`);
      if (typeof value !== "number") {
        throw bad(`instances[${row}].${feature} must be a number, got ${JSON.stringify(value)}`);
      }
      if (Math.abs(value) > shape.max) {
        throw bad(
          `instances[${row}].${feature} is ${value}, outside the model input's range (±${shape.max})`,
        );
      }
      matrix[row * width + column] = value;
    });
  });
  return matrix;
}

/** One row's prediction: the class label with its probabilities, or the regression value. */
export type RowPrediction = { label: string; probabilities: Record<string, number> } | number;

/** Each row's prediction from a run's output (N × C probabilities, or N values). */
export function outputToPredictions(
  output: ArrayLike<number>,
  rows: number,
  shape: Pick<TabularShape, "task" | "classes">,
): RowPrediction[] {
  const columns = rows === 0 ? 0 : output.length / rows;
  const predictions: RowPrediction[] = [];
  for (let row = 0; row < rows; row++) {
    if (shape.task === "regression") {
      predictions.push(output[row * columns] as number);
      continue;
    }
    let best = 0;
    const probabilities: Record<string, number> = {};
    for (let c = 0; c < columns; c++) {
      const p = output[row * columns + c] as number;
      if (p > (output[row * columns + best] as number)) best = c;
      probabilities[shape.classes?.[c] ?? String(c)] = p;
    }
    predictions.push({ label: shape.classes?.[best] ?? String(best), probabilities });
  }
  return predictions;
}

/** A row's prediction as the input log and drift checks want it: the label, or the number. */
export function predictionValue(prediction: RowPrediction): string | number {
  return typeof prediction === "number" ? prediction : prediction.label;
}

/** Row `row` of a row-major matrix as `{feature: value}`. */
export function matrixRow(
  matrix: ArrayLike<number>,
  row: number,
  features: readonly string[],
): Record<string, number> {
  const width = features.length;
  const record: Record<string, number> = {};
  features.forEach((feature, column) => {
    record[feature] = matrix[row * width + column] as number;
  });
  return record;
}

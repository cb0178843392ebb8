/**
 * Matches an ONNX model's signature to an evaluation table: which columns feed it, which input
 * takes them, and which output holds the predictions. Every rule that fails says what the model
 * declares and what the data has.
 */
import { UserError } from "../errors.ts";
import { describeDifference, list, sameList } from "./describe-difference.ts";
import { describeTensor, formatShape, type ModelInfo, type Task, type TensorInfo } from "./model-info.ts";

const FLOAT_TYPES = new Set(["float32", "float64"]);

/** The model input the features are fed to. */
export interface FeatureInput {
  name: string;
  type: "float32" | "float64";
  /** Rows per run when the model fixes its batch dimension (padded at the end); undefined when free. */
  fixedBatch: number | undefined;
}

/** The model output that holds the predictions. */
export interface PredictionOutput {
  name: string;
  type: "float32" | "float64";
  /** Number of columns when the shape declares it (classification), undefined when symbolic. */
  columns: number | undefined;
}

/** `--task`, else the model's `modelci.task`; neither is an error that asks for --task. */
export function resolveTask(model: ModelInfo, option: Task | undefined): Task {
  const task = option ?? model.task;
  if (task === undefined) {
    throw new UserError(
      `${model.path} has no modelci.task metadata; pass --task classification or --task regression`,
    );
  }
  return task;
}

/**
 * The feature columns, in model input order: `--features` when given, else the model's
 * `modelci.features`, else every column but the label. When both the option and the metadata are
 * there, they must agree.
 */
export function resolveFeatures(
  model: ModelInfo,
  columns: readonly string[],
  label: string,
  option: readonly string[] | undefined,
): { features: string[]; source: "option" | "model" | "data" } {
  if (option !== undefined) {
    checkModelFeatures(model, option, "--features");
    return { features: [...option], source: "option" };
  }
  if (model.features !== undefined) return { features: [...model.features], source: "model" };
  return { features: columns.filter((name) => name !== label), source: "data" };
}

/** A model that lists its features (`modelci.features`) must list exactly these, in this order. */
export function checkModelFeatures(model: ModelInfo, features: readonly string[], what: string): void {
  if (model.features === undefined || sameList(model.features, features)) return;
  throw new UserError(
    `${model.path} expects the features ${list(model.features)} (its modelci.features metadata), ` +
      `not ${list(features)} (${what}): ` +
      describeDifference(model.features, features, { expected: "the model", actual: what }),
  );
}

/** The one float input of shape [N, F] that the `features` columns are fed to. */
export function findFeatureInput(model: ModelInfo, features: readonly string[]): FeatureInput {
  const { inputs } = model;
  const expected = `one float input of shape [N, ${features.length}] (rows × features)`;
  if (inputs.length !== 1) {
    const found = inputs.length === 0 ? "none" : inputs.map(describeTensor).join(", ");
    throw new UserError(
      `${model.path}: model has ${inputs.length} inputs (${found}); modelci evaluate feeds tabular models ${expected}; ` +
        "for other models, use --command with --metrics",
    );
  }
  const input = inputs[0] as TensorInfo;
  if (!FLOAT_TYPES.has(input.type)) {
    throw new UserError(
      `${model.path}: model input ${describeTensor(input)} is not a float tensor; modelci evaluate feeds ${expected}`,
    );
  }
  const shape = input.shape;
  if (shape !== undefined && shape.length !== 2) {
    throw new UserError(
      `${model.path}: model input \`${input.name}\` has shape ${formatShape(shape)}; expected [N, F] (rows × features)`,
    );
  }
  const width = shape?.[1];
  if (typeof width === "number" && width !== features.length) {
    throw new UserError(
      `${model.path}: model input \`${input.name}\` expects ${width} features, the data has ${features.length}: ${list(features)}`,
    );
  }
  const rows = shape?.[0];
  return {
    name: input.name,
    type: input.type as FeatureInput["type"],
    fixedBatch: typeof rows === "number" && rows > 0 ? rows : undefined,
  };
}

/** The output named `probabilities`, else the first float output of shape [N, C]. */
export function findClassificationOutput(model: ModelInfo): PredictionOutput {
  const named = model.outputs.find((output) => output.name === "probabilities");
  if (named !== undefined && isMatrixOutput(named)) return toPrediction(named, columnsOf(named));
  const found = model.outputs.find(isMatrixOutput);
  if (found !== undefined) return toPrediction(found, columnsOf(found));
  const regression = model.outputs.find(isColumnOutput);
  const hint =
    regression !== undefined
      ? `; ${describeTensor(regression)} holds one value per row, a regression output${taskHint(model, "regression")}`
      : "";
  throw new UserError(
    `${model.path}: no classification output: expected a float output of shape [N, C] with C >= 2 ` +
      `(one probability per class), found ${model.outputs.map(describeTensor).join(", ")}${hint}`,
  );
}

/** The first float output of shape [N] or [N, 1]. */
export function findRegressionOutput(model: ModelInfo): PredictionOutput {
  const found = model.outputs.find(isColumnOutput);
  if (found !== undefined) return toPrediction(found, 1);
  const classification = model.outputs.find(isMatrixOutput);
  const hint =
    classification !== undefined
      ? `; ${describeTensor(classification)} holds one value per class, a classification output${taskHint(model, "classification")}`
      : "";
  throw new UserError(
    `${model.path}: no regression output: expected a float output of shape [N] or [N, 1] (one prediction per row), ` +
      `found ${model.outputs.map(describeTensor).join(", ")}${hint}`,
  );
}

/** The prediction output for the task. */
export function findPredictionOutput(model: ModelInfo, task: Task): PredictionOutput {
  return task === "classification" ? findClassificationOutput(model) : findRegressionOutput(model);
}

function taskHint(model: ModelInfo, task: Task): string {
  return model.task === task
    ? ` (its modelci.task metadata says ${task}; drop --task or pass --task ${task})`
    : "";
}

/** A float tensor of rank 2 whose second dimension is not 1 (a number >= 2, or symbolic). */
function isMatrixOutput(output: TensorInfo): boolean {
  if (!FLOAT_TYPES.has(output.type) || output.shape?.length !== 2) return false;
  const columns = output.shape[1];
  return typeof columns !== "number" || columns >= 2;
}

/** A float tensor of shape [N] or [N, 1]; unknown rank counts, the run checks it. */
function isColumnOutput(output: TensorInfo): boolean {
  if (!FLOAT_TYPES.has(output.type)) return false;
  const shape = output.shape;
  return shape === undefined || shape.length === 1 || (shape.length === 2 && shape[1] === 1);
}

function columnsOf(output: TensorInfo): number | undefined {
  const columns = output.shape?.[1];
  return typeof columns === "number" ? columns : undefined;
}

function toPrediction(output: TensorInfo, columns: number | undefined): PredictionOutput {
  return { name: output.name, type: output.type as PredictionOutput["type"], columns };
}

/**
 * `modelci evaluate` for a tabular ONNX model: check the model(s) against the data before anything
 * runs, score every row with onnxruntime, compute the metrics and compare with the baseline.
 * Shared by the CLI and the evaluate Action; the onnxruntime module is passed in.
 */
import { UserError } from "../../core/errors.ts";
import { makeEvaluationResult, type ScoredModel } from "../../core/evaluate/make-evaluation-result.ts";
import {
  checkModelFeatures,
  findFeatureInput,
  findPredictionOutput,
  resolveFeatures,
  resolveTask,
} from "../../core/evaluate/match-signature.ts";
import type { ModelInfo, Task } from "../../core/evaluate/model-info.ts";
import {
  alignBaselineClasses,
  checkClassCount,
  classesFromLabels,
  labelOutsideClasses,
  mapLabelCodes,
  permuteColumns,
  type ResolvedClasses,
  resolveDeclaredClasses,
} from "../../core/evaluate/resolve-classes.ts";
import type { ComputedEvaluation } from "../../schemas/evaluation-result.ts";
import { type MissingPolicy, readTable, readTableHeader } from "../data/read-table.ts";
import { resolveColumns } from "../data/resolve-columns.ts";
import { hashFile } from "../files/hash-file.ts";
import type { Ort, Provider } from "../onnx/create-session.ts";
import { readModelInfo } from "../onnx/read-model-info.ts";
import { type ModelScores, type ModelToScore, scoreModels } from "../onnx/score-model.ts";

export interface EvaluateModelOptions {
  ort: Ort;
  model: string;
  data: string;
  label: string;
  features?: string[] | undefined;
  task?: Task | undefined;
  classes?: string[] | undefined;
  baseline?: string | undefined;
  provider?: Provider | undefined;
  batchRows?: number | undefined;
  resamples?: number | undefined;
  seed?: number | undefined;
  latencyRuns?: number | undefined;
  /** Rows with a missing value in a feature or the label: error (default) or drop. */
  missing?: MissingPolicy | undefined;
  /** One-line warnings (CUDA fallback), for stderr. */
  warn: (message: string) => void;
  onProgress?: ((rows: number) => void) | undefined;
  /** Progress of the paired bootstrap against the baseline (resamples done of total). */
  onBootstrap?: ((done: number, total: number) => void) | undefined;
}

/** Scores the model (and the baseline) on the data and returns the result JSON. */
export async function evaluateModel(options: EvaluateModelOptions): Promise<ComputedEvaluation> {
  const candidate = await readModelInfo(options.model);
  const task = resolveTask(candidate.info, options.task);
  const { columns } = await readTableHeader(options.data);
  const { features } = resolveFeatures(candidate.info, columns, options.label, options.features);
  resolveColumns(options.data, columns, options.label, features);
  const toScore = prepare(candidate.info, candidate.bytes, features, task);
  const declared =
    task === "classification" ? resolveDeclaredClasses(candidate.info, options.classes) : undefined;
  if (declared !== undefined && toScore.output.columns !== undefined) {
    checkClassCount(candidate.info, declared, toScore.output.columns);
  }

  const baseline = options.baseline === undefined ? undefined : await readModelInfo(options.baseline);
  let baselineToScore: ModelToScore | undefined;
  if (baseline !== undefined) {
    baselineToScore = prepare(baseline.info, baseline.bytes, features, task, "baseline ");
    // With the classes known up front, a baseline with other classes fails before any scoring.
    if (declared !== undefined) {
      const columns = baselineToScore.output.columns ?? declared.classes.length;
      alignBaselineClasses(baseline.info, declared.classes, columns);
    }
  }

  const scored = await scoreModels({
    ort: options.ort,
    dataPath: options.data,
    provider: options.provider ?? "cpu",
    task,
    featureCount: features.length,
    candidate: toScore,
    baseline: baselineToScore,
    batches: readTable({
      path: options.data,
      label: options.label,
      features,
      labelKind: task === "classification" ? "category" : "number",
      batchRows: options.batchRows,
      missing: options.missing,
      onDropped: (rows) =>
        options.warn(
          `${options.data}: left out ${rows === 1 ? "1 row" : `${rows} rows`} with a missing value (evaluate.missing: drop)`,
        ),
    }),
    onNewLabel: declared === undefined ? undefined : checkLabel(options.data, declared),
    onProgress: options.onProgress,
    warn: options.warn,
    latencyRuns: options.latencyRuns,
  });

  let truth: Int32Array | Float64Array;
  let classes: ResolvedClasses | undefined;
  let baselinePredictions = scored.baseline?.predictions;
  if (scored.labels.kind === "category") {
    const { codes, values, firstRows } = scored.labels;
    classes = declared ?? classesFromLabels(values);
    checkClassCount(candidate.info, classes, scored.candidate.columns);
    truth = mapLabelCodes(options.data, codes, values, firstRows, classes);
    if (baseline !== undefined && scored.baseline !== undefined) {
      const order = alignBaselineClasses(baseline.info, classes.classes, scored.baseline.columns);
      baselinePredictions = permuteColumns(scored.baseline.predictions as Float32Array, order);
    }
  } else {
    truth = scored.labels.values;
  }

  const data = await hashFile(options.data);
  return makeEvaluationResult({
    task,
    data: { path: options.data, sha256: data.sha256, rows: scored.rows },
    label: options.label,
    features,
    classes: classes?.classes,
    provider: scored.provider,
    truth,
    candidate: toScoredModel(candidate.info, scored.candidate, scored.candidate.predictions),
    baseline:
      baseline === undefined || scored.baseline === undefined || baselinePredictions === undefined
        ? undefined
        : toScoredModel(baseline.info, scored.baseline, baselinePredictions),
    resamples: options.resamples,
    seed: options.seed,
    onBootstrap: options.onBootstrap,
    wallMs: scored.wallMs,
  });
}

/** The model's input and prediction output for these features and this task. */
function prepare(
  info: ModelInfo,
  bytes: Uint8Array,
  features: readonly string[],
  task: Task,
  role = "",
): ModelToScore {
  try {
    if (role !== "") checkModelFeatures(info, features, "the candidate's features");
    return {
      path: info.path,
      bytes,
      input: findFeatureInput(info, features),
      output: findPredictionOutput(info, task),
    };
  } catch (error) {
    if (role !== "" && error instanceof UserError) throw new UserError(`${role}${error.message}`);
    throw error;
  }
}

/** Stops at the first row whose label the declared classes do not cover. */
function checkLabel(dataPath: string, declared: ResolvedClasses): (value: string, row: number) => void {
  const known = new Set(declared.classes);
  return (value, row) => {
    if (!known.has(value)) throw labelOutsideClasses(dataPath, value, row, declared);
  };
}

function toScoredModel(
  info: ModelInfo,
  scores: ModelScores,
  predictions: Float32Array | Float64Array,
): ScoredModel {
  return {
    model: { path: info.path, sha256: info.sha256, bytes: info.bytes },
    predictions,
    inferenceMs: scores.inferenceMs,
    latencyMs: scores.latencyMs,
  };
}

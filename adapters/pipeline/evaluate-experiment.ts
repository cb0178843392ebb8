import { basename, join, relative } from "node:path";
import { didYouMean } from "../../core/declarations/did-you-mean.ts";
import type { Project } from "../../core/declarations/project.ts";
import { UserError } from "../../core/errors.ts";
import type { EvaluatedChampion, EvaluationResult } from "../../schemas/evaluation-result.ts";
import type { Experiment, Model } from "../../schemas/index.ts";
import { resolveInside } from "../files/resolve-inside.ts";
import type { Ort, Provider } from "../onnx/create-session.ts";
import type { OutputStream } from "../process/run-command.ts";
import { evaluateModel } from "./evaluate-model.ts";
import { evaluateWithCommand } from "./evaluate-with-command.ts";

export interface EvaluateExperimentOptions {
  /** The repository folder and its loaded, valid declarations. */
  dir: string;
  project: Project;
  experiment: string;
  /** The candidate model; default: the run folder's copy of `outputs.model`, else `outputs.model` itself. */
  model?: string | undefined;
  /** A run folder written by `modelci train` (manifest.json, outputs/). */
  runDir?: string | undefined;
  baseline?: string | undefined;
  /** The champion the caller looked up (`recordChampion`), recorded in the result for the report. */
  champion?: EvaluatedChampion | undefined;
  provider?: Provider | undefined;
  resamples?: number | undefined;
  seed?: number | undefined;
  /** Loads onnxruntime only when an ONNX model is scored. */
  loadOrt: () => Promise<Ort>;
  warn: (message: string) => void;
  onLine?: (stream: OutputStream, line: string) => void;
  onProgress?: (rows: number) => void;
  onBootstrap?: (done: number, total: number) => void;
}

export function findExperiment(
  project: Project,
  name: string,
): { experiment: Experiment; model: Model | undefined } {
  const declared = project.experiments.get(name);
  if (!declared) {
    const names = [...project.experiments.keys()];
    throw new UserError(
      `no experiment ${JSON.stringify(name)}${didYouMean(name, names)}; declared: ${names.join(", ") || "none"}`,
    );
  }
  return { experiment: declared.value, model: project.models.get(declared.value.model)?.value };
}

/**
 * Evaluates an experiment's trained model the way its declarations say: its `evaluate.command`
 * when it has one (self-reported metrics), else the ONNX model on `data.eval`, with the model's
 * task and classes. The result names its run and, when given, the champion the caller looked up.
 */
export async function evaluateExperiment(options: EvaluateExperimentOptions): Promise<EvaluationResult> {
  const result = await evaluateDeclared(options);
  const { experiment } = findExperiment(options.project, options.experiment);
  const runId = options.runDir === undefined ? "default" : basename(options.runDir);
  return {
    ...result,
    run: { model: experiment.model, experiment: options.experiment, "run-id": runId },
    ...(options.champion === undefined ? {} : { champion: options.champion }),
  };
}

async function evaluateDeclared(options: EvaluateExperimentOptions): Promise<EvaluationResult> {
  const { experiment, model } = findExperiment(options.project, options.experiment);
  const root = join(options.dir, options.project.root);
  const custom = experiment.evaluate;
  if (custom?.command !== undefined && custom.metrics !== undefined) {
    return evaluateWithCommand({
      command: custom.command,
      metricsFile: await resolveInside(root, custom.metrics, "evaluate.metrics"),
      task: model?.task,
      cwd: root,
      onLine: options.onLine,
    });
  }
  const data = experiment.data.eval;
  if (data === undefined) {
    throw new UserError(
      `experiment ${JSON.stringify(options.experiment)} declares no \`data.eval\`, so modelci cannot score it; add \`data.eval\` or an \`evaluate.command\``,
    );
  }
  const modelPath =
    options.model ??
    (options.runDir !== undefined
      ? await resolveInside(join(options.runDir, "outputs"), experiment.outputs.model, "outputs.model")
      : await resolveInside(root, experiment.outputs.model, "outputs.model"));
  const dataPath = await resolveInside(root, data.path, "data.eval.path");
  return evaluateModel({
    ort: await options.loadOrt(),
    model: relative(process.cwd(), modelPath),
    data: relative(process.cwd(), dataPath),
    label: data.label,
    features: data.features,
    task: model?.task,
    classes: model?.classes,
    baseline: options.baseline,
    provider: options.provider ?? custom?.provider ?? options.project.config.defaults.provider,
    batchRows: custom?.["batch-size"],
    missing: custom?.missing,
    resamples: options.resamples,
    seed: options.seed,
    warn: options.warn,
    onProgress: options.onProgress,
    onBootstrap: options.onBootstrap,
  });
}

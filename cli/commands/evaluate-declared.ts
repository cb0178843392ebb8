/**
 * `modelci evaluate --experiment NAME` (or `--model FILE` with no `--data`): the declarations say
 * the data, label, features, task and classes, and the candidate is compared with the champion
 * unless `--baseline` names something else (or `none`).
 */

import { existsSync } from "node:fs";
import { relative, resolve } from "node:path";
import type { Ort, Provider } from "../../adapters/onnx/create-session.ts";
import { loadOnnxruntime } from "../../adapters/onnx/load-onnxruntime.ts";
import { evaluateExperiment } from "../../adapters/pipeline/evaluate-experiment.ts";
import { loadValidProject, loadValidProjectAt } from "../../adapters/pipeline/load-valid-project.ts";
import { experimentBaseline, resolveBaseline } from "../../adapters/pipeline/resolve-baseline.ts";
import type { Project } from "../../core/declarations/project.ts";
import { UsageError } from "../../core/errors.ts";
import { recordChampion } from "../../core/registry/find-champion.ts";
import type { EvaluatedChampion, EvaluationResult } from "../../schemas/evaluation-result.ts";
import type { Output } from "../command.ts";

export interface DeclaredOptions {
  root: string;
  experiment: string | undefined;
  model: string | undefined;
  baseline: string | undefined;
  /** The revision whose declarations name the champion (default: the working tree). */
  base: string | undefined;
  provider: Provider | undefined;
  resamples: number | undefined;
  seed: number | undefined;
  onProgress: (rows: number) => void;
  onBootstrap: (done: number, total: number) => void;
}

/** A run folder's path parts: `.modelci/runs/<experiment>/<run-id>/outputs/…`. */
const RUN_FOLDER = /^(.*[\\/]\.modelci[\\/]runs[\\/]([^\\/]+)[\\/][^\\/]+)[\\/]outputs[\\/]/;

/** The experiment a model file belongs to: its run folder's, the one whose output it is, or the only one. */
function inferExperiment(project: Project, dir: string, model: string): string {
  const path = resolve(model);
  const run = RUN_FOLDER.exec(path);
  if (run && project.experiments.has(run[2] as string)) return run[2] as string;
  const names = [...project.experiments.keys()];
  const owner = names.filter((name) => {
    const declared = project.experiments.get(name)?.value;
    return declared && resolve(dir, project.root, declared.outputs.model) === path;
  });
  if (owner.length === 1) return owner[0] as string;
  if (names.length === 1) return names[0] as string;
  throw new UsageError(
    `which experiment does ${model} belong to? pass --experiment NAME (declared in ${relative(process.cwd(), dir) || "."}: ${names.join(", ") || "none"}), or --data and --label`,
  );
}

/**
 * The champion the result records, for the report: looked up unless `--baseline` names the baseline,
 * at `--base` (else the working tree).
 */
function championOption(
  project: Project,
  declarations: Project,
  experiment: string,
  options: DeclaredOptions,
): { champion?: EvaluatedChampion } {
  const model = project.experiments.get(experiment)?.value.model;
  if (options.baseline !== undefined || model === undefined) return {};
  return { champion: recordChampion(declarations, model, options.base ?? "working-tree") };
}

/** Evaluates the experiment's candidate as its declarations say, against the champion by default. */
export async function evaluateDeclared(options: DeclaredOptions, output: Output): Promise<EvaluationResult> {
  const dir = resolve(options.root);
  const project = await loadValidProject(dir);
  const experiment = options.experiment ?? inferExperiment(project, dir, options.model as string);
  const declarations = options.base === undefined ? project : await loadValidProjectAt(dir, options.base);
  const context = { dir, project, env: process.env };
  const baseline = await experimentBaseline(context, experiment, options.baseline, declarations);
  if (baseline !== undefined) output.err(`baseline: ${baseline.description}\n`);
  const run = options.model === undefined ? undefined : RUN_FOLDER.exec(resolve(options.model));
  return evaluateExperiment({
    dir,
    project,
    experiment,
    model: options.model,
    runDir: run?.[1],
    baseline: baseline?.path,
    ...championOption(project, declarations, experiment, options),
    provider: options.provider,
    resamples: options.resamples,
    seed: options.seed,
    loadOrt: async (): Promise<Ort> => await loadOnnxruntime(),
    warn: (message) => output.err(`${message}\n`),
    onLine: (_stream, line) => output.err(`${line}\n`),
    onProgress: options.onProgress,
    onBootstrap: options.onBootstrap,
  });
}

/** `--baseline` outside declarations mode: a file as it is; `MODEL@…` or a store URI through `--root`. */
export async function resolveBaselineOption(
  root: string,
  spec: string | undefined,
  output: Output,
): Promise<string | undefined> {
  if (spec === undefined || spec === "none") return undefined;
  if (existsSync(spec)) return spec;
  if (!/^(local|release):|^[a-z0-9][a-z0-9._-]*@[^/\\]+$/.test(spec)) return spec;
  const dir = resolve(root);
  const baseline = await resolveBaseline(spec, {
    dir,
    project: await loadValidProject(dir),
    env: process.env,
  });
  output.err(`baseline: ${baseline.description}\n`);
  return baseline.path;
}

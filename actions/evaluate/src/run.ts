import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as core from "@actions/core";
import { readEventCommits } from "../../../adapters/actions/read-event.ts";
import { uploadFolder } from "../../../adapters/actions/upload-artifact.ts";
import { ONNXRUNTIME_DIR_ENV, resolveOnnxruntime } from "../../../adapters/onnx/unpack-onnxruntime.ts";
import { evaluateExperiment } from "../../../adapters/pipeline/evaluate-experiment.ts";
import { loadValidProject, loadValidProjectAt } from "../../../adapters/pipeline/load-valid-project.ts";
import { type Baseline, experimentBaseline } from "../../../adapters/pipeline/resolve-baseline.ts";
import type { Project } from "../../../core/declarations/project.ts";
import { ConfigError, describeError, UserError } from "../../../core/errors.ts";
import { renderEvaluation } from "../../../core/evaluate/render-evaluation.ts";
import { recordChampion } from "../../../core/registry/find-champion.ts";
import { EVALUATION_FAILURE_FILE, type EvaluationFailure } from "../../../schemas/evaluation-failure.ts";
import type { EvaluatedChampion } from "../../../schemas/evaluation-result.ts";
import { type Inputs, readEvaluateInputs } from "./inputs.ts";

const PACK = "onnxruntime-linux-x64.pack";

/** Evaluates the experiment's trained model, writes the result JSON and uploads it. */
export async function run(): Promise<void> {
  try {
    const inputs = readEvaluateInputs();
    const dir = resolve(inputs.root);
    const project = await loadValidProject(dir);
    const runDir = inputs["run-dir"] === undefined ? undefined : resolve(inputs["run-dir"]);
    const { baseline, champion } = await findBaseline(dir, project, inputs);
    const result = await evaluateOrRecord(runDir, project, inputs, {
      dir,
      project,
      experiment: inputs.experiment,
      model: inputs.model,
      runDir,
      baseline: baseline?.path,
      champion,
      provider: inputs.provider,
      resamples: inputs.resamples,
      loadOrt: async () => {
        const runtime = await resolveOnnxruntime({
          packPath: fileURLToPath(new URL(`./${PACK}`, import.meta.url)),
          cacheRoot: process.env.RUNNER_TOOL_CACHE ?? tmpdir(),
          overrideDir: inputs["onnxruntime-dir"] ?? process.env[ONNXRUNTIME_DIR_ENV],
        });
        core.info(`onnxruntime from ${runtime.source === "pack" ? "the Action's pack" : runtime.dir}`);
        return runtime.ort;
      },
      warn: (message) => core.warning(message),
      onLine: (_stream, line) => core.info(line),
      onBootstrap: logBootstrap,
    });
    const out = resolve(inputs.out ?? (runDir ? join(runDir, "evaluation.json") : "modelci-evaluation.json"));
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    core.info(renderEvaluation(result));
    core.setOutput("result", relative(process.cwd(), out));
    core.setOutput("metrics", JSON.stringify(result.metrics));
    core.setOutput("provider", result["self-reported"] ? "" : result.provider);
    core.setOutput("self-reported", String(result["self-reported"]));
    if (inputs.upload) {
      const run = runDir ? basename(runDir) : "default";
      const name = `modelci-eval-${inputs.experiment}-${run}`.replace(/[^A-Za-z0-9._-]/g, "_");
      const folder = join(tmpdir(), `${name}-${process.pid}`);
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
      await uploadFolder(name, folder, undefined);
    }
  } catch (error) {
    core.setFailed(describeError(error));
  }
}

/**
 * Evaluates; when evaluating a trained run fails for a reason a user can fix (bad data, a missing
 * column…), writes `evaluation-error.json` into the run folder and uploads it as the result would
 * be, so the report says why this run has no result, then fails the step with the same reason.
 */
async function evaluateOrRecord(
  runDir: string | undefined,
  project: Project,
  inputs: Inputs,
  options: Parameters<typeof evaluateExperiment>[0],
): ReturnType<typeof evaluateExperiment> {
  try {
    return await evaluateExperiment(options);
  } catch (error) {
    const model = project.experiments.get(inputs.experiment)?.value.model;
    if (!(error instanceof UserError) || runDir === undefined || model === undefined) throw error;
    const failure: EvaluationFailure = {
      "failure-version": 1,
      run: { model, experiment: inputs.experiment, "run-id": basename(runDir) },
      error: describeError(error),
    };
    const text = `${JSON.stringify(failure, null, 2)}\n`;
    await writeFile(join(runDir, EVALUATION_FAILURE_FILE), text);
    if (inputs.upload) {
      const name = `modelci-eval-${inputs.experiment}-${basename(runDir)}`.replace(/[^A-Za-z0-9._-]/g, "_");
      const folder = join(tmpdir(), `${name}-${process.pid}`);
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, `${name}.json`), text);
      await uploadFolder(name, folder, undefined);
    }
    throw error;
  }
}

/**
 * The `baseline` input, else the champion as the declarations at the base commit name it (the
 * pull request's base, or a push's `before`), else as the working tree names it. Without the
 * input, the champion looked up (or that there is none) is recorded for the report.
 */
async function findBaseline(
  dir: string,
  project: Project,
  inputs: Inputs,
): Promise<{ baseline: Baseline | undefined; champion: EvaluatedChampion | undefined }> {
  const context = { dir, project, env: process.env };
  const override = inputs.baseline;
  const base = override === undefined ? (inputs.base ?? readEventCommits().base) : undefined;
  const declarations = base === undefined ? project : await loadBase(dir, base, project);
  const baseline = await experimentBaseline(context, inputs.experiment, override, declarations);
  const atBase = base !== undefined && declarations !== project;
  const where = atBase ? `commit ${base.slice(0, 12)}` : "the working tree";
  if (baseline !== undefined)
    core.info(`Baseline: ${baseline.description}${override ? "" : `, at ${where}`}`);
  else if (override === undefined) core.info(`No champion at ${where}: the candidate is judged on its own.`);
  const model = project.experiments.get(inputs.experiment)?.value.model;
  const champion =
    override === undefined && model !== undefined
      ? recordChampion(declarations, model, atBase ? base : "working-tree")
      : undefined;
  return { baseline, champion };
}

/** The declarations at the base; invalid there (a pull request that fixes them), the working tree's. */
async function loadBase(dir: string, base: string, project: Project): Promise<Project> {
  try {
    return await loadValidProjectAt(dir, base);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    core.warning(
      `${describeError(error)}\nThe champion is read from the working tree's declarations instead.`,
    );
    return project;
  }
}

/** The paired bootstrap against the baseline can take a while on big data: a log line per quarter. */
function logBootstrap(done: number, total: number): void {
  const quarter = Math.max(1, Math.floor(total / 4));
  if (done === 1)
    core.info(`Confidence intervals: ${total} paired bootstrap resamples against the baseline…`);
  else if (done % quarter === 0 || done === total) core.info(`  ${done} of ${total} resamples`);
}

import { writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { writeOutputFile } from "../../adapters/files/write-output-file.ts";
import { loadOnnxruntime } from "../../adapters/onnx/load-onnxruntime.ts";
import { evaluateExperiment } from "../../adapters/pipeline/evaluate-experiment.ts";
import { loadValidProject } from "../../adapters/pipeline/load-valid-project.ts";
import { planChange } from "../../adapters/pipeline/plan-change.ts";
import { fetchChampion } from "../../adapters/pipeline/resolve-baseline.ts";
import {
  DEFAULT_RUNS_DIR,
  type TrainedRun,
  trainExperiment,
} from "../../adapters/pipeline/train-experiment.ts";
import { compareRunOutputs, type Loaded } from "../../core/compare/compare-run-outputs.ts";
import { metricDirection } from "../../core/compare/metric-direction.ts";
import { pickBestRun } from "../../core/compare/pick-best-run.ts";
import type { Project } from "../../core/declarations/project.ts";
import { describeError, UserError } from "../../core/errors.ts";
import { type RunRow, renderRunTable } from "../../core/evaluate/render-run-table.ts";
import { type Plan, planAll } from "../../core/plan/plan-runs.ts";
import { recordChampion } from "../../core/registry/find-champion.ts";
import { renderReport } from "../../core/report/render-report.ts";
import { isPassing } from "../../core/report/render-summary.ts";
import { renderTerminalReport } from "../../core/report/render-terminal-report.ts";
import { EVALUATION_FAILURE_FILE, type EvaluationFailure } from "../../schemas/evaluation-failure.ts";
import type { EvaluationResult } from "../../schemas/evaluation-result.ts";
import type { RunManifest } from "../../schemas/run-manifest.ts";
import type { Command } from "../command.ts";
import { plural } from "../format-diagnostics.ts";
import { stringOption } from "../parse-command-line.ts";

/** What to do with an experiment's best run: register it, unless a version already has its artifact. */
function nextStep(
  project: Project,
  planned: { name: string; model: string },
  sha256: string,
  dir: string,
): string {
  for (const [number, version] of project.versions.get(planned.model) ?? []) {
    if (version.value.artifact.sha256 === sha256)
      return `the best run of ${planned.name} is byte-identical to ${planned.model} v${number}: nothing new to register`;
  }
  const root = relative(process.cwd(), dir);
  return `next: modelci register ${planned.model} --run ${planned.name} --best${root === "" ? "" : ` --root ${root}`}`;
}

const TABLE_METRICS = ["accuracy", "f1_macro", "log_loss", "roc_auc", "rmse", "mae", "r2", "latency_p99_ms"];

export const runCommand: Command = {
  name: "run",
  help: `Usage: modelci run [--root DIR] [--base REV] [--experiment NAME]... [--quiet] [--report FILE]

The local pipeline, as a pull request runs it on GitHub: validate the declarations, plan the
runs (the experiments a change since --base affects, or every experiment), train every run,
evaluate each trained model on its experiment's evaluation data, and print the metrics with the
best run of each sweep by the model's primary metric. When the model has a champion (the version
its baseline target serves), every run is scored against it on the same rows and the comparison
verdicts a pull request would get are printed, as plain text (--report writes the Markdown);
a failing gate makes the exit status 1. Each run folder (.modelci/runs/<experiment>/<run-id>/)
gets manifest.json and evaluation.json (evaluation-error.json, with the reason, when evaluating
it failed); run folders of an earlier sweep are removed first.

Options:
  --root DIR          repository folder (default: .)
  --base REV          plan only what changed since this revision (default: every experiment)
  --experiment NAME   run only this experiment (repeatable)
  --quiet             do not stream training logs
  --report FILE       also write the comparison as the Markdown a pull request gets

Exit status: 0 when every run trained and evaluated, 1 otherwise, 2 usage error.

Example:
  modelci run --root examples/weather`,
  options: {
    root: { type: "string", default: "." },
    base: { type: "string" },
    experiment: { type: "string", multiple: true },
    quiet: { type: "boolean", default: false },
    report: { type: "string" },
  },
  maxPositionals: 0,
  async run(args, output) {
    const dir = resolve(stringOption(args, "root") ?? ".");
    const only = args.values.experiment as string[] | undefined;
    const quiet = args.values.quiet === true;
    const project = await loadValidProject(dir);
    output.out(`✓ validated ${relative(process.cwd(), dir) || "."}\n`);
    const base = stringOption(args, "base");
    const plan: Plan =
      base === undefined ? planAll(project, only) : (await planChange(dir, base, "HEAD")).plan;
    for (const name of only ?? []) {
      if (!project.experiments.has(name)) throw new UserError(`no experiment ${JSON.stringify(name)}`);
    }
    output.out(
      `✓ planned ${plural(plan.runs.length, "run")} of ${plural(plan.experiments.length, "experiment")}\n`,
    );
    let failures = 0;
    const ort = () => loadOnnxruntime();
    const results: Loaded<EvaluationResult>[] = [];
    const manifests: Loaded<RunManifest>[] = [];
    const nextSteps: string[] = [];
    const evaluationFailures: Loaded<EvaluationFailure>[] = [];
    for (const planned of plan.experiments) {
      output.out(`\n▶ train ${planned.name} (${plural(planned.runs, "run")})\n`);
      const baseline = await fetchChampion({ dir, project, env: process.env }, planned.model);
      if (baseline)
        output.out(`  champion: ${planned.model} version ${baseline.version} (${baseline.target})\n`);
      const trained: TrainedRun[] = await trainExperiment({
        dir,
        experiment: planned.name,
        onStaleRemoved: (ids) =>
          output.out(
            `  removed ${plural(ids.length, "run folder")} of an earlier sweep: ${ids.join(", ")}\n`,
          ),
        onRunStart: (run, argv, index, total) =>
          output.out(`  [${index + 1}/${total}] ${run.runId}: ${argv.join(" ")}\n`),
        onLine: (_run, _stream, line) => {
          if (!quiet) output.out(`    │ ${line}\n`);
        },
      });
      const rows: RunRow[] = [];
      for (const { manifest, runDir } of trained) {
        manifests.push({ file: join(runDir, "manifest.json"), value: manifest });
        if (manifest.status !== "succeeded") {
          failures += 1;
          rows.push({ runId: manifest["run-id"], status: manifest.status, metrics: {} });
          output.out(`  ✗ ${manifest["run-id"]}: ${manifest.reason}\n`);
          continue;
        }
        try {
          const result = await evaluateExperiment({
            dir,
            project,
            experiment: planned.name,
            runDir,
            baseline: baseline?.path,
            champion: recordChampion(project, planned.model, "working-tree"),
            loadOrt: ort,
            warn: (m) => output.err(`${m}\n`),
          });
          await writeFile(join(runDir, "evaluation.json"), `${JSON.stringify(result, null, 2)}\n`);
          results.push({ file: join(runDir, "evaluation.json"), value: result });
          rows.push({ runId: manifest["run-id"], status: "evaluated", metrics: result.metrics });
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
          failures += 1;
          rows.push({ runId: manifest["run-id"], status: "eval failed", metrics: {} });
          const failure: EvaluationFailure = {
            "failure-version": 1,
            run: { model: planned.model, experiment: planned.name, "run-id": manifest["run-id"] },
            error: describeError(error),
          };
          const file = join(runDir, EVALUATION_FAILURE_FILE);
          await writeFile(file, `${JSON.stringify(failure, null, 2)}\n`);
          evaluationFailures.push({ file, value: failure });
          output.out(`  ✗ ${manifest["run-id"]}: evaluation failed: ${describeError(error)}\n`);
        }
      }
      const model = project.models.get(planned.model)?.value;
      const metric = model?.["primary-metric"] ?? "accuracy";
      const direction = metricDirection(metric, model);
      const best = pickBestRun(rows, metric, direction);
      const shown = TABLE_METRICS.filter((m) => rows.some((r) => typeof r.metrics[m] === "number"));
      output.out(`\n${renderRunTable(rows, shown, { metric, direction, best: best?.runId })}\n`);
      const bestRun = trained.find((t) => t.manifest["run-id"] === best?.runId);
      const bestModel = bestRun?.manifest.outputs.model;
      if (best && bestRun && bestModel) {
        const value = Number((best.metrics[metric] as number).toPrecision(4));
        const path = relative(process.cwd(), join(bestRun.runDir, "outputs", bestModel.path));
        output.out(`★ best run of ${planned.name}: ${best.runId} (${metric} ${value}); model ${path}\n`);
        nextSteps.push(nextStep(project, planned, bestModel.sha256, dir));
      }
    }
    let passing = true;
    if (results.length + manifests.length > 0) {
      const models = compareRunOutputs(project, results, manifests, undefined, evaluationFailures);
      passing = models.every((model) => isPassing(model.verdict));
      output.out(`\n${renderTerminalReport(models)}\n`);
      const report = stringOption(args, "report");
      if (report !== undefined) {
        await writeOutputFile(report, renderReport({ models }).markdown, { option: "--report" });
        output.out(`\nthe pull request's report (Markdown): ${relative(process.cwd(), resolve(report))}\n`);
      }
    }
    output.out(
      `\n${failures === 0 ? "✓" : "✗"} ${plural(plan.runs.length - failures, "run")} trained and evaluated${failures > 0 ? `, ${failures} failed` : ""}\n`,
    );
    if (plan.experiments.length > 0) {
      const runsDir = relative(process.cwd(), join(dir, project.root, DEFAULT_RUNS_DIR)) || ".";
      output.out(`  results: ${runsDir}/<experiment>/<run-id>/ (manifest.json, evaluation.json, outputs/)\n`);
    }
    if (failures === 0 && passing) for (const step of nextSteps) output.out(`  ${step}\n`);
    return failures === 0 && passing ? 0 : 1;
  },
};

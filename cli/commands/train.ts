import { relative, resolve } from "node:path";
import {
  DEFAULT_RUNS_DIR,
  type TrainedRun,
  trainExperiment,
} from "../../adapters/pipeline/train-experiment.ts";
import { UsageError } from "../../core/errors.ts";
import { formatDuration } from "../../core/format/format-duration.ts";
import type { RunManifest } from "../../schemas/run-manifest.ts";
import type { Command } from "../command.ts";
import { stringOption } from "../parse-command-line.ts";

function describeRun(manifest: RunManifest): string {
  const took = formatDuration(manifest["wall-time-ms"]);
  if (manifest.status !== "succeeded")
    return `✗ ${manifest["run-id"]} ${manifest.status} after ${took}: ${manifest.reason}`;
  const model = manifest.outputs.model;
  const size = model
    ? `${model.path} (${(model.size / 1024).toFixed(1)} KiB, sha256 ${model.sha256.slice(0, 12)})`
    : "";
  const metrics = Object.entries(manifest.metrics)
    .map(([name, value]) => `${name}=${Number(value.toPrecision(4))}`)
    .join(" ");
  return `✓ ${manifest["run-id"]} succeeded in ${took}: ${size}${metrics ? `  ${metrics}` : ""}`;
}

export const trainCommand: Command = {
  name: "train",
  help: `Usage: modelci train EXPERIMENT [--run-id ID] [--param NAME=VALUE]... [--root DIR] [--runs-dir DIR] [--json]

Runs the experiment's command once per run of its sweep (or only --run-id), in the modelci root.
Params replace \`\${{ params.NAME }}\` as single literal arguments: the command never reaches a
shell. Logs stream as they come; the run is killed with its whole process group after
\`timeout-minutes\`. Each run writes <runs-dir>/<experiment>/<run-id>/manifest.json (commit, params,
data and output sha256s, metrics, wall time, host, GPUs) and a copy of its outputs beside it.
Training the whole sweep (no --run-id) first removes the experiment's run folders that are not
runs of the current sweep, so an earlier sweep's runs are never compared or registered with it.
A failed, timed-out or incomplete run (an output or the metrics file missing or invalid) is
recorded as failed, with the last log lines.

Options:
  --run-id ID          train only this run of the sweep (see \`modelci plan\` for ids)
  --param NAME=VALUE   override a param for every run (repeatable); an overridden swept param stops sweeping
  --root DIR           repository folder (default: .)
  --runs-dir DIR       where run folders go, relative to the modelci root (default: ${DEFAULT_RUNS_DIR})
  --json               print the manifests as a JSON array on stdout; logs go to stderr

Exit status: 0 when every run succeeded, 1 otherwise.

Examples:
  modelci train weather-logreg --root examples/weather
  modelci train weather-logreg --run-id lr-0.5_l2-0.001 --param epochs=50`,
  options: {
    "run-id": { type: "string" },
    param: { type: "string", multiple: true, default: [] },
    root: { type: "string", default: "." },
    "runs-dir": { type: "string" },
    json: { type: "boolean", default: false },
  },
  maxPositionals: 1,
  async run(args, output) {
    const experiment = args.positionals[0];
    if (experiment === undefined) {
      throw new UsageError("name the experiment to train, for example `modelci train weather-logreg`");
    }
    const json = args.values.json === true;
    const log = json ? output.err : output.out;
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    const dir = resolve(stringOption(args, "root") ?? ".");
    const runId = stringOption(args, "run-id");
    const runsDir = stringOption(args, "runs-dir");
    let trained: TrainedRun[];
    try {
      trained = await trainExperiment({
        dir,
        experiment,
        ...(runId === undefined ? {} : { runId }),
        ...(runsDir === undefined ? {} : { runsDir }),
        params: (args.values.param as string[] | undefined) ?? [],
        signal: controller.signal,
        onStaleRemoved: (ids) =>
          log(
            `removed ${ids.length} run folder${ids.length === 1 ? "" : "s"} of an earlier sweep: ${ids.join(", ")}\n`,
          ),
        onRunStart: (run, argv, index, total) =>
          log(`▶ ${experiment} [${index + 1}/${total}] ${run.runId}: ${argv.join(" ")}\n`),
        onLine: (_run, _stream, line) => log(`  │ ${line}\n`),
        onRunEnd: ({ manifest, runDir }) => {
          log(`${describeRun(manifest)}\n`);
          if (manifest.status !== "succeeded")
            for (const line of manifest["log-tail"] ?? []) log(`    ${line}\n`);
          log(`  manifest: ${relative(process.cwd(), runDir)}/manifest.json\n`);
        },
      });
    } finally {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    }
    const succeeded = trained.filter((t) => t.manifest.status === "succeeded").length;
    log(
      `${succeeded} of ${trained.length} run${trained.length === 1 ? "" : "s"} succeeded${controller.signal.aborted ? " (interrupted)" : ""}\n`,
    );
    if (json)
      output.out(
        `${JSON.stringify(
          trained.map((t) => t.manifest),
          null,
          2,
        )}\n`,
      );
    return succeeded === trained.length && !controller.signal.aborted ? 0 : 1;
  },
};

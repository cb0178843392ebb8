import { join, relative, resolve } from "node:path";
import * as core from "@actions/core";
import { uploadFolder } from "../../../adapters/actions/upload-artifact.ts";
import { type TrainedRun, trainExperiment } from "../../../adapters/pipeline/train-experiment.ts";
import { describeError } from "../../../core/errors.ts";
import { formatDuration } from "../../../core/format/format-duration.ts";
import { readTrainInputs } from "./inputs.ts";

/** Artifact names allow no `/`, `:` or the like; run ids are already safe. */
function artifactName(experiment: string, runId: string): string {
  return `modelci-run-${experiment}-${runId}`.replace(/[^A-Za-z0-9._-]/g, "_");
}

/** Trains the experiment's run(s), uploads each run folder and sets outputs from the last. */
export async function run(): Promise<void> {
  try {
    const inputs = readTrainInputs();
    const workspace = process.cwd();
    const trained: TrainedRun[] = [];
    await trainExperiment({
      dir: resolve(inputs.root),
      experiment: inputs.experiment,
      ...(inputs["run-id"] === undefined ? {} : { runId: inputs["run-id"] }),
      params: inputs.params,
      onRunStart: (run, argv) =>
        core.startGroup(`train ${inputs.experiment} ${run.runId}: ${argv.join(" ")}`),
      onLine: (_run, _stream, line) => core.info(line),
      onRunEnd: (result) => {
        core.endGroup();
        trained.push(result);
        const { manifest } = result;
        if (manifest.status === "succeeded")
          core.info(`✓ ${manifest["run-id"]} succeeded in ${formatDuration(manifest["wall-time-ms"])}`);
        else
          core.error(
            `${manifest["run-id"]} ${manifest.status}: ${manifest.reason}\n${(manifest["log-tail"] ?? []).join("\n")}`,
          );
      },
    });
    for (const result of trained) {
      const name = artifactName(inputs.experiment, result.manifest["run-id"]);
      if (inputs.upload) await uploadFolder(name, result.runDir, inputs["retention-days"]);
    }
    const last = trained.at(-1);
    const failed = trained.find((t) => t.manifest.status !== "succeeded");
    core.setOutput("status", failed ? failed.manifest.status : "succeeded");
    if (last) {
      const runDir = relative(workspace, last.runDir);
      const model = last.manifest.outputs.model;
      core.setOutput("run-dir", runDir);
      core.setOutput("manifest", join(runDir, "manifest.json"));
      core.setOutput("model", model ? join(runDir, "outputs", model.path) : "");
      core.setOutput("artifact-name", artifactName(inputs.experiment, last.manifest["run-id"]));
      core.setOutput("metrics", JSON.stringify(last.manifest.metrics));
    }
    if (failed)
      core.setFailed(`${failed.manifest["run-id"]} ${failed.manifest.status}: ${failed.manifest.reason}`);
  } catch (error) {
    core.setFailed(describeError(error));
  }
}

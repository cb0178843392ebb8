import { relative, resolve } from "node:path";
import { registerRun } from "../../adapters/pipeline/register-run.ts";
import { UsageError } from "../../core/errors.ts";
import type { ArtifactStoreKind } from "../../core/registry/artifact-store.ts";
import type { Command } from "../command.ts";
import { stringOption } from "../parse-command-line.ts";

const STORES: Record<string, ArtifactStoreKind> = {
  local: "local",
  release: "github-release",
  "github-release": "github-release",
};

export const registerCommand: Command = {
  name: "register",
  help: `Usage: modelci register MODEL --run RUN [--best] [--force] [--store local|release] [--root DIR] [--json]

Registers a succeeded training run as the model's next version: stores the model file in the
artifact store (content-addressed), and writes models/MODEL/versions/<n>.yaml with the commit,
experiment, run, params, data digests, artifact URI and sha256, metrics (from the run's
evaluation.json, else its training metrics), the ONNX signature and a reference profile of the
training data for drift checks. <n> is one more than the highest existing version; an existing
version file is never overwritten. Refuses failed runs, model files that no longer match
their manifest's sha256, and a model file byte-identical to a registered version's (unless
--force). --best ranks only the runs of the experiment's current sweep trained at the current
commit; run folders left from an earlier sweep or commit are skipped with a warning.

Options:
  --run RUN        a run folder, its manifest.json, or EXPERIMENT/RUN-ID under .modelci/runs;
                   with --best, an experiment name
  --best           register the experiment's best succeeded run by the model's primary metric
  --force          register a model file even when a version already has the same artifact
  --store STORE    local (a folder, artifacts.path) or release (GitHub release asset on tag
                   MODEL@v<n>; needs GITHUB_TOKEN). Default: artifacts.store in modelci.yaml
  --root DIR       repository folder (default: .)
  --json           print the written version as JSON

Exit status: 0 registered, 1 refused or failed, 2 usage error.

Examples:
  modelci register weather --run .modelci/runs/weather-logreg/lr-0.5_l2-0.001
  modelci register weather --run weather-logreg --best --store release`,
  options: {
    run: { type: "string" },
    best: { type: "boolean", default: false },
    force: { type: "boolean", default: false },
    store: { type: "string" },
    root: { type: "string", default: "." },
    json: { type: "boolean", default: false },
  },
  maxPositionals: 1,
  async run(args, output) {
    const [model] = args.positionals;
    if (model === undefined)
      throw new UsageError("name the model to register: modelci register MODEL --run RUN");
    const run = stringOption(args, "run");
    if (run === undefined)
      throw new UsageError(
        "--run is required: a run folder, its manifest.json, or an experiment with --best",
      );
    const store = stringOption(args, "store", Object.keys(STORES));
    const dir = resolve(stringOption(args, "root") ?? ".");
    const registered = await registerRun({
      dir,
      model,
      run,
      best: args.values.best === true,
      force: args.values.force === true,
      storeKind: store === undefined ? undefined : STORES[store],
      warn: (message) => output.err(`warning: ${message}\n`),
    });
    if (args.values.json === true) {
      const { value, file, run: from, metricsFrom } = registered;
      output.out(
        `${JSON.stringify({ model, file, run: { experiment: from.experiment, "run-id": from.runId }, "metrics-from": metricsFrom, ...value }, null, 2)}\n`,
      );
      return 0;
    }
    const { value } = registered;
    const shown = relative(process.cwd(), registered.path);
    output.out(
      `✓ registered ${model} v${registered.version} from run ${value.experiment}/${value["run-id"]}: ${shown}\n` +
        `  artifact ${value.artifact.uri} (${value.artifact.size} bytes, sha256 ${value.artifact.sha256.slice(0, 12)})\n` +
        `  metrics from ${registered.metricsFrom === "evaluation" ? "evaluation.json" : "training (self-reported)"}; profile of ${value.profile ? `${value.profile.rows} rows, ${Object.keys(value.profile.features).length} features` : "none"}\n`,
    );
    return 0;
  },
};

import { prepareOutputFile, writeOutputFile } from "../../adapters/files/write-output-file.ts";
import { PROVIDERS } from "../../adapters/onnx/create-session.ts";
import { loadOnnxruntime } from "../../adapters/onnx/load-onnxruntime.ts";
import { evaluateModel } from "../../adapters/pipeline/evaluate-model.ts";
import { evaluateWithCommand } from "../../adapters/pipeline/evaluate-with-command.ts";
import { UsageError } from "../../core/errors.ts";
import { TASKS } from "../../core/evaluate/model-info.ts";
import { renderEvaluation } from "../../core/evaluate/render-evaluation.ts";
import type { EvaluationResult } from "../../schemas/evaluation-result.ts";
import type { Command, Output, ParsedArgs } from "../command.ts";
import { stringOption } from "../parse-command-line.ts";
import { evaluateDeclared, resolveBaselineOption } from "./evaluate-declared.ts";

export const evaluateCommand: Command = {
  name: "evaluate",
  help: `Usage: modelci evaluate --experiment NAME [--model MODEL.onnx] [--root DIR] [options]
       modelci evaluate --model MODEL.onnx --data FILE --label COLUMN [options]
       modelci evaluate --command "CMD ARGS…" --metrics FILE [--task TASK] [--json] [--out FILE]

Scores an ONNX model on an evaluation table with onnxruntime and computes the standard metrics
itself, so every model is measured the same way:
  classification  accuracy, balanced_accuracy, precision_macro, recall_macro, f1_macro,
                  f1_weighted, log_loss, roc_auc, confusion matrix and support per class
  regression      rmse, mae, r2, mape
  every model     latency_p50/p95/p99_ms (single-row runs after a warm-up),
                  throughput_rows_per_s (batched, inference only) and model_bytes
With --baseline, the baseline (the champion) is scored on exactly the same rows, and every quality
metric gets the delta (candidate − baseline) with a 95% paired bootstrap confidence interval and a
verdict: better or worse when the whole interval is on one side of zero, else within-noise.
Latency, throughput and size deltas are plain differences.

With --experiment (or --model alone, which names its experiment by its run folder
.modelci/runs/<experiment>/…, or as the experiment's outputs.model, or as the only experiment), the
declarations under --root say everything else: the data, label and features (the experiment's
data.eval), the task and classes (its model.yaml), the provider and batch size (its evaluate), or
its own evaluation command. The candidate is compared with the champion, the version the model's
baseline target serves, fetched from the artifact store and verified against its sha256, unless
--baseline names another one or none. Without --baseline, the result records that champion (or
that there is none) as \`champion\`: the report judges regression gates by it, so a change to
deployments/ in the same pull request does not decide whether the model has a champion.

What the model must look like: one float input of shape [N, F] (rows × features); for
classification an output named \`probabilities\` (else the first float output of shape [N, C]), for
regression the first float output of shape [N] or [N, 1]. Models exported by modelci's examples
carry metadata (modelci.features, modelci.classes, modelci.task) that sets the defaults below.

Options:
  --root DIR          repository folder with the declarations (default: .)
  --experiment NAME   evaluate this experiment's candidate as its declarations say
  --base REV          with --experiment: the champion as the declarations at this git revision
                      name it (a pull request's base; default: the working tree)
  --model FILE        the candidate ONNX model (with --experiment, default: its outputs.model)
  --data FILE         evaluation table: .csv, .jsonl/.ndjson or .parquet, streamed in batches
  --label COLUMN      the column holding the true class or target
  --features A,B,C    feature columns in the model's input order (default: the model's
                      modelci.features, else every column but the label); when the model lists
                      its features, they must be the same, in the same order
  --task TASK         classification or regression (default: the model's modelci.task)
  --classes A,B,C     class names in the model's output column order (model.yaml \`classes\`;
                      default: the model's modelci.classes, else the sorted label values)
  --baseline B        what to compare with on the same rows: MODEL@champion, MODEL@vN,
                      MODEL@TARGET (what a deployment target serves), a store URI
                      (local:sha256:…, release:MODEL@vN/FILE), an ONNX file, or none; registered
                      versions are fetched from the artifact store and their sha256 verified.
                      It must take the same features. With --experiment, default: the champion
  --provider NAME     cpu (default) or cuda; when CUDA cannot be used, a warning is printed and
                      the models run on CPU (the result's \`provider\` says which ran)
  --batch-size N      rows per inference batch (default 65536)
  --resamples N       bootstrap resamples for the confidence intervals (default 1000)
  --seed N            bootstrap seed (default 42): the same seed gives the same intervals
  --missing POLICY    rows with a missing value (empty, NA, NaN, null) in a feature or the
                      label: error (default: refuse the file, with the count and first row) or
                      drop (leave them out)
  --json              print the result as one JSON object on stdout instead of a table
  --out FILE          also write the result JSON to FILE (folders are created)

Self-reported metrics, for models that are not tabular ONNX:
  --command "CMD"     run this evaluation command (split into words, never through a shell)
  --metrics FILE      the JSON file the command writes: an object of metric names and numbers
The result has "self-reported": true and no model digest: modelci checks the numbers, not how
they were computed.

Exit status: 0 evaluated, 1 error (bad model, data or metrics), 2 usage error.
Progress (rows scored, then bootstrap resamples against --baseline) is shown on stderr for big
files when stderr is a terminal.

Examples:
  modelci evaluate --root examples/weather --experiment weather-logreg
  modelci evaluate --experiment weather-logreg --model out/model.onnx --baseline weather@v1
  modelci evaluate --model out/model.onnx --data data/eval.csv --label weather
  modelci evaluate --model out/model.onnx --baseline champion.onnx --data data/eval.csv \\
    --label weather --json --out results/weather.json
  modelci evaluate --model model.onnx --data eval.parquet --label price --task regression --provider cuda
  modelci evaluate --command "python eval.py --out metrics.json" --metrics metrics.json`,
  options: {
    root: { type: "string", default: "." },
    experiment: { type: "string" },
    base: { type: "string" },
    model: { type: "string" },
    data: { type: "string" },
    label: { type: "string" },
    features: { type: "string" },
    task: { type: "string" },
    classes: { type: "string" },
    baseline: { type: "string" },
    provider: { type: "string" },
    "batch-size": { type: "string" },
    resamples: { type: "string" },
    seed: { type: "string" },
    missing: { type: "string" },
    json: { type: "boolean", default: false },
    out: { type: "string" },
    command: { type: "string" },
    metrics: { type: "string" },
  },
  maxPositionals: 0,
  async run(args, output) {
    const out = stringOption(args, "out");
    if (out !== undefined) await prepareOutputFile(out, { fileName: "evaluation.json" });
    const result = await evaluate(args, output);
    const json = `${JSON.stringify(result, null, 2)}\n`;
    if (out !== undefined) await writeOutputFile(out, json, { fileName: "evaluation.json" });
    output.out(args.values.json === true ? json : renderEvaluation(result));
    return 0;
  },
};

async function evaluate(args: ParsedArgs, output: Output): Promise<EvaluationResult> {
  const task = stringOption(args, "task", TASKS);
  const command = stringOption(args, "command");
  if (command !== undefined) {
    const onnxOnly = [
      "experiment",
      "base",
      "model",
      "data",
      "label",
      "features",
      "classes",
      "baseline",
      "provider",
      "batch-size",
    ];
    const mixed = onnxOnly.filter((name) => args.values[name] !== undefined);
    if (mixed.length > 0) {
      throw new UsageError(`--command runs your own evaluation; --${mixed[0]} is for scoring an ONNX model`);
    }
    const metricsFile = stringOption(args, "metrics");
    if (metricsFile === undefined)
      throw new UsageError("--command needs --metrics FILE, the JSON file it writes");
    return await evaluateWithCommand({
      command,
      metricsFile,
      task,
      onLine: (_stream, line) => output.err(`${line}\n`),
    });
  }
  if (args.values.metrics !== undefined) throw new UsageError("--metrics goes with --command");
  const model = stringOption(args, "model");
  const data = stringOption(args, "data");
  const label = stringOption(args, "label");
  const experiment = stringOption(args, "experiment");
  const root = stringOption(args, "root") ?? ".";
  if (experiment !== undefined || (model !== undefined && data === undefined && label === undefined)) {
    const declared = ["data", "label", "features", "task", "classes", "batch-size"];
    const given = declared.filter((name) => args.values[name] !== undefined);
    if (given.length > 0) {
      throw new UsageError(
        `--${given[0]} comes from the declarations with --experiment (or --model alone); drop it, or give --model, --data and --label without --experiment`,
      );
    }
    const progress = createProgress(output);
    try {
      return await evaluateDeclared(
        {
          root,
          experiment,
          model,
          baseline: stringOption(args, "baseline"),
          base: stringOption(args, "base"),
          provider: stringOption(args, "provider", PROVIDERS),
          resamples: integerOption(args, "resamples", 1),
          seed: integerOption(args, "seed", 0),
          onProgress: progress.update,
          onBootstrap: progress.bootstrap,
        },
        output,
      );
    } finally {
      progress.done();
    }
  }
  if (args.values.base !== undefined) throw new UsageError("--base goes with --experiment");
  if (model === undefined) {
    throw new UsageError(
      "needs --experiment NAME, --model FILE (with --data and --label), or --command with --metrics",
    );
  }
  if (data === undefined) throw new UsageError("needs --data FILE, the evaluation table");
  if (label === undefined) throw new UsageError("needs --label COLUMN, the column with the true values");
  const progress = createProgress(output);
  try {
    return await evaluateModel({
      ort: await loadOnnxruntime(),
      model,
      data,
      label,
      features: listOption(args, "features"),
      task,
      classes: listOption(args, "classes"),
      baseline: await resolveBaselineOption(root, stringOption(args, "baseline"), output),
      provider: stringOption(args, "provider", PROVIDERS),
      batchRows: integerOption(args, "batch-size", 1),
      resamples: integerOption(args, "resamples", 1),
      seed: integerOption(args, "seed", 0),
      missing: stringOption(args, "missing", ["error", "drop"] as const),
      warn: (message) => output.err(`${message}\n`),
      onProgress: progress.update,
      onBootstrap: progress.bootstrap,
    });
  } finally {
    progress.done();
  }
}

/** A comma-separated list option; empty names are a usage error. */
function listOption(args: ParsedArgs, name: string): string[] | undefined {
  const value = stringOption(args, name);
  if (value === undefined) return undefined;
  const items = value.split(",").map((item) => item.trim());
  if (items.some((item) => item === "")) {
    throw new UsageError(`--${name} must be a comma-separated list of names, got ${JSON.stringify(value)}`);
  }
  return items;
}

function integerOption(args: ParsedArgs, name: string, min: number): number | undefined {
  const value = stringOption(args, name);
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < min) {
    throw new UsageError(`--${name} must be an integer >= ${min}, got ${JSON.stringify(value)}`);
  }
  return number;
}

interface Progress {
  update: (rows: number) => void;
  bootstrap: (done: number, total: number) => void;
  done: () => void;
}

/**
 * "scored 1,200,000 rows…", then the bootstrap's resamples, on stderr, rewritten in place, only on a
 * terminal and only after a second.
 */
function createProgress(output: Output): Progress {
  const started = performance.now();
  let shown = false;
  let last = 0;
  const format = new Intl.NumberFormat("en-US");
  const show = (line: string): void => {
    if (!process.stderr.isTTY) return;
    const now = performance.now();
    if (now - started < 1000 || now - last < 250) return;
    last = now;
    shown = true;
    output.err(`\r${line}\u001b[K`);
  };
  return {
    update: (rows) => show(`scored ${format.format(rows)} rows…`),
    bootstrap: (done, total) =>
      show(`confidence intervals: ${format.format(done)} of ${format.format(total)} bootstrap resamples…`),
    done() {
      if (shown) output.err("\r\u001b[K");
    },
  };
}

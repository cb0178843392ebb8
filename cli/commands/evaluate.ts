import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
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

export const evaluateCommand: Command = {
  name: "evaluate",
  help: `Usage: modelci evaluate --model MODEL.onnx --data FILE --label COLUMN [options]
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

What the model must look like: one float input of shape [N, F] (rows × features); for
classification an output named \`probabilities\` (else the first float output of shape [N, C]), for
regression the first float output of shape [N] or [N, 1]. Models exported by modelci's examples
carry metadata (modelci.features, modelci.classes, modelci.task) that sets the defaults below.

Options:
  --model FILE        the candidate ONNX model
  --data FILE         evaluation table: .csv, .jsonl/.ndjson or .parquet, streamed in batches
  --label COLUMN      the column holding the true class or target
  --features A,B,C    feature columns in the model's input order (default: the model's
                      modelci.features, else every column but the label); when the model lists
                      its features, they must be the same, in the same order
  --task TASK         classification or regression (default: the model's modelci.task)
  --classes A,B,C     class names in the model's output column order (model.yaml \`classes\`;
                      default: the model's modelci.classes, else the sorted label values)
  --baseline FILE     a baseline ONNX model to compare against; it must take the same features
  --provider NAME     cpu (default) or cuda; when CUDA cannot be used, a warning is printed and
                      the models run on CPU (the result's \`provider\` says which ran)
  --batch-size N      rows per inference batch (default 65536)
  --resamples N       bootstrap resamples for the confidence intervals (default 1000)
  --seed N            bootstrap seed (default 42): the same seed gives the same intervals
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
  modelci evaluate --model out/model.onnx --data data/eval.csv --label weather
  modelci evaluate --model out/model.onnx --baseline champion.onnx --data data/eval.csv \\
    --label weather --json --out results/weather.json
  modelci evaluate --model model.onnx --data eval.parquet --label price --task regression --provider cuda
  modelci evaluate --command "python eval.py --out metrics.json" --metrics metrics.json`,
  options: {
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
    json: { type: "boolean", default: false },
    out: { type: "string" },
    command: { type: "string" },
    metrics: { type: "string" },
  },
  maxPositionals: 0,
  async run(args, output) {
    const result = await evaluate(args, output);
    const json = `${JSON.stringify(result, null, 2)}\n`;
    const out = stringOption(args, "out");
    if (out !== undefined) {
      await mkdir(dirname(out), { recursive: true });
      await writeFile(out, json);
    }
    output.out(args.values.json === true ? json : renderEvaluation(result));
    return 0;
  },
};

async function evaluate(args: ParsedArgs, output: Output): Promise<EvaluationResult> {
  const task = stringOption(args, "task", TASKS);
  const command = stringOption(args, "command");
  if (command !== undefined) {
    const onnxOnly = ["model", "data", "label", "features", "classes", "baseline", "provider", "batch-size"];
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
  if (model === undefined) {
    throw new UsageError("needs --model FILE (with --data and --label), or --command with --metrics");
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
      baseline: stringOption(args, "baseline"),
      provider: stringOption(args, "provider", PROVIDERS),
      batchRows: integerOption(args, "batch-size", 1),
      resamples: integerOption(args, "resamples", 1),
      seed: integerOption(args, "seed", 0),
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

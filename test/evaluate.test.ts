import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  encodeLinearRegressionModel,
  encodeSoftmaxRegressionModel,
} from "../examples/weather/lib/export-onnx.js";
import {
  type ComputedEvaluation,
  evaluationResultSchema,
  type SelfReportedEvaluation,
} from "../schemas/evaluation-result.ts";
import {
  CLASSES,
  classificationRows,
  classifier,
  editModel,
  FEATURES,
  writeCsv,
  writeModel,
} from "./helpers/evaluate-fixtures.ts";
import { REPO_ROOT, runCli, STACK_TRACE, tempDir } from "./helpers/temp-repo.ts";

const WEATHER = "test/fixtures/models/weather.onnx";
const EVAL = "examples/weather/data/eval.csv";

interface GoldenCase {
  task: "classification" | "regression";
  model: { path: string; sha256: string; bytes: number };
  data: string;
  label: string;
  features: string[];
  classes?: string[];
  rows: number;
  metrics: Record<string, number>;
  "confusion-matrix"?: number[][];
  support?: Record<string, number>;
}

const golden = JSON.parse(
  readFileSync(join(REPO_ROOT, "test/fixtures/golden/evaluate-weather.json"), "utf8"),
) as { cases: GoldenCase[] };

/** Runs `modelci evaluate … --json` and parses its one JSON object with the result schema. */
function evaluateJson(args: string[]): { result: ComputedEvaluation; stderr: string } {
  const run = runCli(["evaluate", ...args, "--json"]);
  expect(run.stderr).not.toMatch(STACK_TRACE);
  expect(run.code, run.stderr).toBe(0);
  const result = evaluationResultSchema.parse(JSON.parse(run.stdout));
  if (result["self-reported"]) throw new Error("expected a computed result");
  return { result, stderr: run.stderr };
}

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

describe("modelci evaluate against scikit-learn (golden)", () => {
  for (const expected of golden.cases) {
    it(`${expected.task}: ${expected.model.path} on ${expected.data}`, () => {
      const { result } = evaluateJson([
        "--model",
        expected.model.path,
        "--data",
        expected.data,
        "--label",
        expected.label,
      ]);
      expect(result.task).toBe(expected.task);
      expect(result.model).toEqual(expected.model);
      expect(result.data).toEqual({
        path: expected.data,
        sha256: sha256(join(REPO_ROOT, expected.data)),
        rows: expected.rows,
      });
      expect(result.features).toEqual(expected.features);
      expect(result.classes).toEqual(expected.classes);
      expect(result.provider).toBe("cpu");
      for (const [name, value] of Object.entries(expected.metrics)) {
        expect(Math.abs((result.metrics[name] as number) - value), name).toBeLessThan(1e-6);
      }
      expect(result["confusion-matrix"]).toEqual(expected["confusion-matrix"]);
      expect(result.support).toEqual(expected.support);
      expect(result.metrics.model_bytes).toBe(expected.model.bytes);
      for (const name of ["latency_p50_ms", "latency_p95_ms", "latency_p99_ms", "throughput_rows_per_s"]) {
        expect(result.metrics[name], name).toBeGreaterThan(0);
      }
      expect(result["self-reported"]).toBe(false);
    });
  }
});

describe("modelci evaluate with a baseline", () => {
  it("an identical baseline is within noise, with every quality delta exactly 0", () => {
    const { result } = evaluateJson([
      ...["--model", WEATHER, "--baseline", WEATHER, "--data", EVAL, "--label", "weather"],
      ...["--resamples", "200", "--seed", "7"],
    ]);
    expect(result.bootstrap).toEqual({ resamples: 200, seed: 7, rows: 365, "total-rows": 365 });
    for (const name of ["accuracy", "f1_macro", "log_loss", "roc_auc"]) {
      expect(result.deltas?.[name]).toEqual({
        delta: 0,
        low: 0,
        high: 0,
        direction: name === "log_loss" ? "lower" : "higher",
        verdict: "within-noise",
      });
    }
    expect(result.deltas?.model_bytes).toEqual({ delta: 0, direction: "lower", verdict: "within-noise" });
    expect(result.deltas?.latency_p99_ms?.low).toBeUndefined();
  });

  it("a weaker baseline: each CI contains its delta, and the clear gains are `better`", () => {
    const dir = tempDir();
    // Same features and classes, all-zero weights: uniform probabilities, argmax always `drizzle`.
    const weak = writeModel(
      dir,
      "weak.onnx",
      encodeSoftmaxRegressionModel({
        weights: Array.from({ length: 5 }, () => new Array(7).fill(0)),
        bias: [0, 0, 0, 0, 0],
        features: golden.cases[0]?.features ?? [],
        classes: ["drizzle", "fog", "rain", "snow", "sun"],
      }),
    );
    const { result } = evaluateJson([
      "--model",
      WEATHER,
      "--baseline",
      weak,
      "--data",
      EVAL,
      "--label",
      "weather",
    ]);
    expect(result.baseline?.model.path).toBe(weak);
    expect(result.baseline?.metrics.accuracy).toBe(0);
    for (const name of ["accuracy", "balanced_accuracy", "f1_macro", "f1_weighted", "log_loss", "roc_auc"]) {
      const delta = result.deltas?.[name];
      const expected = (result.metrics[name] as number) - (result.baseline?.metrics[name] as number);
      expect(delta?.delta, name).toBeCloseTo(expected, 12);
      expect(delta?.low as number, name).toBeLessThanOrEqual(delta?.delta as number);
      expect(delta?.high as number, name).toBeGreaterThanOrEqual(delta?.delta as number);
    }
    expect(result.deltas?.accuracy?.verdict).toBe("better");
    expect(result.deltas?.log_loss?.verdict).toBe("better");
    expect(result.deltas?.log_loss?.high as number).toBeLessThan(0);
  });

  it("regression: a constant baseline is clearly worse on every error metric", () => {
    const dir = tempDir();
    const features = golden.cases[1]?.features ?? [];
    const constant = writeModel(
      dir,
      "constant.onnx",
      encodeLinearRegressionModel({ weights: features.map(() => 0), bias: 15, features }),
    );
    const { result } = evaluateJson([
      ...["--model", "test/fixtures/models/weather-temp-max.onnx", "--baseline", constant],
      ...["--data", EVAL, "--label", "temp_max"],
    ]);
    expect(Object.keys(result.deltas ?? {})).toEqual([
      ...["rmse", "mae", "r2", "mape", "latency_p50_ms", "latency_p95_ms", "latency_p99_ms"],
      ...["throughput_rows_per_s", "model_bytes"],
    ]);
    for (const name of ["rmse", "mae", "mape"]) {
      expect(result.deltas?.[name]?.verdict, name).toBe("better");
      expect(result.deltas?.[name]?.high as number, name).toBeLessThan(0);
    }
    expect(result.deltas?.r2?.low as number).toBeGreaterThan(0);
    expect(result.classes).toBeUndefined();
    expect(result["confusion-matrix"]).toBeUndefined();
  });

  it("reorders a baseline's columns by its own modelci.classes", () => {
    const dir = tempDir();
    const rows = classificationRows(300);
    const data = writeCsv(dir, "data.csv", [...FEATURES, "label"], rows);
    const model = writeModel(dir, "model.onnx", classifier());
    // The same model with its classes (and weight rows) in reverse order: identical predictions.
    const reversed = writeModel(
      dir,
      "reversed.onnx",
      classifier({
        weights: [
          [0, 0, 2],
          [0, 2, 0],
          [2, 0, 0],
        ],
        classes: [...CLASSES].reverse(),
      }),
    );
    const { result } = evaluateJson([
      "--model",
      model,
      "--baseline",
      reversed,
      "--data",
      data,
      "--label",
      "label",
    ]);
    expect(result.classes).toEqual(CLASSES);
    // Softmax over reordered columns may round differently in the last bit; the rows are the same.
    expect(result.deltas?.accuracy?.delta).toBe(0);
    for (const name of ["log_loss", "roc_auc", "f1_macro"]) {
      expect(result.deltas?.[name]?.delta, name).toBeCloseTo(0, 8);
      expect(result.deltas?.[name]?.verdict, name).toBe("within-noise");
    }
  });
});

describe("modelci evaluate options and output", () => {
  const dir = tempDir();
  const rows = classificationRows(500);
  const data = writeCsv(dir, "data.csv", [...FEATURES, "label"], rows);
  const model = writeModel(dir, "model.onnx", classifier());

  it("prints a metric table by default and writes the same JSON with --out", () => {
    const out = join(dir, "results", "eval.json");
    const run = runCli(["evaluate", "--model", model, "--data", data, "--label", "label", "--out", out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("500 rows, classification (3 classes), provider cpu");
    expect(run.stdout).toMatch(/^accuracy\s+0\.\d{4}$/m);
    expect(run.stdout).toMatch(/^throughput_rows_per_s\s+[\d,]+$/m);
    const written = evaluationResultSchema.parse(JSON.parse(readFileSync(out, "utf8")));
    expect(written["self-reported"]).toBe(false);
    expect((written as ComputedEvaluation).data.rows).toBe(500);
  });

  it("--json prints exactly one JSON object", () => {
    const run = runCli(["evaluate", "--model", model, "--data", data, "--label", "label", "--json"]);
    expect(run.code).toBe(0);
    expect(() => JSON.parse(run.stdout)).not.toThrow();
    expect(run.stdout.trim().startsWith("{")).toBe(true);
  });

  it("gives the same metrics with small batches and with a model of fixed batch size 4", () => {
    const { result: whole } = evaluateJson(["--model", model, "--data", data, "--label", "label"]);
    const { result: small } = evaluateJson([
      "--model",
      model,
      "--data",
      data,
      "--label",
      "label",
      "--batch-size",
      "7",
    ]);
    const fixed = writeModel(dir, "fixed.onnx", editModel(classifier(), { inputShape: [4, 3] }));
    const { result: padded } = evaluateJson(["--model", fixed, "--data", data, "--label", "label"]);
    // A fixed batch larger than the whole file: one padded run.
    const large = writeModel(dir, "large.onnx", editModel(classifier(), { inputShape: [1024, 3] }));
    const { result: one } = evaluateJson(["--model", large, "--data", data, "--label", "label"]);
    for (const name of ["accuracy", "log_loss", "roc_auc", "f1_macro"]) {
      expect(small.metrics[name], name).toBe(whole.metrics[name]);
      expect(padded.metrics[name], name).toBe(whole.metrics[name]);
      expect(one.metrics[name], name).toBe(whole.metrics[name]);
    }
  });

  it("without class metadata, uses the sorted label values, or --classes", () => {
    const bare = writeModel(dir, "bare.onnx", editModel(classifier(), { dropMetadata: ["modelci.classes"] }));
    const { result: sorted } = evaluateJson(["--model", bare, "--data", data, "--label", "label"]);
    expect(sorted.classes).toEqual(["a", "b", "c"]);
    const { result: named } = evaluateJson([
      "--model",
      bare,
      "--data",
      data,
      "--label",
      "label",
      "--classes",
      "a,b,c",
    ]);
    expect(named.metrics.accuracy).toBe(sorted.metrics.accuracy);
  });

  it("--provider cuda on a machine without CUDA warns and runs on CPU", () => {
    const { result, stderr } = evaluateJson([
      "--model",
      model,
      "--data",
      data,
      "--label",
      "label",
      "--provider",
      "cuda",
    ]);
    expect(stderr).toMatch(
      /^warning: --provider cuda: onnxruntime could not use CUDA for .*; running on CPU instead$/m,
    );
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(result.provider).toBe("cpu");
  });

  it("explains --help", () => {
    const run = runCli(["evaluate", "--help"]);
    expect(run.code).toBe(0);
    for (const option of ["--model", "--baseline", "--provider", "--resamples", "--command", "--metrics"]) {
      expect(run.stdout).toContain(option);
    }
  });
});

describe("modelci evaluate --command (self-reported)", () => {
  const dir = tempDir();
  const script = (name: string, body: string) => {
    const path = join(dir, name);
    writeFileSync(path, body);
    return path;
  };

  it("runs the command without a shell and reports its metrics as self-reported", () => {
    const metrics = join(dir, "metrics.json");
    const js = script(
      "eval.js",
      `require("fs").writeFileSync(process.argv[2], JSON.stringify({ bleu: 0.31, "exact match": 12 }));`,
    );
    const run = runCli(["evaluate", "--command", `node ${js} '${metrics}'`, "--metrics", metrics, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const result = evaluationResultSchema.parse(JSON.parse(run.stdout)) as SelfReportedEvaluation;
    expect(result["self-reported"]).toBe(true);
    expect(result.metrics).toEqual({ bleu: 0.31, "exact match": 12 });
    expect(result.command).toEqual(["node", js, metrics]);
    expect(result).not.toHaveProperty("model");
  });

  const failures: [string, string, RegExp][] = [
    [
      "a failing command",
      "process.stderr.write('boom\\n'); process.exit(3);",
      /evaluation command exited with code 3: .*\n {2}boom/,
    ],
    ["no metrics file", "", /the evaluation command exited 0 but wrote no metrics file/],
    [
      "invalid JSON",
      "require('fs').writeFileSync(process.argv[2], '{bleu: 1');",
      /the metrics file is not valid JSON/,
    ],
    [
      "a non-number",
      "require('fs').writeFileSync(process.argv[2], JSON.stringify({ bleu: '0.3' }));",
      /metric "bleu" must be a finite number, got "0.3"/,
    ],
  ];
  for (const [what, body, message] of failures) {
    it(`fails clearly on ${what}`, () => {
      const metrics = join(dir, `${what.replaceAll(" ", "-")}.json`);
      const js = script(`${what.replaceAll(" ", "-")}.js`, body);
      const run = runCli(["evaluate", "--command", `node ${js} ${metrics}`, "--metrics", metrics]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^modelci evaluate: /m);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(STACK_TRACE);
    });
  }
});

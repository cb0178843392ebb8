import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  classificationRows,
  classifier,
  editModel,
  FEATURES,
  regressor,
  writeCsv,
  writeModel,
} from "./helpers/evaluate-fixtures.ts";
import { REPO_ROOT, runCli, STACK_TRACE, tempDir } from "./helpers/temp-repo.ts";

const WEATHER = "test/fixtures/models/weather.onnx";
const EVAL = "examples/weather/data/eval.csv";
const EVAL_LINES = readFileSync(join(REPO_ROOT, EVAL), "utf8").trimEnd().split("\n");

/** Runs evaluate expecting exit 1 with one `modelci evaluate: …` line and no stack trace. */
function expectFailure(args: string[], message: string | RegExp): void {
  const run = runCli(["evaluate", ...args]);
  expect(run.stdout).toBe("");
  expect(run.stderr).not.toMatch(STACK_TRACE);
  expect(run.code, run.stderr).toBe(1);
  const line = run.stderr.trimEnd().split("\n").at(-1) ?? "";
  expect(line.startsWith("modelci evaluate: "), line).toBe(true);
  if (typeof message === "string") expect(line).toContain(message);
  else expect(line).toMatch(message);
}

/** eval.csv with one line replaced (line 1 is the header). */
function evalWithLine(dir: string, line: number, edit: (text: string) => string): string {
  const lines = [...EVAL_LINES];
  lines[line - 1] = edit(lines[line - 1] as string);
  const path = join(dir, "eval.csv");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

describe("modelci evaluate: bad models", () => {
  const dir = tempDir();

  it("a missing model file", () => {
    const missing = join(dir, "missing.onnx");
    expectFailure(
      ["--model", missing, "--data", EVAL, "--label", "weather"],
      `${missing}: no such model file`,
    );
  });

  it("a text file named .onnx", () => {
    const text = join(dir, "notes.onnx");
    writeFileSync(text, "this is not a model\n");
    expectFailure(["--model", text, "--data", EVAL, "--label", "weather"], `${text}: not an ONNX model (`);
  });

  it("a truncated ONNX file", () => {
    const truncated = join(dir, "truncated.onnx");
    writeFileSync(truncated, readFileSync(join(REPO_ROOT, WEATHER)).subarray(0, 400));
    expectFailure(
      ["--model", truncated, "--data", EVAL, "--label", "weather"],
      `${truncated}: not an ONNX model (the file ends in the middle of the model: truncated?)`,
    );
  });

  it("an empty file", () => {
    const empty = join(dir, "empty.onnx");
    writeFileSync(empty, "");
    expectFailure(
      ["--model", empty, "--data", EVAL, "--label", "weather"],
      `${empty}: not an ONNX model (the file is empty)`,
    );
  });

  it("a regression model evaluated as classification", () => {
    expectFailure(
      [
        "--model",
        "test/fixtures/models/weather-temp-max.onnx",
        "--data",
        EVAL,
        "--label",
        "weather",
        "--task",
        "classification",
      ],
      /no classification output: .*found `prediction` float32 \[N, 1\]; .* a regression output \(its modelci\.task metadata says regression/,
    );
  });

  it("a model without task metadata and no --task", () => {
    const data = writeCsv(dir, "data.csv", [...FEATURES, "label"], classificationRows(20));
    const bare = writeModel(dir, "bare.onnx", editModel(classifier(), { dropMetadata: ["modelci.task"] }));
    expectFailure(
      ["--model", bare, "--data", data, "--label", "label"],
      "has no modelci.task metadata; pass --task classification or --task regression",
    );
  });
});

describe("modelci evaluate: data that does not fit the model", () => {
  const dir = tempDir();

  it("a missing column, with a did-you-mean", () => {
    expectFailure(
      ["--model", WEATHER, "--data", EVAL, "--label", "wether"],
      `${EVAL}: no label column "wether" (did you mean "weather"?)`,
    );
  });

  it("a feature the model lists but the data lacks", () => {
    const data = evalWithLine(dir, 1, (header) => header.replace("wind", "wnd"));
    expectFailure(
      ["--model", WEATHER, "--data", data, "--label", "weather"],
      `no feature column "wind" (did you mean "wnd"?)`,
    );
  });

  it("an empty cell", () => {
    const data = evalWithLine(dir, 5, (line) => line.replace(/^([^,]*),([^,]*),[^,]*,/, "$1,$2,,"));
    expectFailure(
      ["--model", WEATHER, "--data", data, "--label", "weather"],
      /eval\.csv:5:\d+: column "temp_max": missing value \(empty, NA, NaN or null\); 1 row has one/,
    );
  });

  it("a NaN cell", () => {
    const data = evalWithLine(dir, 9, (line) => line.replace(/^([^,]*),[^,]*,/, "$1,NaN,"));
    expectFailure(
      ["--model", WEATHER, "--data", data, "--label", "weather"],
      /eval\.csv:9:\d+: column "precipitation": missing value \(empty, NA, NaN or null\); 1 row has one/,
    );
  });

  it("a label outside the model's classes", () => {
    const data = evalWithLine(dir, 12, (line) => line.replace(/,[a-z]+$/, ",hail"));
    expectFailure(
      ["--model", WEATHER, "--data", data, "--label", "weather"],
      `eval.csv: data row 11: label "hail" is not one of the model's 5 classes (drizzle, fog, rain, snow, sun, from the model's modelci.classes)`,
    );
  });

  it("a feature count mismatch", () => {
    const data = writeCsv(
      dir,
      "four.csv",
      ["x1", "x2", "x3", "x4", "label"],
      classificationRows(10).map((r) => [r[0], r[1], r[2], "0.5", r[3]] as string[]),
    );
    const bare = writeModel(
      dir,
      "three.onnx",
      editModel(classifier(), { dropMetadata: ["modelci.features"] }),
    );
    expectFailure(
      ["--model", bare, "--data", data, "--label", "label"],
      "model input `features` expects 3 features, the data has 4: `x1`, `x2`, `x3`, `x4`",
    );
  });

  it("--features in another order than the model's", () => {
    const data = writeCsv(dir, "data.csv", [...FEATURES, "label"], classificationRows(10));
    const model = writeModel(dir, "model.onnx", classifier());
    expectFailure(
      ["--model", model, "--data", data, "--label", "label", "--features", "x2,x1,x3"],
      "same names in a different order: position 1 is `x1` in the model and `x2` in --features",
    );
  });

  it("a baseline with a different signature", () => {
    const data = writeCsv(dir, "data.csv", [...FEATURES, "label"], classificationRows(10));
    const model = writeModel(dir, "model.onnx", classifier());
    const other = writeModel(dir, "other.onnx", regressor(["x1", "x2"]));
    expectFailure(
      ["--model", model, "--baseline", other, "--data", data, "--label", "label"],
      /^modelci evaluate: baseline .*other\.onnx expects the features `x1`, `x2` \(its modelci\.features metadata\), not `x1`, `x2`, `x3` \(the candidate's features\): not in the model: `x3`$/,
    );
    const noMeta = writeModel(
      dir,
      "no-meta.onnx",
      editModel(regressor(["x1", "x2"]), { dropMetadata: ["modelci.features"] }),
    );
    expectFailure(
      ["--model", model, "--baseline", noMeta, "--data", data, "--label", "label"],
      /baseline .*no-meta\.onnx: model input `features` expects 2 features, the data has 3/,
    );
  });

  it("a file with a header and no rows", () => {
    const data = writeCsv(dir, "header-only.csv", [...FEATURES, "label"], []);
    const model = writeModel(dir, "model.onnx", classifier());
    expectFailure(["--model", model, "--data", data, "--label", "label"], `${data}: no data rows to score`);
  });

  it("usage errors exit 2", () => {
    const run = runCli(["evaluate", "--model", WEATHER, "--label", "weather"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("modelci evaluate: needs --data FILE, the evaluation table\n");
  });
});

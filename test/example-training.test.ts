import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import onnxProto from "onnx-proto";
import { InferenceSession, Tensor } from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  encodeLinearRegressionModel,
  encodeSoftmaxRegressionModel,
} from "../examples/weather/lib/export-onnx.js";

const run = promisify(execFile);
const { onnx } = onnxProto;
const example = resolve(import.meta.dirname, "../examples/weather");
const dataFiles = ["train.csv", "eval.csv", "live.csv", "live.jsonl"];

const temps: string[] = [];
async function makeTempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "modelci-weather-"));
  temps.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

function runNode(args: string[], cwd = example) {
  return run(process.execPath, args, { cwd, encoding: "utf8" });
}

function readCsvRows(text: string): Record<string, string>[] {
  const [header = "", ...lines] = text.trimEnd().split("\n");
  const columns = header.split(",");
  return lines.map((line) => {
    const cells = line.split(",");
    return Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? ""]));
  });
}

function readMetadata(bytes: Uint8Array): Record<string, string> {
  const model = onnx.ModelProto.decode(bytes);
  return Object.fromEntries(model.metadataProps.map((entry) => [entry.key, entry.value]));
}

describe("examples/weather/train.js", () => {
  let out = "";
  let bytes = new Uint8Array();

  beforeAll(async () => {
    out = await makeTempDir();
    const { stdout } = await runNode(["train.js", "--epochs", "50", "--out", out]);
    expect(stdout).toMatch(/^epoch 50\/50 loss \d+\.\d+$/m);
    bytes = await readFile(join(out, "model.onnx"));
  });

  it("writes training metrics", async () => {
    const metrics = JSON.parse(await readFile(join(out, "metrics.json"), "utf8"));
    expect(Object.keys(metrics).sort()).toEqual(["train_accuracy", "train_log_loss"]);
    expect(metrics.train_accuracy).toBeGreaterThan(0.7);
    expect(metrics.train_accuracy).toBeLessThanOrEqual(1);
    expect(metrics.train_log_loss).toBeGreaterThan(0);
    expect(metrics.train_log_loss).toBeLessThan(Math.log(5));
  });

  it("records features, classes and task in the model's metadata", () => {
    const metadata = readMetadata(bytes);
    expect(metadata["modelci.task"]).toBe("classification");
    expect(JSON.parse(metadata["modelci.classes"] ?? "null")).toEqual([
      "drizzle",
      "fog",
      "rain",
      "snow",
      "sun",
    ]);
    expect(JSON.parse(metadata["modelci.features"] ?? "null")).toEqual([
      "precipitation",
      "temp_max",
      "temp_min",
      "wind",
      "precipitation_log1p",
      "month_sin",
      "month_cos",
    ]);
    const model = onnx.ModelProto.decode(bytes);
    expect(Number(model.irVersion)).toBe(8);
    expect(Number(model.opsetImport[0]?.version)).toBeGreaterThanOrEqual(13);
  });

  it("classifies the 2014 evaluation rows clearly better than the majority class", async () => {
    const metadata = readMetadata(bytes);
    const features: string[] = JSON.parse(metadata["modelci.features"] ?? "[]");
    const classes: string[] = JSON.parse(metadata["modelci.classes"] ?? "[]");
    const rows = readCsvRows(await readFile(join(example, "data/eval.csv"), "utf8"));
    const input = Float32Array.from(rows.flatMap((row) => features.map((name) => Number(row[name]))));

    const session = await InferenceSession.create(bytes);
    try {
      expect(session.inputNames).toEqual(["features"]);
      expect(session.outputNames).toEqual(["probabilities"]);
      const result = await session.run({
        features: new Tensor("float32", input, [rows.length, features.length]),
      });
      const probabilities = result.probabilities;
      if (probabilities === undefined) throw new Error("no probabilities output");
      expect(probabilities.type).toBe("float32");
      expect(probabilities.dims).toEqual([rows.length, classes.length]);

      const values = probabilities.data as Float32Array;
      let correct = 0;
      rows.forEach((row, i) => {
        const p = Array.from(values.subarray(i * classes.length, (i + 1) * classes.length));
        expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        if (classes[p.indexOf(Math.max(...p))] === row.weather) correct++;
      });
      const counts = new Map<string, number>();
      for (const row of rows) counts.set(row.weather ?? "", (counts.get(row.weather ?? "") ?? 0) + 1);
      const majorityRate = Math.max(...counts.values()) / rows.length;
      const accuracy = correct / rows.length;
      expect(majorityRate).toBeGreaterThan(0.4);
      expect(accuracy).toBeGreaterThan(majorityRate + 0.2);
    } finally {
      await session.release();
    }
  });

  it("is deterministic", async () => {
    const again = await makeTempDir();
    await runNode(["train.js", "--epochs", "50", "--out", again]);
    expect(Buffer.compare(await readFile(join(again, "model.onnx")), bytes)).toBe(0);
  });

  it.each([
    [["--lr", "fast"], /--lr must be a positive number/],
    [["--epochs", "1.5"], /--epochs must be a positive integer/],
    [["--l2=-1"], /--l2 must be a number >= 0/],
    [["--depth", "3"], /Unknown option '--depth'/],
    [["--train", "data/missing.csv"], /training data not found: data\/missing\.csv/],
  ])("exits non-zero on %j", async (args, message) => {
    const out = await makeTempDir();
    await expect(runNode(["train.js", ...args, "--out", out])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(message),
    });
  });
});

describe("examples/weather/scripts/prepare-data.js", () => {
  it("reproduces the committed data files byte for byte", async () => {
    const out = await makeTempDir();
    await runNode(["scripts/prepare-data.js", "--out", out]);
    for (const file of dataFiles) {
      const committed = await readFile(join(example, "data", file));
      const generated = await readFile(join(out, file));
      expect(Buffer.compare(generated, committed), `data/${file} differs from a fresh run`).toBe(0);
    }
  });

  it("splits by year and keeps only features in live.jsonl", async () => {
    const train = readCsvRows(await readFile(join(example, "data/train.csv"), "utf8"));
    expect(new Set(train.map((row) => row.date?.slice(0, 4)))).toEqual(new Set(["2012", "2013"]));
    const live = (await readFile(join(example, "data/live.jsonl"), "utf8")).trimEnd().split("\n");
    expect(live).toHaveLength(365);
    expect(Object.keys(JSON.parse(live[0] ?? "{}"))).not.toContain("weather");
  });
});

describe("examples/weather/lib/export-onnx.js", () => {
  it("encodes a linear regression that onnxruntime runs", async () => {
    const bytes = encodeLinearRegressionModel({
      weights: [2, -1],
      bias: 0.5,
      mean: [1, 0],
      scale: [2, 1],
      features: ["a", "b"],
    });
    expect(readMetadata(bytes)).toMatchObject({
      "modelci.task": "regression",
      "modelci.features": '["a","b"]',
    });
    const session = await InferenceSession.create(bytes);
    try {
      const input = new Tensor("float32", Float32Array.from([3, 4, 1, 0]), [2, 2]);
      const { prediction } = await session.run({ features: input });
      expect(prediction?.dims).toEqual([2, 1]);
      // ((3 - 1) / 2) * 2 - 4 + 0.5 = -1.5; ((1 - 1) / 2) * 2 - 0 + 0.5 = 0.5
      expect(Array.from(prediction?.data as Float32Array)).toEqual([-1.5, 0.5]);
    } finally {
      await session.release();
    }
  });

  it("rejects weights that do not match the features and classes", () => {
    expect(() =>
      encodeSoftmaxRegressionModel({
        weights: [[1, 2]],
        bias: [0, 0],
        features: ["a", "b"],
        classes: ["x", "y"],
      }),
    ).toThrow(/weights has 1 rows, expected one per class \(2\)/);
  });
});

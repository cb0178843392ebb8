import { describe, expect, it } from "vitest";
import { decodeModelInfo } from "../adapters/onnx/read-model-info.ts";
import { compareMetrics, judgeDelta } from "../core/evaluate/compare-metrics.ts";
import {
  findClassificationOutput,
  findFeatureInput,
  resolveFeatures,
} from "../core/evaluate/match-signature.ts";
import { parseReportedMetrics } from "../core/evaluate/parse-reported-metrics.ts";
import { alignBaselineClasses, classesFromLabels, permuteColumns } from "../core/evaluate/resolve-classes.ts";
import { classifier, editModel, regressor } from "./helpers/evaluate-fixtures.ts";

const info = (bytes: Uint8Array, path = "m.onnx") => decodeModelInfo(path, bytes, "0".repeat(64));

describe("decodeModelInfo", () => {
  it("reads the signature, opset and modelci metadata", () => {
    const model = info(classifier());
    expect(model.inputs).toEqual([{ name: "features", type: "float32", shape: ["N", 3] }]);
    expect(model.outputs).toEqual([{ name: "probabilities", type: "float32", shape: ["N", 3] }]);
    expect(model.opset).toBe(13);
    expect(model.irVersion).toBe(8);
    expect(model).toMatchObject({
      features: ["x1", "x2", "x3"],
      classes: ["a", "b", "c"],
      task: "classification",
    });
  });

  it("keeps fixed dimensions as numbers", () => {
    expect(info(editModel(regressor(), { inputShape: [4, 3] })).inputs[0]?.shape).toEqual([4, 3]);
  });
});

describe("signature rules", () => {
  it("defaults the features to the model's metadata, else every column but the label", () => {
    const columns = ["date", "x1", "x2", "x3", "label"];
    expect(resolveFeatures(info(classifier()), columns, "label", undefined).features).toEqual([
      "x1",
      "x2",
      "x3",
    ]);
    const bare = info(editModel(classifier(), { dropMetadata: ["modelci.features"] }));
    expect(resolveFeatures(bare, columns, "label", undefined).features).toEqual(["date", "x1", "x2", "x3"]);
  });

  it("uses a fixed batch dimension", () => {
    expect(
      findFeatureInput(info(editModel(classifier(), { inputShape: [8, 3] })), ["x1", "x2", "x3"]).fixedBatch,
    ).toBe(8);
  });

  it("finds no classification output in a regressor", () => {
    expect(() => findClassificationOutput(info(regressor()))).toThrow(/a regression output/);
  });
});

describe("classes", () => {
  it("sorts numeric labels numerically, others by code point", () => {
    expect(classesFromLabels(["10", "2", "1"]).classes).toEqual(["1", "2", "10"]);
    expect(classesFromLabels(["b", "B", "a"]).classes).toEqual(["B", "a", "b"]);
  });

  it("maps a baseline's own class order onto the candidate's", () => {
    const baseline = info(classifier({ classes: ["c", "a", "b"] }), "base.onnx");
    const order = alignBaselineClasses(baseline, ["a", "b", "c"], 3);
    expect([...order]).toEqual([1, 2, 0]);
    expect([...permuteColumns(Float32Array.from([0.7, 0.2, 0.1]), order)]).toEqual([
      Math.fround(0.2),
      Math.fround(0.1),
      Math.fround(0.7),
    ]);
    expect(() => alignBaselineClasses(baseline, ["a", "b", "d"], 3)).toThrow(
      /missing from the baseline: `d`/,
    );
  });
});

describe("verdicts", () => {
  it("judges a CI by which side of zero it lies on, in the metric's direction", () => {
    expect(judgeDelta("higher", 0.02, 0.01, 0.03)).toBe("better");
    expect(judgeDelta("lower", 0.02, 0.01, 0.03)).toBe("worse");
    expect(judgeDelta("higher", 0.01, -0.01, 0.03)).toBe("within-noise");
    expect(judgeDelta("lower", -0.5, -0.7, -0.3)).toBe("better");
  });

  it("treats timings within 10% of the baseline as noise, sizes by sign", () => {
    const deltas = compareMetrics(
      { latency_p99_ms: 1.05, throughput_rows_per_s: 500, model_bytes: 900 },
      { latency_p99_ms: 1, throughput_rows_per_s: 1000, model_bytes: 1000 },
      undefined,
    );
    expect(deltas.latency_p99_ms?.verdict).toBe("within-noise");
    expect(deltas.throughput_rows_per_s?.verdict).toBe("worse");
    expect(deltas.model_bytes).toEqual({ delta: -100, direction: "lower", verdict: "better" });
  });
});

describe("parseReportedMetrics", () => {
  it("accepts an object of finite numbers", () => {
    expect(parseReportedMetrics("m.json", '{"bleu": 0.3, "n": 4}')).toEqual({ bleu: 0.3, n: 4 });
  });

  it.each([
    ["[1, 2]", "must hold a JSON object of metric names and numbers, got an array"],
    ['{"bleu": null}', 'metric "bleu" must be a finite number, got null'],
    ["{}", "the metrics file has no metrics"],
    ["{", "the metrics file is not valid JSON"],
  ])("rejects %s", (text, message) => {
    expect(() => parseReportedMetrics("m.json", text)).toThrow(message);
  });
});

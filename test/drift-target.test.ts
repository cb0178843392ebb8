/**
 * `modelci drift --target` on the weather example (its registered version's reference profile
 * against the 2015 inputs, predictions scored with onnxruntime), input-log records, the
 * reference profile's sampling, and the errors: exit 2 with one clear line.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../cli/main.ts";
import { ReferenceProfiler, referenceSample } from "../core/drift/reference-profile.ts";
import { tempDir } from "./helpers/temp-repo.ts";

async function drift(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(["drift", ...args], { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe("modelci drift --target", () => {
  it("reports drift on the weather example's 2015 inputs, with prediction drift beside the features", async () => {
    const { code, out, err } = await drift([
      "--target",
      "production",
      "--root",
      "examples/weather",
      "--json",
    ]);
    expect(err).toBe("");
    const result = JSON.parse(out);
    expect(result).toMatchObject({ target: "production", drifted: true });
    const weather = result.models.weather;
    expect(weather.version).toBe(1);
    expect(weather.dataset).toMatchObject({
      verdict: "drift",
      drifted: 2,
      features: 7,
      rows: { reference: 731, current: 365 },
    });
    expect(weather.features.temp_max).toMatchObject({ method: "ks", drifted: true });
    expect(weather.features.wind).toMatchObject({ method: "ks", drifted: false });
    // the served model's predictions on 2015 against its predictions on the training data
    expect(weather.prediction.type).toBe("categorical");
    expect(weather.prediction.histogram.categories).toEqual(expect.arrayContaining(["rain", "sun"]));
    expect(weather.prediction.rows.current).toBe(365);
    expect(code).toBe(1);
  });

  it("a version registered before reference profiles gets a clear message, exit 2", async () => {
    const dir = tempDir("examples/weather");
    const file = join(dir, "models/weather/versions/1.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace(/\nreference:\n( {2}.*\n)+/, "\n"));
    const { code, err } = await drift(["--target", "production", "--root", dir]);
    expect(err).toMatch(
      /models\/weather\/versions\/1\.yaml has no reference profile: it was registered before/,
    );
    expect(err).not.toMatch(/\n\s+at /);
    expect(code).toBe(2);
  });

  it("refuses a reference profile whose bytes are not the version file's sha256", async () => {
    const dir = tempDir("examples/weather");
    const file = join(dir, "models/weather/versions/1.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(/(\nreference:\n {2}uri: local:sha256:)437c/, "$11111"),
    );
    const { code, err } = await drift(["--target", "production", "--root", dir]);
    expect(err).toMatch(/^modelci drift: artifact local:sha256:1111/);
    expect(code).toBe(2);
  });
});

describe("modelci drift on files", () => {
  it("flattens input-log records, keeps one model's, and compares their logged predictions", async () => {
    const dir = tempDir();
    const record = (model: string, x: number, kind: string, prediction: string) =>
      JSON.stringify({ time: "2026-01-01T00:00:00Z", model, version: 1, inputs: { x, kind }, prediction });
    const reference = Array.from({ length: 200 }, (_, i) =>
      record("m", i % 50, i % 2 ? "a" : "b", i % 3 ? "yes" : "no"),
    );
    const current = [
      ...Array.from({ length: 200 }, (_, i) => record("m", (i % 50) + 40, "a", "yes")),
      ...Array.from({ length: 50 }, () => record("other", 1000, "z", "no")),
    ];
    writeFileSync(join(dir, "ref.jsonl"), `${reference.join("\n")}\n`);
    writeFileSync(join(dir, "cur.jsonl"), `${current.join("\n")}\n`);
    const { code, out } = await drift([
      "--reference",
      join(dir, "ref.jsonl"),
      "--current",
      join(dir, "cur.jsonl"),
      "--json",
    ]);
    const result = JSON.parse(out);
    expect(Object.keys(result.features)).toEqual(["x", "kind"]);
    // the other model's 50 records are in this file too: without a target nothing filters them
    expect(result.dataset.rows).toEqual({ reference: 200, current: 250 });
    expect(result.features.kind.histogram.categories).toEqual(["a", "b", "z"]);
    expect(result.prediction).toMatchObject({ type: "categorical", drifted: true });
    expect(code).toBe(1);
  });

  it("exit 2 with file:line for a bad JSON line, and for an unknown column", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.csv"), "x,y\n1,2\n3,4\n");
    writeFileSync(join(dir, "b.jsonl"), '{"x": 1, "y": 2}\n{"x": 2,\n');
    const bad = await drift(["--reference", join(dir, "a.csv"), "--current", join(dir, "b.jsonl")]);
    expect(bad.err).toMatch(/b\.jsonl:2:1: invalid JSON/);
    expect(bad.code).toBe(2);
    const unknown = await drift([
      "--reference",
      join(dir, "a.csv"),
      "--current",
      join(dir, "a.csv"),
      "--columns",
      "x,q",
    ]);
    expect(unknown.err).toMatch(/a\.csv: no column "q"/);
    expect(unknown.code).toBe(2);
    const usage = await drift(["--reference", join(dir, "a.csv")]);
    expect(usage.err).toMatch(/needs --reference FILE and --current FILE, or --target TARGET/);
    expect(usage.code).toBe(2);
  });
});

describe("the reference profile", () => {
  it("keeps exact counts, extremes and missing cells, and a seeded sample of 10,000 values", () => {
    const profiler = new ReferenceProfiler(["v", "c"]);
    const rows = 50_000;
    const v = Array.from({ length: rows }, (_, i) => (i % 10 === 0 ? null : i));
    const c = Array.from({ length: rows }, (_, i) => (i % 7 === 0 ? "NA" : `k${i % 3}`));
    profiler.add({ rows, values: [v, c] });
    const profile = profiler.finish();
    const numeric = profile.features.v;
    expect(numeric).toMatchObject({ kind: "numeric", count: 45_000, missing: 5000, min: 1, max: 49_999 });
    if (numeric?.kind !== "numeric") throw new Error("numeric");
    expect(numeric.sample).toHaveLength(10_000);
    expect([...numeric.sample].sort((a, b) => a - b)).toEqual(numeric.sample);
    const again = new ReferenceProfiler(["v", "c"]);
    again.add({ rows, values: [v, c] });
    expect(again.finish()).toEqual(profile);
    expect(profile.features.c).toMatchObject({ kind: "categorical", missing: 7143 });
    const sample = referenceSample(numeric);
    // the missing share of the whole column, carried over to the sample
    expect(sample.missing / (sample.missing + 10_000)).toBeCloseTo(0.1, 12);
  });
});

import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadValidProject } from "../adapters/pipeline/load-valid-project.ts";
import { experimentBaseline, resolveBaseline } from "../adapters/pipeline/resolve-baseline.ts";
import { evaluationResultSchema } from "../schemas/evaluation-result.ts";
import { commitAll, editFile, REPO_ROOT, runCli, STACK_TRACE, tempDir } from "./helpers/temp-repo.ts";

const MODEL = join(REPO_ROOT, "test/fixtures/models/weather.onnx");
const CHAMPION_SHA = "e0b8b81413d55766e80fe2c6a67f5cf4d3f97bc367d80d6c59ddee666cdddba3";
const STORED = `artifacts/sha256/e0/${CHAMPION_SHA}`;
const RUN = ".modelci/runs/weather-logreg/lr-0.5_l2-0.001";

/** The weather example (champion: v1 in the committed local store) with a trained run folder. */
function exampleWithRun(): string {
  const dir = tempDir("examples/weather");
  mkdirSync(join(dir, RUN, "outputs/out"), { recursive: true });
  copyFileSync(MODEL, join(dir, RUN, "outputs/out/model.onnx"));
  return dir;
}

function evaluate(dir: string, args: string[]) {
  const run = runCli(["evaluate", "--root", dir, "--resamples", "20", "--json", ...args], dir);
  expect(run.stdout + run.stderr).not.toMatch(STACK_TRACE);
  return run;
}

function parsed(run: { code: number; stdout: string; stderr: string }) {
  expect(run.code, run.stderr).toBe(0);
  const result = evaluationResultSchema.parse(JSON.parse(run.stdout));
  if (result["self-reported"]) throw new Error("expected a computed result");
  return result;
}

describe("modelci evaluate from the declarations", () => {
  it("reads data, label, task and classes from the experiment and compares with the champion by itself", () => {
    const dir = exampleWithRun();
    const run = evaluate(dir, ["--model", join(RUN, "outputs/out/model.onnx")]);
    const result = parsed(run);
    expect(run.stderr).toContain("baseline: weather v1, the champion (production)");
    expect(result.task).toBe("classification");
    expect(result.run).toEqual({
      model: "weather",
      experiment: "weather-logreg",
      "run-id": "lr-0.5_l2-0.001",
    });
    expect(result.data.rows).toBe(365);
    expect(result.baseline?.model.sha256).toBe(CHAMPION_SHA);
    expect(result.champion).toEqual({ version: 1, target: "production", declarations: "working-tree" });
    expect(result.deltas?.f1_macro?.verdict).toBeDefined();
    const explicit = ["--model", MODEL, "--data", "data/eval.csv", "--label", "weather"];
    const named = evaluate(dir, [...explicit, "--baseline", "weather@champion"]);
    // Without declarations (--data) no champion is looked up, so none is recorded.
    expect(parsed(named).champion).toBeUndefined();
    expect(parsed(named).baseline?.model.sha256).toBe(CHAMPION_SHA);
    expect(named.stderr).toContain("baseline: weather v1 (weather@champion)");
  });

  it("resolves MODEL@vN, MODEL@champion, MODEL@TARGET and store URIs to verified files, or none", async () => {
    const dir = exampleWithRun();
    const context = { dir, project: await loadValidProject(dir), env: {} };
    for (const spec of [
      "weather@v1",
      "weather@champion",
      "weather@staging",
      `local:sha256:${CHAMPION_SHA}`,
    ]) {
      const baseline = await resolveBaseline(spec, context);
      expect(baseline.path, spec).toBe(join(dir, STORED));
    }
    expect(await experimentBaseline(context, "weather-logreg", "none")).toBeUndefined();
    expect((await experimentBaseline(context, "weather-logreg", undefined))?.description).toBe(
      "weather v1, the champion (production)",
    );
    await expect(resolveBaseline("weather@v7", context)).rejects.toThrow(
      "weather has no version 7; registered: 1",
    );
    await expect(resolveBaseline("release:weather@v9/model.onnx", context)).rejects.toThrow(
      "no registered version has the artifact release:weather@v9/model.onnx",
    );
  });

  it("refuses a champion whose stored bytes differ, and explains a missing one", async () => {
    const dir = exampleWithRun();
    const context = { dir, project: await loadValidProject(dir), env: {} };
    chmodSync(join(dir, STORED), 0o644);
    writeFileSync(join(dir, STORED), "not the model");
    await expect(resolveBaseline("weather@v1", context)).rejects.toThrow(
      /^weather v1 \(models\/weather\/versions\/1\.yaml\): .*sha256/,
    );
    rmSync(join(dir, STORED));
    const missing = resolveBaseline("weather@champion", context);
    await expect(missing).rejects.toThrow("commit the store folder");
    await expect(missing).rejects.not.toThrow("on this machine");
    const mixed = evaluate(dir, ["--experiment", "weather-logreg", "--data", "data/eval.csv"]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain("--data comes from the declarations");
  });

  it("names the champion from the declarations at --base, not a change to deployments/", () => {
    const dir = exampleWithRun();
    writeFileSync(join(dir, ".gitignore"), ".modelci/\n");
    const base = commitAll(dir, "weather example");
    for (const target of ["staging", "production"]) {
      editFile(join(dir, "deployments", `${target}.yaml`), (text) =>
        text.replace(/^models: .*$/m, "models: {}"),
      );
    }
    const here = parsed(evaluate(dir, ["--experiment", "weather-logreg", "--model", MODEL]));
    expect(here.baseline).toBeUndefined();
    expect(here.champion).toEqual({ version: null, target: "production", declarations: "working-tree" });
    const atBase = evaluate(dir, ["--experiment", "weather-logreg", "--model", MODEL, "--base", base]);
    expect(parsed(atBase).baseline?.model.sha256).toBe(CHAMPION_SHA);
    expect(parsed(atBase).champion).toEqual({ version: 1, target: "production", declarations: base });
    expect(readFileSync(join(dir, "deployments/production.yaml"), "utf8")).toContain("models: {}");
  });
});

import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluationFailureSchema } from "../schemas/evaluation-failure.ts";
import { evaluationResultSchema } from "../schemas/evaluation-result.ts";
import { runAction } from "./helpers/run-action.ts";
import { editFile, REPO_ROOT, STACK_TRACE, tempDir } from "./helpers/temp-repo.ts";

const MODEL = join(REPO_ROOT, "test/fixtures/models/weather.onnx");
const golden = JSON.parse(readFileSync(join(REPO_ROOT, "test/fixtures/golden/evaluate-weather.json"), "utf8"))
  .cases[0];

/** The weather example with a run folder as actions/train leaves it, holding a real trained model. */
function exampleWithRun(): { dir: string; runDir: string } {
  const dir = tempDir("examples/weather");
  const runDir = join(dir, ".modelci/runs/weather-logreg/lr-0.5_l2-0.001");
  mkdirSync(join(runDir, "outputs/out"), { recursive: true });
  copyFileSync(MODEL, join(runDir, "outputs/out/model.onnx"));
  return { dir, runDir };
}

describe("actions/evaluate", () => {
  it("scores a run's model with the shipped onnxruntime, as scikit-learn does, and writes the result", () => {
    const { dir } = exampleWithRun();
    const result = runAction(
      "evaluate",
      { experiment: "weather-logreg", "run-dir": ".modelci/runs/weather-logreg/lr-0.5_l2-0.001" },
      { cwd: dir },
    );
    expect(result.stdout).not.toContain("::error");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("onnxruntime from the Action's pack");
    expect(result.stdout).toContain("Baseline: weather v1, the champion (production), at the working tree");
    expect(result.outputs.result).toBe(".modelci/runs/weather-logreg/lr-0.5_l2-0.001/evaluation.json");
    expect(result.outputs.provider).toBe("cpu");
    expect(result.outputs["self-reported"]).toBe("false");
    const written = evaluationResultSchema.parse(
      JSON.parse(readFileSync(join(dir, result.outputs.result ?? ""), "utf8")),
    );
    for (const [metric, value] of Object.entries(golden.metrics as Record<string, number>)) {
      expect(written.metrics[metric], metric).toBeCloseTo(value, 6);
    }
    expect(result.stdout).toContain("::notice::Not on a GitHub Actions runner");
  });

  it("records why a run's evaluation failed beside its manifest, for the report, and fails the step", () => {
    const { dir, runDir } = exampleWithRun();
    // A cell the model cannot read: evaluate.missing is `error` by default.
    editFile(join(dir, "data/eval.csv"), (text) => text.replace(/\n([^,\n]*),[^,\n]*,/, "\n$1,NA,"));
    const result = runAction(
      "evaluate",
      { experiment: "weather-logreg", "run-dir": ".modelci/runs/weather-logreg/lr-0.5_l2-0.001" },
      { cwd: dir },
    );
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).not.toMatch(STACK_TRACE);
    const failure = evaluationFailureSchema.parse(
      JSON.parse(readFileSync(join(runDir, "evaluation-error.json"), "utf8")),
    );
    expect(failure.run).toEqual({
      model: "weather",
      experiment: "weather-logreg",
      "run-id": "lr-0.5_l2-0.001",
    });
    expect(failure.error).toMatch(/missing value/);
    expect(result.stdout).toContain(`::error::${failure.error.split("\n")[0]}`);
  });

  it("compares with a baseline on identical rows", () => {
    const { dir, runDir } = exampleWithRun();
    const result = runAction(
      "evaluate",
      {
        experiment: "weather-logreg",
        model: join(runDir, "outputs/out/model.onnx"),
        baseline: MODEL,
        resamples: "200",
        upload: "false",
      },
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    const written = JSON.parse(readFileSync(join(dir, "modelci-evaluation.json"), "utf8"));
    expect(written.deltas.f1_macro).toMatchObject({ delta: 0, low: 0, high: 0, verdict: "within-noise" });
    expect(written.bootstrap.resamples).toBe(200);
    expect(result.stdout).toContain(
      "Confidence intervals: 200 paired bootstrap resamples against the baseline…",
    );
    expect(result.stdout).toContain("  200 of 200 resamples");
  });

  it("takes self-reported metrics from the experiment's evaluation command", () => {
    const dir = tempDir("examples/weather");
    writeFileSync(
      join(dir, "eval.mjs"),
      'import { writeFileSync } from "node:fs";\nwriteFileSync("eval-metrics.json", JSON.stringify({ bleu: 0.31 }));\n',
    );
    editFile(
      join(dir, "experiments/weather-logreg.yaml"),
      (text) => `${text}evaluate: { command: node eval.mjs, metrics: eval-metrics.json }\n`,
    );
    const result = runAction("evaluate", { experiment: "weather-logreg", upload: "false" }, { cwd: dir });
    expect(result.stdout).not.toContain("::error");
    expect(result.outputs).toMatchObject({ "self-reported": "true", metrics: '{"bleu":0.31}', provider: "" });
  });

  it("fails with a clear message on a missing model or an unknown experiment", () => {
    const dir = tempDir("examples/weather");
    const missing = runAction("evaluate", { experiment: "weather-logreg", upload: "false" }, { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/::error::.*out\/model\.onnx/);
    const unknown = runAction("evaluate", { experiment: "wether-logreg" }, { cwd: dir });
    expect(unknown.stdout).toContain(
      '::error::no experiment "wether-logreg" (did you mean "weather-logreg"?)',
    );
    expect(missing.stdout + missing.stderr + unknown.stdout + unknown.stderr).not.toMatch(STACK_TRACE);
  });
});

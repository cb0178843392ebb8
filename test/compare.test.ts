import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareModel } from "../core/compare/compare-model.ts";
import { evaluateGates, type GateOutcome } from "../core/compare/evaluate-gates.ts";
import type { Gate, Model } from "../schemas/model.ts";
import { makeManifest, makeModel, makeResult } from "./helpers/comparison-fixtures.ts";
import { runCli, STACK_TRACE, tempDir } from "./helpers/temp-repo.ts";

const gate = (spec: Partial<Gate> & { metric: string }): Gate => ({ strict: false, ...spec });

/** The gates of a model with these gates on one result. */
function judge(
  gates: Gate[],
  spec: Parameters<typeof makeResult>[0],
  options: { hasChampion?: boolean; metrics?: Model["metrics"] } = {},
): GateOutcome[] {
  const model = makeModel({ gates, ...(options.metrics ? { metrics: options.metrics } : {}) });
  return evaluateGates(makeResult(spec), model, {
    ...(options.hasChampion === undefined ? {} : { hasChampion: options.hasChampion }),
  });
}

function only(outcomes: GateOutcome[]): GateOutcome {
  expect(outcomes).toHaveLength(1);
  return outcomes[0] as GateOutcome;
}

describe("evaluateGates: absolute bounds", () => {
  it("min passes at or above the bound and fails below it", () => {
    const pass = only(judge([gate({ metric: "accuracy", min: 0.7 })], { metrics: { accuracy: 0.7 } }));
    expect(pass).toMatchObject({ status: "pass", candidate: 0.7 });
    expect(pass.explanation).toBe("accuracy 0.700, at least the 0.7 required");
    const fail = only(judge([gate({ metric: "accuracy", min: 0.7 })], { metrics: { accuracy: 0.65 } }));
    expect(fail).toMatchObject({ status: "fail", explanation: "accuracy 0.650, below the 0.7 required" });
  });

  it("max passes at or below the bound and fails above it", () => {
    const gates = [gate({ metric: "latency_p99_ms", max: 15 })];
    expect(only(judge(gates, { metrics: { latency_p99_ms: 15 } })).status).toBe("pass");
    const fail = only(judge(gates, { metrics: { latency_p99_ms: 18.4 } }));
    expect(fail).toMatchObject({ status: "fail", explanation: "latency_p99_ms 18.4, above the 15 allowed" });
  });

  it("absolute gates apply without a champion", () => {
    const outcomes = judge(
      [gate({ metric: "accuracy", min: 0.9 }), gate({ metric: "f1_macro", "max-regression": 0.01 })],
      { metrics: { accuracy: 0.8, f1_macro: 0.5 } },
    );
    expect(outcomes.map((o) => o.status)).toEqual(["fail", "skipped"]);
    expect(outcomes[1]?.explanation).toBe("no champion yet");
  });

  it("a gate with two bounds is an error, never a silent pass", () => {
    const outcome = only(
      judge([gate({ metric: "accuracy", min: 0.1, max: 0.9 })], { metrics: { accuracy: 0.5 } }),
    );
    expect(outcome.status).toBe("error");
    expect(outcome.explanation).toContain("exactly one of min, max or max-regression");
  });
});

describe("evaluateGates: max-regression against the champion", () => {
  const f1 = (candidate: number, champion: number, interval?: [number, number], strict = false) =>
    only(
      judge([gate({ metric: "f1_macro", "max-regression": 0.02, strict })], {
        metrics: { f1_macro: candidate },
        baseline: { f1_macro: champion },
        ...(interval ? { intervals: { f1_macro: interval } } : {}),
      }),
    );

  it("fails a regression beyond the tolerance whose CI excludes zero, in plain words", () => {
    const outcome = f1(0.4, 0.431, [-0.052, -0.011]);
    expect(outcome).toMatchObject({
      status: "fail",
      candidate: 0.4,
      champion: 0.431,
      low: -0.052,
      high: -0.011,
    });
    expect(outcome.delta).toBeCloseTo(-0.031, 12);
    expect(outcome.explanation).toBe(
      "f1_macro fell 0.031 (95% CI −0.052…−0.011), more than the 0.02 allowed",
    );
  });

  it("passes a regression within the tolerance, and an improvement", () => {
    expect(f1(0.42, 0.431, [-0.02, -0.002])).toMatchObject({
      status: "pass",
      explanation: "f1_macro fell 0.011 (95% CI −0.020…−0.002), within the 0.02 allowed",
    });
    expect(f1(0.442, 0.431, [-0.004, 0.027])).toMatchObject({
      status: "pass",
      explanation: "f1_macro rose 0.011 (95% CI −0.004…+0.027)",
    });
  });

  it("counts a regression of exactly the tolerance as allowed despite floating point", () => {
    expect(f1(0.48, 0.5).status).toBe("pass");
    expect(f1(0.7, 0.72).status).toBe("pass");
  });

  it("a regression beyond the tolerance whose CI includes zero is within noise, unless strict", () => {
    const noisy = f1(0.4, 0.431, [-0.06, 0.004]);
    expect(noisy.status).toBe("within-noise");
    expect(noisy.explanation).toBe(
      "f1_macro fell 0.031 (95% CI −0.060…+0.004), more than the 0.02 allowed, but the 95% CI includes zero: within noise",
    );
    const strict = f1(0.4, 0.431, [-0.06, 0.004], true);
    expect(strict.status).toBe("fail");
    expect(strict.explanation).toContain("the 95% CI includes zero, but the gate is strict");
  });

  it("without a CI, a regression beyond the tolerance fails", () => {
    expect(f1(0.4, 0.431).status).toBe("fail");
  });

  it("regresses in the metric's bad direction: log_loss is better lower", () => {
    const gates = [gate({ metric: "log_loss", "max-regression": 0.02 })];
    const worse = only(
      judge(gates, {
        metrics: { log_loss: 0.95 },
        baseline: { log_loss: 0.9 },
        intervals: { log_loss: [0.03, 0.07] },
      }),
    );
    expect(worse.status).toBe("fail");
    expect(worse.explanation).toBe("log_loss rose 0.050 (95% CI +0.030…+0.070), more than the 0.02 allowed");
    const better = only(
      judge(gates, {
        metrics: { log_loss: 0.8 },
        baseline: { log_loss: 0.9 },
        intervals: { log_loss: [-0.12, -0.08] },
      }),
    );
    expect(better).toMatchObject({
      status: "pass",
      explanation: "log_loss fell 0.100 (95% CI −0.120…−0.080)",
    });
  });

  it("takes the model's direction override for a custom metric", () => {
    const gates = [gate({ metric: "cost", "max-regression": 1 })];
    const spec = { metrics: { cost: 12 }, baseline: { cost: 10 } };
    expect(only(judge(gates, spec)).status).toBe("pass"); // "higher" by default: cost rose, which is better
    const lower = only(judge(gates, spec, { metrics: { cost: { direction: "lower" } } }));
    expect(lower).toMatchObject({ status: "fail", explanation: "cost rose 2.0, more than the 1 allowed" });
  });

  it("a relative tolerance is a share of the champion's value", () => {
    const gates = [gate({ metric: "f1_macro", "max-regression": "2%" })];
    const at = (candidate: number) =>
      only(judge(gates, { metrics: { f1_macro: candidate }, baseline: { f1_macro: 0.5 } }));
    expect(at(0.491).status).toBe("pass");
    expect(at(0.49).status).toBe("pass");
    const fail = at(0.485);
    expect(fail.status).toBe("fail");
    expect(fail.explanation).toBe("f1_macro fell 0.015, more than the 2% allowed (0.010)");
    const lossGates = [gate({ metric: "log_loss", "max-regression": "5%" })];
    const loss = only(judge(lossGates, { metrics: { log_loss: 0.95 }, baseline: { log_loss: 0.9 } }));
    expect(loss).toMatchObject({
      status: "fail",
      explanation: "log_loss rose 0.050, more than the 5% allowed (0.045)",
    });
  });

  it("a timing regression without a CI that the evaluation judged within noise is within noise", () => {
    const gates = [gate({ metric: "latency_p99_ms", "max-regression": "2%" })];
    const result = makeResult({ metrics: { latency_p99_ms: 3.15 }, baseline: { latency_p99_ms: 3 } });
    (result.deltas as NonNullable<typeof result.deltas>).latency_p99_ms = {
      delta: 0.15,
      direction: "lower",
      verdict: "within-noise",
    };
    const outcome = only(evaluateGates(result, makeModel({ gates })));
    expect(outcome.status).toBe("within-noise");
    expect(outcome.explanation).toContain("within timing noise");
  });
});

describe("evaluateGates: missing values are errors", () => {
  const gates = [gate({ metric: "f1_macro", "max-regression": 0.02 }), gate({ metric: "roc_auc", min: 0.5 })];

  it("a metric missing from the candidate or the champion", () => {
    const outcomes = judge(gates, { metrics: { accuracy: 0.9 }, baseline: { f1_macro: 0.5 } });
    expect(outcomes.map((o) => [o.status, o.explanation])).toEqual([
      ["error", "metric f1_macro missing from the candidate"],
      ["error", "metric roc_auc missing from the candidate"],
    ]);
    const champion = only(
      judge([gates[0] as Gate], { metrics: { f1_macro: 0.5 }, baseline: { accuracy: 0.9 } }),
    );
    expect(champion).toMatchObject({
      status: "error",
      explanation: "metric f1_macro missing from the champion",
    });
  });

  it("null and NaN values", () => {
    const outcomes = judge(gates, {
      metrics: { f1_macro: Number.NaN, roc_auc: null },
      baseline: { f1_macro: 0.5 },
    });
    expect(outcomes.map((o) => o.status)).toEqual(["error", "error"]);
    expect(outcomes[1]?.explanation).toBe(
      "metric roc_auc has no value for the candidate (undefined on these rows)",
    );
    const champion = only(
      judge([gates[0] as Gate], { metrics: { f1_macro: 0.5 }, baseline: { f1_macro: null } }),
    );
    expect(champion.status).toBe("error");
  });

  it("a champion that exists but is missing from the result", () => {
    const outcome = only(judge([gates[0] as Gate], { metrics: { f1_macro: 0.5 } }, { hasChampion: true }));
    expect(outcome.status).toBe("error");
    expect(outcome.explanation).toContain("no champion metrics");
  });
});

describe("compareModel", () => {
  const declaration = makeModel({
    gates: [gate({ metric: "accuracy", min: 0.6 }), gate({ metric: "f1_macro", "max-regression": 0.02 })],
  });
  const champion = { f1_macro: 0.431, accuracy: 0.7 };
  const run = (runId: string, f1: number, accuracy = 0.7, interval: [number, number] = [-0.004, 0.027]) =>
    makeResult({
      runId,
      metrics: { f1_macro: f1, accuracy },
      baseline: champion,
      intervals: { f1_macro: interval },
    });

  it("judges the best run of a sweep by the primary metric", () => {
    const comparison = compareModel({
      model: "weather",
      declaration,
      results: [run("lr-0.05", 0.41), run("lr-0.2", 0.442), run("lr-0.1", 0.43)],
    });
    expect(comparison.verdict).toBe("pass");
    expect(comparison.best).toMatchObject({ runId: "lr-0.2", experiment: "weather-gbm", label: "lr-0.2" });
    expect(comparison.runs.map((r) => [r.runId, r.best])).toEqual([
      ["lr-0.05", false],
      ["lr-0.1", false],
      ["lr-0.2", true],
    ]);
    expect(comparison.primary).toMatchObject({
      metric: "f1_macro",
      candidate: 0.442,
      champion: 0.431,
      low: -0.004,
      high: 0.027,
      verdict: "within-noise",
    });
    expect(comparison.metrics.map((row) => row.metric)).toEqual(["f1_macro", "accuracy"]);
  });

  it("breaks ties by the run id that sorts first, whatever the order of the results", () => {
    const results = [run("b", 0.44, 0.61), run("a", 0.44, 0.9), run("c", 0.44)];
    for (const order of [results, [...results].reverse()]) {
      expect(compareModel({ model: "weather", declaration, results: order }).best?.runId).toBe("a");
    }
  });

  it("picks the lowest value when the primary metric is better lower", () => {
    const lossModel = makeModel({ "primary-metric": "log_loss" });
    const results = [
      makeResult({ runId: "x", metrics: { log_loss: 0.5 } }),
      makeResult({ runId: "y", metrics: { log_loss: 0.3 } }),
    ];
    expect(compareModel({ model: "weather", declaration: lossModel, results }).best?.runId).toBe("y");
  });

  it("fails when a gate of the best run fails", () => {
    const comparison = compareModel({
      model: "weather",
      declaration,
      results: [run("a", 0.4, 0.7, [-0.05, -0.01]), run("b", 0.39)],
    });
    expect(comparison.verdict).toBe("fail");
    expect(comparison.gates.find((g) => g.status === "fail")?.gate.metric).toBe("f1_macro");
  });

  it("a failed or timed-out run makes the verdict error, with its reason", () => {
    const comparison = compareModel({
      model: "weather",
      declaration,
      results: [run("a", 0.44)],
      manifests: [
        makeManifest({ runId: "b", reason: "the command exited with code 1" }),
        makeManifest({ runId: "c", status: "timed-out", reason: "timed out after 120 minutes" }),
      ],
    });
    expect(comparison.verdict).toBe("error");
    expect(comparison.errors).toEqual([
      "run b failed: the command exited with code 1",
      "run c timed out: timed out after 120 minutes",
    ]);
    expect(comparison.runs.map((r) => r.status)).toEqual(["evaluated", "failed", "timed-out"]);
    expect(comparison.best?.runId).toBe("a");
  });

  it("a run that trained but has no result is an error; one with a result is fine", () => {
    const comparison = compareModel({
      model: "weather",
      declaration,
      results: [run("a", 0.44)],
      manifests: [
        makeManifest({ runId: "a", status: "succeeded" }),
        makeManifest({ runId: "b", status: "succeeded" }),
      ],
    });
    expect(comparison.errors).toEqual(["run b trained but has no evaluation result"]);
    expect(comparison.verdict).toBe("error");
  });

  it("a result that scored another model file than the run's manifest names is an error, never a pass", () => {
    const trained = (sha256: string) => ({
      ...makeManifest({ runId: "a", status: "succeeded" }),
      outputs: { model: { path: "out/model.onnx", sha256, size: 1000 } },
    });
    const result = run("a", 0.44);
    const other = "f".repeat(64);
    const swapped = compareModel({
      model: "weather",
      declaration,
      results: [result],
      manifests: [trained(other)],
    });
    expect(swapped.verdict).toBe("error");
    expect(swapped.errors).toEqual([
      `run a: its evaluation scored a different model file (sha256 ${result.model.sha256.slice(0, 12)}…) than the one its manifest names (ffffffffffff…); evaluate this run again`,
    ]);
    expect(swapped.runs.map((r) => r.status)).toEqual(["failed"]);
    const same = compareModel({
      model: "weather",
      declaration,
      results: [result],
      manifests: [trained(result.model.sha256)],
    });
    expect(same.verdict).toBe("pass");
  });

  it("without a champion, the verdict is no-champion unless an absolute gate fails", () => {
    const first = (accuracy: number) =>
      compareModel({
        model: "weather",
        declaration,
        results: [makeResult({ metrics: { f1_macro: 0.5, accuracy } })],
      });
    const fresh = first(0.8);
    expect(fresh.verdict).toBe("no-champion");
    expect(fresh.hasChampion).toBe(false);
    expect(fresh.gates.map((g) => g.status)).toEqual(["pass", "skipped"]);
    expect(first(0.5).verdict).toBe("fail");
  });

  it("a champion that exists but was not evaluated is an error, not a pass", () => {
    const comparison = compareModel({
      model: "weather",
      declaration,
      hasChampion: true,
      results: [makeResult({ metrics: { f1_macro: 0.5, accuracy: 0.8 } })],
    });
    expect(comparison.verdict).toBe("error");
  });

  it("no usable result is an error", () => {
    const none = compareModel({
      model: "weather",
      declaration,
      results: [makeResult({ metrics: { accuracy: 0.9 } })],
    });
    expect(none.verdict).toBe("error");
    expect(none.errors).toEqual(["no run has a value for the primary metric f1_macro"]);
    const twice = compareModel({ model: "weather", declaration, results: [run("a", 0.44), run("a", 0.45)] });
    expect(twice.errors).toEqual(["two results for run a"]);
  });
});

describe("modelci compare", () => {
  /** A copy of the valid fixture repository (churn, served in production) plus a model with no champion. */
  function repo(): string {
    const dir = tempDir("test/fixtures/valid-repo");
    mkdirSync(join(dir, "models/fresh"), { recursive: true });
    writeFileSync(
      join(dir, "models/fresh/model.yaml"),
      "task: classification\nowners: [alice]\nprimary-metric: f1_macro\ngates:\n  - { metric: f1_macro, min: 0.5 }\n",
    );
    return dir;
  }

  function write(dir: string, path: string, value: unknown): string {
    const file = join(dir, path);
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(file, JSON.stringify(value));
    return file;
  }

  const churn = (runId: string, f1: number, accuracy: number) =>
    makeResult({
      model: "churn",
      experiment: "train",
      runId,
      metrics: { f1_macro: f1, accuracy, latency_p99_ms: 3 },
      baseline: { f1_macro: 0.742, accuracy: 0.861, latency_p99_ms: 3.2 },
      intervals: {
        f1_macro: [f1 - 0.742 - 0.01, f1 - 0.742 + 0.01],
        accuracy: [accuracy - 0.861 - 0.004, accuracy - 0.861 - 0.001],
      },
    });

  it("prints the Markdown report and exits 0 when every model passes or has no champion", () => {
    const dir = repo();
    try {
      const a = write(dir, "results/lr-0.05.json", churn("lr-0.05", 0.75, 0.86));
      const b = write(dir, "results/lr-0.1.json", churn("lr-0.1", 0.76, 0.858));
      write(
        dir,
        "results/fresh.json",
        makeResult({ model: "fresh", experiment: "x", metrics: { f1_macro: 0.6 } }),
      );
      const { code, stdout, stderr } = runCli([
        "compare",
        "--root",
        dir,
        "--results",
        a,
        b,
        join(dir, "results/fresh.json"),
      ]);
      expect(stderr).toBe("");
      expect(code).toBe(0);
      expect(stdout.startsWith("<!-- modelci-report:default -->\n")).toBe(true);
      expect(stdout).toContain("**2 models: 1 pass, 1 no champion**");
      expect(stdout).toContain(
        "✅ **pass** — f1_macro 0.760 vs 0.742 (+0.018, 95% CI +0.008…+0.028, better)",
      );
      expect(stdout).toContain("🆕 **no champion** — f1_macro 0.600 (no champion yet)");
      expect(stdout).toContain("```mermaid\nxychart-beta");
      expect(stdout).toContain('x-axis ["v1", "candidate"]');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exits 1 when a gate fails, and prints JSON verdicts", () => {
    const dir = repo();
    try {
      write(dir, "results/lr-0.1.json", churn("lr-0.1", 0.76, 0.84));
      const { code, stdout } = runCli([
        "compare",
        "--root",
        dir,
        "--results",
        join(dir, "results"),
        "--format",
        "json",
      ]);
      expect(code).toBe(1);
      const json = JSON.parse(stdout);
      expect(json.summary).toBe("1 model: 1 fail");
      expect(json.ok).toBe(false);
      expect(json.models[0]).toMatchObject({ model: "churn", verdict: "fail", best: { runId: "lr-0.1" } });
      const failed = json.models[0].gates.find((g: GateOutcome) => g.status === "fail");
      expect(failed.explanation).toBe(
        "accuracy fell 0.021 (95% CI −0.025…−0.022), more than the 0.01 allowed",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exits 1 with an error verdict when a run failed, reading manifests from run folders", () => {
    const dir = repo();
    try {
      write(dir, "runs/train/lr-0.05/evaluation.json", churn("lr-0.05", 0.75, 0.86));
      write(
        dir,
        "runs/train/lr-0.05/manifest.json",
        makeManifest({ experiment: "train", runId: "lr-0.05", status: "succeeded" }),
      );
      write(
        dir,
        "runs/train/lr-0.1/manifest.json",
        makeManifest({ experiment: "train", runId: "lr-0.1", reason: "CUDA out of memory" }),
      );
      write(dir, "runs/train/lr-0.1/outputs/metrics.json", { loss: 0.3 });
      const { code, stdout } = runCli([
        "compare",
        "--root",
        dir,
        "--results",
        join(dir, "runs"),
        "--limit",
        "65535",
      ]);
      expect(code).toBe(1);
      expect(stdout).toContain("⚠️ **error**");
      expect(stdout).toContain("❌ run failed: CUDA out of memory");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("explains bad input without a stack trace", () => {
    const dir = repo();
    try {
      const undeclared = write(
        dir,
        "r/other.json",
        makeResult({ model: "chrun", metrics: { f1_macro: 0.5 } }),
      );
      const wrong = runCli(["compare", "--root", dir, "--results", undeclared]);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain('results for model "chrun", which is not declared');
      expect(wrong.stderr).toContain("churn");
      const bad = write(dir, "r/bad.json", { "result-version": 1, "self-reported": false, metrics: {} });
      const invalid = runCli(["compare", "--root", dir, "--results", bad]);
      expect(invalid.code).toBe(1);
      expect(invalid.stderr).toMatch(/bad\.json: not a valid evaluation result: /);
      const noRun = { ...makeResult({ metrics: { f1_macro: 0.5 } }) };
      delete noRun.run;
      const anonymous = runCli(["compare", "--root", dir, "--results", write(dir, "r/anon.json", noRun)]);
      expect(anonymous.stderr).toContain("pass --model NAME");
      const named = runCli([
        "compare",
        "--root",
        dir,
        "--results",
        join(dir, "r/anon.json"),
        "--model",
        "fresh",
      ]);
      expect(named.code).toBe(0);
      for (const run of [wrong, invalid, anonymous]) expect(run.stderr).not.toMatch(STACK_TRACE);
      expect(runCli(["compare", "--root", dir]).code).toBe(2);
      expect(runCli(["compare", "--root", dir, "--results", undeclared, "--format", "html"]).code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

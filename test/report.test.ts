import { describe, expect, it } from "vitest";
import { compareModel, type ModelComparison } from "../core/compare/compare-model.ts";
import { UserError } from "../core/errors.ts";
import { escapeMarkdown } from "../core/report/escape-markdown.ts";
import { CHECK_RUN_LIMIT, COMMENT_LIMIT, measureSize } from "../core/report/measure-size.ts";
import { renderReport } from "../core/report/render-report.ts";
import { renderSummary } from "../core/report/render-summary.ts";
import { reportMarker } from "../core/report/report-marker.ts";
import type { Gate } from "../schemas/model.ts";
import { makeManifest, makeManyModels, makeModel, makeResult } from "./helpers/comparison-fixtures.ts";

const gates: Gate[] = [
  { metric: "accuracy", min: 0.6, strict: false },
  { metric: "f1_macro", "max-regression": 0.02, strict: false },
  { metric: "log_loss", "max-regression": "5%", strict: false },
];
const declaration = makeModel({ gates });
const champion = { f1_macro: 0.431, accuracy: 0.7, log_loss: 0.9, roc_auc: 0.8 };

/** A passing sweep of two runs, a champion, and a version history. */
function passing(name = "weather"): ModelComparison {
  return compareModel({
    model: name,
    declaration,
    results: [
      makeResult({
        model: name,
        runId: "lr-0.1",
        metrics: { f1_macro: 0.442, accuracy: 0.71, log_loss: 0.88, roc_auc: null },
        baseline: champion,
        intervals: { f1_macro: [-0.004, 0.027], log_loss: [-0.05, 0.01] },
      }),
      makeResult({
        model: name,
        runId: "lr-0.05",
        metrics: { f1_macro: 0.43, accuracy: 0.7, log_loss: 0.9 },
        baseline: champion,
      }),
    ],
    history: [
      { label: "v1", value: 0.4 },
      { label: "v2", value: 0.431 },
    ],
  });
}

/** A failing model whose sweep also lost a run. */
function failing(name = "churn"): ModelComparison {
  return compareModel({
    model: name,
    declaration,
    results: [
      makeResult({
        model: name,
        runId: "lr-0.1",
        metrics: { f1_macro: 0.4, accuracy: 0.71, log_loss: 0.9 },
        baseline: champion,
        intervals: { f1_macro: [-0.052, -0.011] },
      }),
    ],
  });
}

describe("renderReport", () => {
  it("starts with the hidden marker and a summary, worst model first", () => {
    const { markdown, truncated } = renderReport({ models: [passing(), failing()] });
    expect(truncated).toBe(false);
    expect(markdown.split("\n")[0]).toBe("<!-- modelci-report:default -->");
    expect(renderReport({ models: [passing()], key: "nightly/gpu" }).markdown).toMatch(
      /^<!-- modelci-report:nightly\/gpu -->\n/,
    );
    expect(markdown).toContain("**2 models: 1 pass, 1 fail**");
    expect(markdown.indexOf("### churn")).toBeLessThan(markdown.indexOf("### weather"));
  });

  it("summarizes each model by its primary metric's delta and CI", () => {
    const { markdown } = renderReport({ models: [passing(), failing()] });
    expect(markdown).toContain(
      "✅ **pass** — f1_macro 0.442 vs 0.431 (+0.011, 95% CI −0.004…+0.027, within noise)",
    );
    expect(markdown).toContain("❌ **fail** — f1_macro 0.400 vs 0.431 (−0.031, 95% CI −0.052…−0.011, worse)");
  });

  it("tables every metric against the champion with the gates, and explains each gate", () => {
    const { markdown } = renderReport({ models: [failing()] });
    expect(markdown).toContain("| metric | champion | candidate | delta | 95% CI | gate |");
    expect(markdown).toContain(
      "| **f1_macro** ↑ | 0.431 | 0.400 | −0.031 | −0.052…−0.011 | ❌ regression ≤ 0.02 |",
    );
    expect(markdown).toContain("| log_loss ↓ | 0.900 | 0.900 | 0.000 |  | ✅ regression ≤ 5% |");
    expect(markdown).toContain(
      "- ❌ **f1_macro regression ≤ 0.02**: f1_macro fell 0.031 (95% CI −0.052…−0.011), more than the 0.02 allowed",
    );
  });

  it("shows missing values as — with a footnote", () => {
    const { markdown } = renderReport({ models: [passing()] });
    expect(markdown).toContain("| roc_auc ↑ | 0.800 | — | — |  |  |");
    expect(markdown).toContain("<sub>— no value: the metric is missing from the result");
    const complete = compareModel({
      model: "complete",
      declaration,
      results: [makeResult({ metrics: { f1_macro: 0.5, accuracy: 0.7, log_loss: 0.6 }, baseline: champion })],
    });
    expect(complete.metrics.map((row) => row.metric)).toContain("roc_auc");
    const noRocAuc = { ...complete, metrics: complete.metrics.filter((row) => row.metric !== "roc_auc") };
    expect(renderReport({ models: [noRocAuc] }).markdown).not.toContain("— no value");
  });

  it("puts the sweep's runs in <details>, best starred, and charts them in Mermaid", () => {
    const { markdown } = renderReport({ models: [passing()] });
    expect(markdown).toContain("<details><summary>2 runs; best: lr-0.1 ★</summary>");
    expect(markdown).toContain("| ★ | lr-0.1 | 0.442 |");
    expect(markdown).toContain(
      [
        "```mermaid",
        "xychart-beta",
        '  title "f1_macro by version"',
        '  x-axis ["v1", "v2", "candidate"]',
      ].join("\n"),
    );
    expect(markdown).toMatch(/ {2}bar \[0\.4, 0\.431, 0\.442\]\n```/);
    expect(markdown).not.toMatch(/!\[|<img/);
    const noHistory = { ...passing(), history: undefined };
    expect(renderReport({ models: [noHistory] }).markdown).toContain(
      '  title "f1_macro by run"\n  x-axis ["lr-0.05", "lr-0.1"]',
    );
  });

  it("shows a model without a champion and failed runs in words", () => {
    const fresh = compareModel({
      model: "fresh",
      declaration,
      results: [makeResult({ model: "fresh", metrics: { f1_macro: 0.5, accuracy: 0.7, log_loss: 0.6 } })],
      manifests: [makeManifest({ runId: "lr-0.2", reason: "exit code 1" })],
    });
    const { markdown } = renderReport({ models: [fresh] });
    expect(fresh.verdict).toBe("error");
    expect(markdown).toContain("⚠️ **error** — f1_macro 0.500 (no champion yet)");
    expect(markdown).toContain("| metric | candidate | gate |");
    expect(markdown).toContain("➖ regression ≤ 0.02");
    expect(markdown).toContain("- ⚠️ run lr-0.2 failed: exit code 1");
    expect(markdown).toContain("| ❌ run failed: exit code 1 |");
  });

  it("escapes pipes, backticks, HTML and mentions in names from result files", () => {
    const hostile = compareModel({
      model: "m|x",
      declaration: makeModel({ "primary-metric": "f1`macro" }),
      results: [
        makeResult({ model: "m|x", runId: "a|b`c<!--", metrics: { "f1`macro": 0.5, "x|y": 1 } }),
        makeResult({ model: "m|x", runId: "@alice", metrics: { "f1`macro": 0.4 } }),
      ],
    });
    const { markdown } = renderReport({ models: [hostile] });
    expect(markdown).toContain("### m\\|x");
    expect(markdown).toContain("| ★ | a\\|b\\`c&lt;!-- | 0.500 |");
    expect(markdown).toContain("| x\\|y ↑ |");
    expect(markdown).toContain("&#64;alice");
    expect(markdown).not.toContain("@alice");
    expect(markdown.match(/<!--/g)).toHaveLength(1);
    expect(escapeMarkdown("a\\|b\nc")).toBe("a\\\\\\|b c");
    expect(escapeMarkdown("x".repeat(300))).toHaveLength(200);
  });

  it("links the workflow run and its artifacts, and refuses other URLs", () => {
    const { markdown } = renderReport({
      models: [passing()],
      runUrl: "https://github.com/acme/ml/actions/runs/42",
      artifactsUrl: "https://github.com/acme/ml/actions/runs/42#artifacts",
    });
    expect(markdown).toContain(
      "[Workflow run](https://github.com/acme/ml/actions/runs/42) · [Artifacts](https://github.com/acme/ml/actions/runs/42#artifacts)",
    );
    expect(() => renderReport({ models: [], runUrl: "javascript:alert(1)" })).toThrow(UserError);
  });

  it("refuses a report key that could break the marker", () => {
    expect(reportMarker()).toBe("<!-- modelci-report:default -->");
    expect(() => reportMarker("a --> b")).toThrow(UserError);
  });
});

describe("renderReport within GitHub's size limits", () => {
  const compareAll = (options: Parameters<typeof makeManyModels>[0]) =>
    makeManyModels(options).map(compareModel);

  it("fits 300 models of 30 metrics in a comment, failing models first and visible", () => {
    const models = compareAll({ count: 300, metrics: 30, failEvery: 25, errorEvery: 40 });
    const blocking = models.filter((m) => m.verdict === "fail" || m.verdict === "error");
    expect(blocking.length).toBeGreaterThan(10);
    const full = renderReport({ models }, { limit: Number.POSITIVE_INFINITY });
    expect(full.truncated).toBe(false);
    expect(measureSize(full.markdown)).toBeGreaterThan(COMMENT_LIMIT);
    const { markdown, truncated } = renderReport({ models });
    expect(truncated).toBe(true);
    expect(markdown.length).toBeLessThan(COMMENT_LIMIT);
    expect(measureSize(markdown)).toBeLessThanOrEqual(CHECK_RUN_LIMIT);
    expect(markdown).toMatch(/^<!-- modelci-report:default -->\n/);
    expect(markdown).toContain("**300 models: 280 pass, 12 fail, 8 error**");
    expect(markdown).toContain("Shortened to fit GitHub's size limit");
    const firstPassing = markdown.search(/### (Passing|Other) models|✅ \*\*pass\*\*/);
    expect(firstPassing).toBeGreaterThan(0);
    for (const model of blocking) {
      const at = markdown.indexOf(`### ${model.model}\n`);
      expect(at, model.model).toBeGreaterThan(-1);
      expect(at).toBeLessThan(firstPassing);
    }
  });

  it("degrades step by step: passing details first, then passing rows, then a shortened list", () => {
    const models = compareAll({ count: 30, metrics: 10, failEvery: 10 });
    const full = renderReport({ models }, { limit: Number.POSITIVE_INFINITY }).markdown;
    const size = measureSize(full);
    const step1 = renderReport({ models }, { limit: size - 1 });
    expect(step1.truncated).toBe(true);
    expect(step1.markdown).toContain("the runs and charts of passing models are left out");
    expect(step1.markdown.match(/<details>/g)).toHaveLength(3);
    const step2 = renderReport({ models }, { limit: Math.floor(size / 3) });
    expect(step2.markdown).toContain("passing models are collapsed to one row each");
    expect(step2.markdown).toContain(
      "| model-001 | ✅ pass | f1_macro ↑ | 0.812 | 0.800 | +0.012 (+0.007…+0.017) |  |",
    );
    const step3 = renderReport({ models }, { limit: 4000 });
    expect(measureSize(step3.markdown)).toBeLessThanOrEqual(4000);
    expect(step3.markdown).toMatch(/…and \d+ more models \(full report in the job summary \/ artifact\)/);
    expect(step3.markdown.indexOf("model-000")).toBeGreaterThan(-1);
  });

  it("keeps every failing model visible when all 300 fail", () => {
    const models = compareAll({ count: 300, metrics: 30, failEvery: 1 });
    const { markdown } = renderReport({ models }, { limit: COMMENT_LIMIT - 1 });
    expect(measureSize(markdown)).toBeLessThan(COMMENT_LIMIT);
    const shown = models.filter(
      (m) => markdown.includes(`| ${m.model} | ❌ fail |`) || markdown.includes(`### ${m.model}\n`),
    );
    const more = Number(/…and (\d+) more models/.exec(markdown)?.[1] ?? 0);
    expect(shown.length + more).toBe(300);
    expect(shown.length).toBeGreaterThan(200);
  });

  it("never exceeds even a tiny limit", () => {
    const models = compareAll({ count: 5, metrics: 5, failEvery: 2 });
    for (const limit of [100, 500, 1500]) {
      expect(measureSize(renderReport({ models }, { limit }).markdown)).toBeLessThanOrEqual(limit);
    }
  });
});

describe("renderSummary", () => {
  it("counts verdicts for the check run's title", () => {
    expect(renderSummary([passing(), failing()])).toBe("2 models: 1 pass, 1 fail");
    expect(renderSummary([passing()])).toBe("1 model: 1 pass");
    expect(renderSummary([])).toBe("no models compared");
  });
});

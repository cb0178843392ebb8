/**
 * The comparison for a terminal (`modelci run`): plain text with aligned columns and ✓/✗, no
 * Markdown, HTML or Mermaid. The pull request gets the Markdown (render-report.ts).
 */
import { type ModelComparison, type ModelVerdict, VERDICT_ORDER } from "../compare/compare-model.ts";
import type { GateStatus } from "../compare/evaluate-gates.ts";
import { formatDelta, formatInterval, formatValue, metricDecimals } from "../compare/format-metric-value.ts";
import { describePrimary, renderSummary, VERDICT_WORD } from "./render-summary.ts";

const VERDICT_MARK: Record<ModelVerdict, string> = { pass: "✓", fail: "✗", "no-champion": "✓", error: "✗" };
const GATE_MARK: Record<GateStatus, string> = {
  pass: "✓",
  "within-noise": "✓",
  fail: "✗",
  error: "✗",
  skipped: "–",
};

/** Columns padded to their widest cell; `right` columns (numbers) align right. */
export function alignColumns(rows: readonly string[][], right: readonly boolean[]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => [...(row[i] ?? "")].length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, i) => {
        const pad = " ".repeat((widths[i] ?? 0) - [...cell].length);
        return right[i] ? pad + cell : cell + pad;
      })
      .join("  ")
      .trimEnd(),
  );
}

/** One model: its verdict line, the gated metrics against the champion, and what went wrong. */
function renderModel(model: ModelComparison): string[] {
  const primary =
    model.primary === undefined
      ? ""
      : ` — ${model.primaryMetric} ${describePrimary(model.primary, model.hasChampion)}`;
  const lines = [`${VERDICT_MARK[model.verdict]} ${model.model}: ${VERDICT_WORD[model.verdict]}${primary}`];
  if (model.best !== undefined) lines.push(`  best run: ${model.best.label} (of ${model.runs.length})`);
  const gated = new Set([model.primaryMetric, ...model.gates.map((gate) => gate.gate.metric)]);
  const rows = model.metrics.filter((row) => gated.has(row.metric));
  if (rows.length > 0) {
    const table = [["", "metric", "champion", "candidate", "delta", "95% CI", "gate"]];
    for (const row of rows) {
      const decimals = metricDecimals([row.candidate, row.champion], row.delta);
      const gates = model.gates.filter((gate) => gate.gate.metric === row.metric);
      const worst = gates.find((g) => g.status === "fail" || g.status === "error") ?? gates[0];
      table.push([
        worst === undefined ? "" : GATE_MARK[worst.status],
        `${row.metric} ${row.direction === "higher" ? "↑" : "↓"}`,
        model.hasChampion ? formatValue(row.champion, decimals) : "",
        formatValue(row.candidate, decimals),
        model.hasChampion ? formatDelta(row.delta, decimals) : "",
        formatInterval(row.low, row.high, decimals) ?? "",
        gates.map((gate) => gate.label.replace(`${row.metric} `, "")).join("; "),
      ]);
    }
    lines.push(...alignColumns(table, [false, false, true, true, true, false, false]).map((l) => `  ${l}`));
  }
  for (const gate of model.gates) {
    if (gate.status === "fail" || gate.status === "error")
      lines.push(`  ${GATE_MARK[gate.status]} ${gate.label}: ${gate.explanation}`);
  }
  for (const error of model.errors) lines.push(`  ✗ ${error}`);
  for (const run of model.runs) {
    if (
      run.status !== "evaluated" &&
      run.reason !== undefined &&
      !model.errors.some((e) => e.includes(run.label))
    )
      lines.push(`  ✗ run ${run.label}: ${run.reason}`);
  }
  return lines;
}

/** Every model's verdict for a terminal, worst first, under a one-line summary. */
export function renderTerminalReport(models: readonly ModelComparison[]): string {
  const parts = [`comparison with the champion: ${renderSummary(models)}`];
  const worstFirst = [...models].sort(
    (a, b) => VERDICT_ORDER.indexOf(a.verdict) - VERDICT_ORDER.indexOf(b.verdict),
  );
  for (const model of worstFirst) parts.push("", ...renderModel(model));
  return parts.join("\n");
}

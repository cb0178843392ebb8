/** One model's section of the report: summary line, errors, metric table, gates, runs and chart. */
import type { ModelComparison } from "../compare/compare-model.ts";
import type { GateOutcome, GateStatus } from "../compare/evaluate-gates.ts";
import { formatDelta, formatInterval, formatValue, metricDecimals } from "../compare/format-metric-value.ts";
import type { MetricRow } from "../compare/make-metric-rows.ts";
import { escapeMarkdown } from "./escape-markdown.ts";
import { renderChart } from "./render-chart.ts";
import { type RenderedBlock, renderRunDetails } from "./render-run-details.ts";
import { renderModelSummary } from "./render-summary.ts";

export const GATE_EMOJI: Record<GateStatus, string> = {
  pass: "✅",
  fail: "❌",
  "within-noise": "🔸",
  skipped: "➖",
  error: "⚠️",
};

export interface SectionOptions {
  /** Include the sweep's runs in `<details>` and the chart. */
  details: boolean;
}

export function renderModelSection(model: ModelComparison, options: SectionOptions): RenderedBlock {
  const parts = [`### ${escapeMarkdown(model.model)}`, "", renderModelSummary(model)];
  if (model.best !== undefined) {
    const { experiment, label, selfReported } = model.best;
    const of = model.runs.length > 1 ? `best of ${model.runs.length} runs: ` : "run ";
    const from = experiment === undefined ? "" : `${escapeMarkdown(experiment)} · `;
    const self = selfReported ? " (metrics self-reported by its evaluation command)" : "";
    parts.push("", `<sub>${from}${of}${escapeMarkdown(label)}${self}</sub>`);
  }
  if (model.errors.length > 0) {
    parts.push("", ...model.errors.map((error) => `- ⚠️ ${escapeMarkdown(error)}`));
  }
  let missing = false;
  if (model.metrics.length > 0) {
    const table = renderMetricTable(model);
    missing = table.missing;
    parts.push("", table.text);
  }
  if (model.gates.length > 0) {
    parts.push("", ...model.gates.map(renderGate));
  }
  if (options.details) {
    const runs = renderRunDetails(model);
    missing ||= runs.missing;
    const chart = renderChart(model);
    if (runs.text !== "") parts.push("", runs.text);
    if (chart !== "") parts.push("", chart);
  }
  return { text: parts.join("\n"), missing };
}

function renderGate(gate: GateOutcome): string {
  return `- ${GATE_EMOJI[gate.status]} **${escapeMarkdown(gate.label)}**: ${escapeMarkdown(gate.explanation, 500)}`;
}

/** metric | champion | candidate | delta | 95% CI | gate; without a champion, metric | candidate | gate. */
function renderMetricTable(model: ModelComparison): RenderedBlock {
  const champion = model.hasChampion && model.metrics.some((row) => row.champion !== undefined);
  const gatesByMetric = new Map<string, GateOutcome[]>();
  for (const gate of model.gates) {
    const list = gatesByMetric.get(gate.gate.metric) ?? [];
    list.push(gate);
    gatesByMetric.set(gate.gate.metric, list);
  }
  let missing = false;
  const lines = champion
    ? [
        "| metric | champion | candidate | delta | 95% CI | gate |",
        "| --- | ---: | ---: | ---: | :---: | --- |",
      ]
    : ["| metric | candidate | gate |", "| --- | ---: | --- |"];
  for (const row of model.metrics) {
    const decimals = metricDecimals([row.candidate, row.champion], row.delta);
    const gates = (gatesByMetric.get(row.metric) ?? [])
      .map(
        (gate) => `${GATE_EMOJI[gate.status]} ${escapeMarkdown(gate.label.slice(row.metric.length).trim())}`,
      )
      .join("<br>");
    const cells = [metricName(row, model.primaryMetric), formatValue(row.candidate, decimals)];
    if (champion) {
      const interval = formatInterval(row.low, row.high, decimals) ?? "";
      cells.splice(1, 0, formatValue(row.champion, decimals));
      cells.push(formatDelta(row.delta, decimals), interval);
    }
    cells.push(gates);
    if (cells.includes("—")) missing = true;
    lines.push(`| ${cells.join(" | ")} |`);
  }
  if (!champion && !model.hasChampion) lines.push("", "<sub>no champion yet: nothing to compare with</sub>");
  return { text: lines.join("\n"), missing };
}

function metricName(row: MetricRow, primary: string): string {
  const name = escapeMarkdown(row.metric);
  const arrow = row.direction === "higher" ? "↑" : "↓";
  return row.metric === primary ? `**${name}** ${arrow}` : `${name} ${arrow}`;
}

/** Models collapsed to one table row each, for reports that would not fit in full. */
import type { ModelComparison } from "../compare/compare-model.ts";
import { formatDelta, formatInterval, formatValue, metricDecimals } from "../compare/format-metric-value.ts";
import { escapeMarkdown } from "./escape-markdown.ts";
import { GATE_EMOJI } from "./render-model-section.ts";
import type { RenderedBlock } from "./render-run-details.ts";
import { VERDICT_EMOJI, VERDICT_WORD } from "./render-summary.ts";

export const MODEL_ROWS_HEADER = [
  "| model | verdict | primary metric | candidate | champion | delta (95% CI) | note |",
  "| --- | --- | --- | ---: | ---: | ---: | --- |",
].join("\n");

/** One row: verdict, the primary metric against the champion, and what failed. */
export function renderModelRow(model: ModelComparison): RenderedBlock {
  const row = model.primary;
  const decimals = metricDecimals([row?.candidate, row?.champion], row?.delta);
  const candidate = formatValue(row?.candidate, decimals);
  let champion = "no champion yet";
  let delta = "";
  if (model.hasChampion) {
    champion = formatValue(row?.champion, decimals);
    const interval = formatInterval(row?.low, row?.high, decimals);
    delta = formatDelta(row?.delta, decimals) + (interval === undefined ? "" : ` (${interval})`);
  }
  const arrow = model.direction === "higher" ? "↑" : "↓";
  const cells = [
    escapeMarkdown(model.model),
    `${VERDICT_EMOJI[model.verdict]} ${VERDICT_WORD[model.verdict]}`,
    `${escapeMarkdown(model.primaryMetric)} ${arrow}`,
    candidate,
    champion,
    delta,
    describeProblem(model),
  ];
  return {
    text: `| ${cells.join(" | ")} |`,
    missing: [candidate, champion, delta].some((c) => c.startsWith("—")),
  };
}

function describeProblem(model: ModelComparison): string {
  const failed = model.gates.filter((gate) => gate.status === "fail" || gate.status === "error");
  const notes = [
    ...model.errors.map((error) => `⚠️ ${escapeMarkdown(error, 100)}`),
    ...failed.map((gate) => `${GATE_EMOJI[gate.status]} ${escapeMarkdown(gate.label, 100)}`),
  ];
  if (notes.length <= 2) return notes.join("<br>");
  return `${notes.slice(0, 2).join("<br>")}<br>…and ${notes.length - 2} more`;
}

/** The sweep's runs, collapsed in `<details>`: the primary metric per run, the best run starred. */
import type { ModelComparison, RunOutcome } from "../compare/compare-model.ts";
import { formatValue, metricDecimals } from "../compare/format-metric-value.ts";
import { escapeMarkdown } from "./escape-markdown.ts";

export interface RenderedBlock {
  text: string;
  /** Whether it shows "—" for a missing value, which the report's footnote explains. */
  missing: boolean;
}

/** "" for a model with a single run: its result is the table above. */
export function renderRunDetails(model: ModelComparison): RenderedBlock {
  if (model.runs.length < 2) return { text: "", missing: false };
  const decimals = metricDecimals(model.runs.map((run) => run.value));
  const arrow = model.direction === "higher" ? "↑" : "↓";
  const best = model.best === undefined ? "" : `; best: ${escapeMarkdown(model.best.label)} ★`;
  let missing = false;
  const rows = model.runs.map((run) => {
    const cell = describeRun(run, decimals);
    if (cell === "—") missing = true;
    return `| ${run.best ? "★" : ""} | ${escapeMarkdown(run.label)} | ${cell} |`;
  });
  const text = [
    `<details><summary>${model.runs.length} runs${best}</summary>`,
    "",
    `| | run | ${escapeMarkdown(model.primaryMetric)} ${arrow} |`,
    "| --- | --- | ---: |",
    ...rows,
    "",
    "</details>",
  ].join("\n");
  return { text, missing };
}

function describeRun(run: RunOutcome, decimals: number): string {
  switch (run.status) {
    case "evaluated":
      return formatValue(run.value, decimals);
    case "not-evaluated":
      return "⚠️ not evaluated";
    default:
      return `❌ run ${run.status === "timed-out" ? "timed out" : "failed"}: ${escapeMarkdown(run.reason ?? run.status)}`;
  }
}

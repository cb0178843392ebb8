/**
 * A Mermaid xychart-beta bar chart of the primary metric, which GitHub renders in comments and job
 * summaries: nothing is uploaded to an image host.
 */
import type { HistoryPoint, ModelComparison } from "../compare/compare-model.ts";
import { finite } from "../compare/format-metric-value.ts";

/** The points to chart: registered versions then the candidate when there is a history, else the runs. */
export function chartPoints(model: ModelComparison): { title: string; points: HistoryPoint[] } {
  const metric = model.primaryMetric;
  if (model.history !== undefined && model.history.length > 0) {
    const candidate = model.primary?.candidate ?? null;
    return {
      title: `${metric} by version`,
      points: [...model.history, { label: "candidate", value: candidate }],
    };
  }
  return {
    title: `${metric} by run`,
    points: model.runs.map((run) => ({ label: run.label, value: run.value })),
  };
}

/** The ```mermaid block, or "" when fewer than two points have a value. */
export function renderChart(model: ModelComparison): string {
  const { title, points } = chartPoints(model);
  const shown = points.filter((point) => finite(point.value) !== undefined) as {
    label: string;
    value: number;
  }[];
  if (shown.length < 2) return "";
  const values = shown.map((point) => point.value);
  const [low, high] = axisRange(Math.min(...values), Math.max(...values));
  return [
    "```mermaid",
    "xychart-beta",
    `  title "${label(title)}"`,
    `  x-axis [${shown.map((point) => `"${label(point.label)}"`).join(", ")}]`,
    `  y-axis "${label(model.primaryMetric)}" ${number(low)} --> ${number(high)}`,
    `  bar [${values.map(number).join(", ")}]`,
    "```",
  ].join("\n");
}

/** A range that shows the differences between bars without starting every bar at zero height. */
function axisRange(min: number, max: number): [number, number] {
  const span = max - min;
  const pad = span > 0 ? span * 0.5 : Math.abs(max) * 0.1 || 1;
  const low = min >= 0 && min - pad < 0 ? 0 : min - pad;
  return [low, max + (span > 0 ? span * 0.1 : pad)];
}

/** Mermaid labels: quotes, backticks and anything that could end the block or the label become "_". */
function label(text: string): string {
  const safe = text.replace(/[^\p{L}\p{N} ._:/+()=-]/gu, "_");
  return safe.length > 40 ? `${safe.slice(0, 39)}…` : safe;
}

function number(value: number): string {
  return String(Number(value.toPrecision(6)));
}

/**
 * The drift report as Markdown, for the job summary and the `modelci/drift` check run: the
 * verdict per model, a table of every feature (method, statistic, threshold, missing shares), and
 * Mermaid charts of the reference and current distributions (bars: reference; line: current),
 * drifted features first, at most `charts` of them per model.
 */
import type { DriftResult, FeatureDrift, TargetDriftResult } from "../../schemas/drift-result.ts";
import { DRIFT_METHODS } from "./drift-methods.ts";

function format(value: number | undefined): string {
  if (value === undefined) return "–";
  if (value === 0) return "0";
  return Math.abs(value) < 1e-4 ? value.toExponential(2) : value.toPrecision(4);
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function row(name: string, feature: FeatureDrift): string {
  const method = DRIFT_METHODS[feature.method];
  const comparison = method.direction === "p-value" ? "<" : "≥";
  const missing = `${format(feature.missing.reference)} → ${format(feature.missing.current)}${feature.missing.changed ? " ⚠️" : ""}`;
  return `| ${escapeCell(name)} | ${feature.drifted ? "🔴 drift" : "🟢 ok"} | ${feature.method} | ${method.statistic} ${format(feature[method.statistic])} | ${comparison} ${feature.threshold} | ${missing} |`;
}

function label(value: string): string {
  return JSON.stringify(value.replace(/"/g, "'").slice(0, 24));
}

/** A Mermaid xychart of one feature's reference (bars) and current (line) shares. */
export function renderHistogramChart(name: string, feature: FeatureDrift): string | undefined {
  const histogram = feature.histogram;
  if (histogram === undefined || histogram.reference.length === 0) return undefined;
  const labels = histogram.categories ?? (histogram.edges ?? []).slice(0, -1).map((edge) => format(edge));
  const top = Math.max(...histogram.reference, ...histogram.current, 0.01);
  return [
    "```mermaid",
    "xychart-beta",
    `  title ${label(`${name}: reference (bars) vs current (line)`)}`,
    `  x-axis [${labels.map(label).join(", ")}]`,
    `  y-axis "share" 0 --> ${Number((top * 1.1).toPrecision(3))}`,
    `  bar [${histogram.reference.map((v) => Number(v.toPrecision(4))).join(", ")}]`,
    `  line [${histogram.current.map((v) => Number(v.toPrecision(4))).join(", ")}]`,
    "```",
  ].join("\n");
}

/** One result's section: headline, table and charts. */
export function renderDriftSection(title: string, result: DriftResult, charts = 6): string {
  const { dataset } = result;
  const icon = dataset.verdict === "drift" ? "🔴" : dataset.verdict === "no drift" ? "🟢" : "⚪";
  const features = Object.entries(result.features);
  const lines = [
    `### ${icon} ${title}: ${dataset.verdict}`,
    "",
    `${dataset.drifted} of ${dataset.features} features drifted (share ${format(dataset.share)}; the dataset drifts at ≥ ${dataset.threshold}). ${dataset.rows.reference} reference rows, ${dataset.rows.current} current rows${dataset.verdict === "not enough data" ? `, fewer than the ${dataset.min_rows} a verdict needs` : ""}.`,
    "",
    "| feature | verdict | method | statistic | drift when | missing (ref → cur) |",
    "| --- | --- | --- | ---: | --- | --- |",
    ...features.map(([name, feature]) => row(name, feature)),
    ...(result.prediction ? [row("(prediction)", result.prediction)] : []),
    "",
  ];
  const charted = [...features, ...(result.prediction ? [["(prediction)", result.prediction] as const] : [])]
    .sort(([, a], [, b]) => Number(b.drifted) - Number(a.drifted))
    .slice(0, charts);
  for (const [name, feature] of charted) {
    const chart = renderHistogramChart(name, feature);
    if (chart !== undefined) lines.push(chart, "");
  }
  return lines.join("\n");
}

/** The whole report of a target check. */
export function renderTargetDriftMarkdown(result: TargetDriftResult): string {
  const sections = Object.entries(result.models).map(([model, r]) =>
    renderDriftSection(`${model} v${r.version} on ${result.target}`, r),
  );
  return [
    `## modelci drift: ${result.drifted ? "drift" : "no drift"} on ${result.target}`,
    "",
    ...sections,
  ].join("\n");
}

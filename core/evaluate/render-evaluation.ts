/** The human-readable form of an evaluation result: a compact metric table for a terminal. */
import type {
  ComputedEvaluation,
  EvaluationResult,
  MetricDeltaResult,
  SelfReportedEvaluation,
} from "../../schemas/evaluation-result.ts";

const INTEGER = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** Renders a result as text lines ending in a newline. */
export function renderEvaluation(result: EvaluationResult): string {
  return result["self-reported"] ? renderSelfReported(result) : renderComputed(result);
}

function renderComputed(result: ComputedEvaluation): string {
  const classes = result.classes === undefined ? "" : ` (${result.classes.length} classes)`;
  const lines = [
    `${result.model.path} on ${result.data.path}: ${INTEGER.format(result.data.rows)} rows, ${result.task}${classes}, provider ${result.provider}`,
  ];
  if (result.baseline !== undefined) lines.push(`baseline: ${result.baseline.model.path}`);
  lines.push("");
  const header = ["metric", result.baseline === undefined ? "value" : "candidate"];
  if (result.baseline !== undefined) header.push("baseline", "delta", "95% CI", "verdict");
  const rows: string[][] = [header];
  for (const [name, value] of Object.entries(result.metrics)) {
    const row = [name, formatMetric(name, value)];
    const delta = result.deltas?.[name];
    if (result.baseline !== undefined) {
      row.push(
        formatMetric(name, result.baseline.metrics[name] ?? null),
        delta === undefined ? "" : formatMetric(name, delta.delta, true),
        delta === undefined ? "" : formatInterval(name, delta),
        delta?.verdict ?? "",
      );
    }
    rows.push(row);
  }
  lines.push(...formatTable(rows));
  lines.push("");
  if (result.bootstrap !== undefined) {
    const { resamples, rows: drawn, seed } = result.bootstrap;
    lines.push(
      `95% CIs: ${INTEGER.format(resamples)} paired bootstrap resamples of ${INTEGER.format(drawn)} rows (seed ${seed}); latency, throughput and size deltas are plain differences.`,
    );
  }
  const { "wall-ms": wall, "inference-ms": inference } = result.timing;
  lines.push(
    `Scored in ${formatMs(wall)} (${INTEGER.format(result.data.rows / (wall / 1000))} rows/s end to end; inference ${formatMs(inference)}).`,
  );
  return `${lines.join("\n")}\n`;
}

function renderSelfReported(result: SelfReportedEvaluation): string {
  const lines = [
    `self-reported metrics from ${result["metrics-file"]} (command: ${result.command.join(" ")})`,
    "",
    ...formatTable([
      ["metric", "value"],
      ...Object.entries(result.metrics).map(([name, value]) => [name, formatMetric(name, value)]),
    ]),
  ];
  return `${lines.join("\n")}\n`;
}

/** Left-aligned first column, right-aligned numbers, two spaces between columns. */
function formatTable(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  }
  return rows.map((row) =>
    row
      .map((cell, i) =>
        i === 0 || i === row.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0),
      )
      .join("  ")
      .trimEnd(),
  );
}

/** A metric value in the precision that suits it; `signed` for deltas. */
export function formatMetric(name: string, value: number | null, signed = false): string {
  if (value === null) return "n/a";
  const sign = signed && value > 0 ? "+" : "";
  if (name === "model_bytes" || name === "throughput_rows_per_s") return `${sign}${INTEGER.format(value)}`;
  if (name.endsWith("_ms")) return `${sign}${value.toFixed(3)}`;
  if (Number.isInteger(value) && Math.abs(value) >= 1000) return `${sign}${INTEGER.format(value)}`;
  return `${sign}${value.toFixed(4)}`;
}

function formatInterval(name: string, delta: MetricDeltaResult): string {
  if (delta.low === undefined || delta.high === undefined) return "";
  return `[${formatMetric(name, delta.low, true)}, ${formatMetric(name, delta.high, true)}]`;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

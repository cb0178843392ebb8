import type { MetricDirection } from "../metrics/metric-directions.ts";

export interface RunRow {
  runId: string;
  status: string;
  metrics: Record<string, number | null | undefined>;
}

function format(value: number | null | undefined): string {
  if (typeof value !== "number" || !Number.isFinite(value)) return "—";
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude >= 1e5 || magnitude < 1e-3)) return value.toExponential(2);
  return Number(value.toPrecision(4)).toString();
}

/** A plain-text table of a sweep's runs: one row per run, the primary metric first, the best run starred. */
export function renderRunTable(
  rows: readonly RunRow[],
  metrics: readonly string[],
  primary: { metric: string; direction: MetricDirection; best?: string | undefined },
): string {
  const columns = [primary.metric, ...metrics.filter((m) => m !== primary.metric)];
  const header = [
    "",
    "run",
    "status",
    ...columns.map((m) =>
      m === primary.metric ? `${m} (${primary.direction === "higher" ? "↑" : "↓"})` : m,
    ),
  ];
  const body = rows.map((row) => [
    row.runId === primary.best ? "★" : "",
    row.runId,
    row.status,
    ...columns.map((m) => format(row.metrics[m])),
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((line) => (line[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i >= 3 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), ...body.map(line)].join("\n");
}

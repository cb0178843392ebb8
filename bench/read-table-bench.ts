/**
 * Throughput of the evaluation-data reader (adapters/data): a generated 1M-row numeric CSV and
 * the same rows as JSON Lines (rows/s and peak RSS growth while reading), and the first 1M rows
 * of vega-datasets' flights-3m.parquet. That file is ZSTD-compressed: on Node 20 it needs the
 * optional hyparquet-compressors package, and without it the Parquet figures are left out.
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ReadTableOptions, readTable } from "../adapters/data/read-table.ts";
import { UserError } from "../core/errors.ts";

const ROWS = 1_000_000;
const FLIGHTS = fileURLToPath(
  new URL("../node_modules/vega-datasets/data/flights-3m.parquet", import.meta.url),
);

/** Writes `rows` rows of four float features and an integer class label, as CSV or JSON Lines. */
async function writeNumericTable(path: string, rows: number, format: "csv" | "jsonl"): Promise<void> {
  const out = createWriteStream(path);
  let random = 12345;
  const next = () => {
    random = (random * 1103515245 + 12345) % 2147483648;
    return random / 2147483648;
  };
  if (format === "csv") out.write("f1,f2,f3,f4,label\n");
  let text = "";
  for (let i = 0; i < rows; i++) {
    const f = [
      (next() * 100).toFixed(3),
      (next() - 0.5).toFixed(5),
      String(Math.floor(next() * 1000)),
      (next() * 1e4).toFixed(1),
    ];
    const label = Math.floor(next() * 3);
    text +=
      format === "csv"
        ? `${f.join(",")},${label}\n`
        : `{"f1":${f[0]},"f2":${f[1]},"f3":${f[2]},"f4":${f[3]},"label":${label}}\n`;
    if (text.length > 1 << 16) {
      if (!out.write(text)) await once(out, "drain");
      text = "";
    }
  }
  out.end(text);
  await once(out, "finish");
}

/**
 * Reads the whole table (up to `limit` rows), cold, in this process. Rows per wall-clock second,
 * rows per CPU second (steadier on a shared machine), and the peak RSS growth in MiB, sampled per batch.
 */
async function measure(options: ReadTableOptions, limit = Number.POSITIVE_INFINITY) {
  globalThis.gc?.();
  const rssBefore = process.memoryUsage.rss();
  let peak = rssBefore;
  let rows = 0;
  let checksum = 0;
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for await (const batch of readTable(options)) {
    rows += batch.rows;
    checksum += batch.features[0] ?? 0;
    peak = Math.max(peak, process.memoryUsage.rss());
    if (rows >= limit) break;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { user, system } = process.cpuUsage(cpu);
  if (!Number.isFinite(checksum)) throw new Error("bad checksum");
  return {
    rowsPerSecond: Math.round(rows / seconds),
    rowsPerCpuSecond: Math.round(rows / ((user + system) / 1e6)),
    rssDeltaMiB: Math.round((peak - rssBefore) / 2 ** 20),
  };
}

export async function benchReadTable(): Promise<Record<string, number>> {
  const dir = await mkdtemp(join(tmpdir(), "modelci-read-table-"));
  const results: Record<string, number> = {};
  try {
    const csv = join(dir, "numeric.csv");
    await writeNumericTable(csv, ROWS, "csv");
    const csvCategory = await measure({ path: csv, label: "label", labelKind: "category" });
    results.csv_rows_per_s = csvCategory.rowsPerSecond;
    results.csv_rows_per_cpu_s = csvCategory.rowsPerCpuSecond;
    results.csv_peak_rss_delta_mib = csvCategory.rssDeltaMiB;
    results.csv_number_label_rows_per_s = (
      await measure({ path: csv, label: "label", labelKind: "number" })
    ).rowsPerSecond;
    await rm(csv);

    const jsonl = join(dir, "numeric.jsonl");
    await writeNumericTable(jsonl, ROWS, "jsonl");
    const jsonlResult = await measure({ path: jsonl, label: "label", labelKind: "category" });
    results.jsonl_rows_per_s = jsonlResult.rowsPerSecond;
    results.jsonl_rows_per_cpu_s = jsonlResult.rowsPerCpuSecond;
    results.jsonl_peak_rss_delta_mib = jsonlResult.rssDeltaMiB;

    try {
      const flights = {
        path: FLIGHTS,
        label: "origin",
        features: ["delay", "distance"],
        labelKind: "category" as const,
      };
      const parquet = await measure(flights, ROWS);
      results.parquet_flights_rows_per_s = parquet.rowsPerSecond;
      results.parquet_flights_rows_per_cpu_s = parquet.rowsPerCpuSecond;
      results.parquet_flights_peak_rss_delta_mib = parquet.rssDeltaMiB;
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      process.stderr.write(`read-table bench: Parquet skipped: ${error.message}\n`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return results;
}

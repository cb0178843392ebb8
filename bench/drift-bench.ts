/**
 * `modelci drift` on real data: vega-datasets' flights-3m.parquet, split by date at the median
 * into reference and current (about 1.5M rows each), its numeric columns (delay, distance),
 * written as Parquet (INT64, nullable, SNAPPY, as the source stores them) and as CSV.
 *
 * Figures, each command run in a child process of its own (bench/measure-drift-command.ts) after
 * a warm-up, with the peak RSS it added:
 * - the whole check (`--stats all`) on the Parquet files, its time and peak memory, and reading
 *   those Parquet columns into sorted samples alone (what the command does before its statistics),
 *   the baseline in the same run, as a share of the check; beside
 *   it, hyparquet's row reader on one column of one side (the general reader drift used before);
 * - one column (delay), KS, Wasserstein, PSI and Jensen-Shannon on 1.5M values a side, the whole
 *   command on Parquet and on CSV, against the statistics alone in this process and against
 *   scipy's time for the same statistics on the same values (when /usr/bin/python3 has scipy);
 *   peak memory added against the column's bytes (8 bytes a value, both sides; target ≤ 2×);
 * - how far statistics from a reference profile (10,000-value samples) are from the raw data's.
 */
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { asyncBufferFromFile, parquetMetadataAsync } from "hyparquet";
import { parquetWriteFile } from "hyparquet-writer";
import { loadParquetCompressors } from "../adapters/data/load-parquet-compressors.ts";
import { numericParquetColumn, readParquetNumbers } from "../adapters/data/read-parquet-numbers.ts";
import { readTableCells } from "../adapters/data/read-table-cells.ts";
import { DRIFT_METHODS } from "../core/drift/drift-methods.ts";
import { ReferenceProfiler, referenceSample } from "../core/drift/reference-profile.ts";

const FLIGHTS = fileURLToPath(
  new URL("../node_modules/vega-datasets/data/flights-3m.parquet", import.meta.url),
);
const CHILD = fileURLToPath(new URL("./measure-drift-command.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("..", import.meta.url));
async function writeCsv(path: string, columns: Record<string, Float64Array>): Promise<void> {
  const names = Object.keys(columns);
  const values = Object.values(columns);
  const out = createWriteStream(path);
  let text = `${names.join(",")}\n`;
  const rows = values[0]?.length ?? 0;
  for (let i = 0; i < rows; i++) {
    text += `${values.map((v) => v[i]).join(",")}\n`;
    if (text.length > 1 << 16) {
      if (!out.write(text)) await once(out, "drain");
      text = "";
    }
  }
  out.end(text);
  await once(out, "finish");
}

/** Runs `work`, sampling RSS every 5 ms; seconds and the peak RSS growth in MiB. */
async function measure<T>(work: () => Promise<T>): Promise<{ seconds: number; rssMiB: number; value: T }> {
  globalThis.gc?.();
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  const started = performance.now();
  const value = await work();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { seconds, rssMiB: (peak - before) / 2 ** 20, value };
}

const SCIPY = `
import sys, time, numpy as np
from scipy import stats
from scipy.spatial import distance
ref = np.fromfile(sys.argv[1]); cur = np.fromfile(sys.argv[2])
t = time.perf_counter()
stats.ks_2samp(ref, cur)
stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)
edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
r = np.histogram(ref, edges)[0] / len(ref); c = np.histogram(cur, edges)[0] / len(cur)
rf = np.where(r == 0, 0.0001, r); cf = np.where(c == 0, 0.0001, c)
np.sum((rf - cf) * np.log(rf / cf)); distance.jensenshannon(r, c)
print(time.perf_counter() - t)
`;

/**
 * How far each statistic computed from the reference profile (10,000-value samples) is from the
 * same statistic on the raw reference: absolute differences, per numeric column.
 */
function profileAccuracy(
  reference: Record<string, Float64Array>,
  current: Record<string, Float64Array>,
): Record<string, number> {
  const names = Object.keys(reference);
  const profiler = new ReferenceProfiler(names);
  const rows = reference[names[0] as string]?.length ?? 0;
  for (let start = 0; start < rows; start += 65536) {
    const end = Math.min(rows, start + 65536);
    profiler.add({
      rows: end - start,
      values: names.map((n) => Array.from((reference[n] as Float64Array).subarray(start, end))),
    });
  }
  const profile = profiler.finish();
  const figures: Record<string, number> = {};
  for (const name of names) {
    const raw = { values: Float64Array.from(reference[name] as Float64Array).sort() };
    const sampled = referenceSample(profile.features[name] as NonNullable<(typeof profile.features)[string]>);
    const cur = { values: Float64Array.from(current[name] as Float64Array).sort() };
    for (const method of ["ks", "wasserstein", "psi", "jensen-shannon"] as const) {
      const exact = DRIFT_METHODS[method].numeric?.(raw, cur) ?? {};
      const approx =
        DRIFT_METHODS[method].numeric?.({ values: (sampled as { values: Float64Array }).values }, cur) ?? {};
      for (const [statistic, value] of Object.entries(exact)) {
        const other = approx[statistic as keyof typeof approx] as number;
        figures[`profile_${name}_${statistic}_raw`] = Number(value.toPrecision(4));
        figures[`profile_${name}_${statistic}_abs_error`] = Number(Math.abs(other - value).toPrecision(2));
      }
    }
  }
  return figures;
}

/** A flights column as numbers (the date as microseconds), read whole; rows with nulls are refused. */
async function readFlightsColumn(name: string): Promise<Float64Array> {
  const file = await asyncBufferFromFile(FLIGHTS);
  const metadata = await parquetMetadataAsync(file);
  const element = metadata.schema.find((e) => e.name === name);
  if (element === undefined) throw new Error(`flights-3m.parquet has no column ${name}`);
  const column = numericParquetColumn(metadata, name) ?? {
    name,
    type: "INT64" as const,
    unsigned: false,
    element,
  };
  const values = new Float64Array(Number(metadata.num_rows));
  let size = 0;
  for await (const page of readParquetNumbers(FLIGHTS, metadata, column, await loadParquetCompressors())) {
    if (page.missing > 0) throw new Error(`flights-3m.parquet: column ${name} has nulls`);
    values.set(page.values, size);
    size += page.values.length;
  }
  return values;
}

function writeParquet(path: string, columns: Record<string, Float64Array>): void {
  parquetWriteFile({
    filename: path,
    columnData: Object.entries(columns).map(([name, values]) => ({
      name,
      type: "INT64" as const,
      nullable: true,
      data: Array.from(values, (v) => BigInt(v)),
    })),
  });
}

interface CommandFigures {
  seconds: number;
  code: number;
  addedBytes: number;
}

/**
 * `modelci drift ARGS…` (or, with mode `read`, only its reading) in a child process of its own,
 * after a warm-up on `warmup` files.
 */
function runCommand(
  warmup: [string, string],
  args: string[],
  mode: "command" | "read" = "command",
): CommandFigures {
  const child = spawnSync(
    process.execPath,
    ["--expose-gc", "--import", "tsx", CHILD, mode, ...warmup, "--", ...args],
    { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 },
  );
  const line = child.stdout.trim().split("\n").pop() ?? "";
  if (child.status !== 0 || !line.startsWith("{")) {
    throw new Error(`drift command failed (${child.status}): ${child.stderr.trim()}`);
  }
  const figures = JSON.parse(line) as CommandFigures;
  if (figures.code === 2) throw new Error(`modelci drift exited 2: ${child.stderr.trim()}`);
  return figures;
}

export async function benchDrift(): Promise<Record<string, number>> {
  if (!existsSync(FLIGHTS)) {
    console.log("  (vega-datasets' flights-3m.parquet is not installed: skipped)");
    return {};
  }
  const figures: Record<string, number> = {};
  // Split by date at the median, keeping rows together.
  const [dates, delay, distance] = await Promise.all(["date", "delay", "distance"].map(readFlightsColumn));
  const median = Float64Array.from(dates as Float64Array).sort()[
    Math.floor((dates as Float64Array).length / 2)
  ] as number;
  const side = (keep: (d: number) => boolean) => {
    const picked: number[] = [];
    (dates as Float64Array).forEach((d, i) => {
      if (keep(d)) picked.push(i);
    });
    return {
      delay: Float64Array.from(picked, (i) => (delay as Float64Array)[i] as number),
      distance: Float64Array.from(picked, (i) => (distance as Float64Array)[i] as number),
    };
  };
  const reference = side((d) => d < median);
  const current = side((d) => d >= median);
  figures.reference_rows = reference.delay.length;
  figures.current_rows = current.delay.length;
  Object.assign(figures, profileAccuracy(reference, current));
  const dir = await mkdtemp(join(tmpdir(), "modelci-drift-bench-"));
  try {
    const path = (name: string) => join(dir, name);
    writeParquet(path("reference.parquet"), reference);
    writeParquet(path("current.parquet"), current);
    await writeCsv(path("reference.csv"), reference);
    await writeCsv(path("current.csv"), current);
    const small = (n: number) => ({
      delay: reference.delay.subarray(0, n),
      distance: reference.distance.subarray(0, n),
    });
    writeParquet(path("warm-reference.parquet"), small(500));
    writeParquet(path("warm-current.parquet"), small(400));
    await writeCsv(path("warm-reference.csv"), small(500));
    await writeCsv(path("warm-current.csv"), small(400));
    const warm = (ext: string): [string, string] => [
      path(`warm-reference.${ext}`),
      path(`warm-current.${ext}`),
    ];
    const files = (ext: string) => [
      "--reference",
      path(`reference.${ext}`),
      "--current",
      path(`current.${ext}`),
    ];

    const read = runCommand(warm("parquet"), [...files("parquet"), "--columns", "delay,distance"], "read");
    figures.parquet_read_s = Number(read.seconds.toFixed(2));
    // hyparquet's row reader, cell by cell, on one column of one side: what drift read before
    const general = await measure(async () => {
      for await (const _ of readTableCells(path("reference.parquet"), ["delay"], "parquet"));
    });
    figures.hyparquet_rows_one_column_one_side_s = Number(general.seconds.toFixed(2));
    const full = runCommand(warm("parquet"), [...files("parquet"), "--stats", "all", "--json"]);
    figures.full_check_parquet_s = Number(full.seconds.toFixed(2));
    figures.full_check_parquet_added_mib = Number((full.addedBytes / 2 ** 20).toFixed(1));
    figures.parquet_read_share_of_full_check = Number((read.seconds / full.seconds).toFixed(2));

    const columnBytes = (reference.delay.length + current.delay.length) * 8;
    figures.one_column_bytes_mib = Number((columnBytes / 2 ** 20).toFixed(1));
    const one = (ext: string) =>
      runCommand(warm(ext), [...files(ext), "--columns", "delay", "--stats", "all", "--json"]);
    const parquet = one("parquet");
    const csv = one("csv");
    figures.one_column_parquet_command_s = Number(parquet.seconds.toFixed(2));
    figures.one_column_parquet_added_over_column_bytes = Number(
      (parquet.addedBytes / columnBytes).toFixed(2),
    );
    figures.one_column_csv_command_s = Number(csv.seconds.toFixed(2));
    figures.one_column_csv_added_over_column_bytes = Number((csv.addedBytes / columnBytes).toFixed(2));
    const statsOnly = await measure(async () => {
      const ref = Float64Array.from(reference.delay).sort();
      const cur = Float64Array.from(current.delay).sort();
      const pair = { values: ref };
      for (const name of ["ks", "wasserstein", "psi", "jensen-shannon"] as const) {
        DRIFT_METHODS[name].numeric?.(pair, { values: cur });
      }
    });
    figures.one_column_statistics_s = Number(statsOnly.seconds.toFixed(2));
    const python = "/usr/bin/python3";
    if (existsSync(python)) {
      await writeFile(path("ref.f64"), Buffer.from(reference.delay.buffer));
      await writeFile(path("cur.f64"), Buffer.from(current.delay.buffer));
      const scipy = spawnSync(python, ["-c", SCIPY, path("ref.f64"), path("cur.f64")], { encoding: "utf8" });
      if (scipy.status === 0) {
        const seconds = Number(scipy.stdout.trim());
        figures.scipy_one_column_statistics_s = Number(seconds.toFixed(2));
        figures.parquet_command_over_scipy = Number((parquet.seconds / seconds).toFixed(2));
        figures.csv_command_over_scipy = Number((csv.seconds / seconds).toFixed(2));
        figures.statistics_over_scipy = Number((statsOnly.seconds / seconds).toFixed(2));
      } else {
        console.log(`  (scipy not usable: ${scipy.stderr.trim().split("\n").pop()})`);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return figures;
}

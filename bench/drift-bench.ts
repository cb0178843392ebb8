/**
 * `modelci drift` on real data: vega-datasets' flights-3m.parquet, split by date at the median
 * into reference and current (about 1.5M rows each), its numeric columns (delay, distance).
 *
 * Figures: the whole check (`--stats all`, both CSV files read, streamed) with its time and peak
 * RSS growth; reading the Parquet file's columns alone, as a baseline in the same run; one
 * column's statistics (KS, Wasserstein, PSI, JS) on millions of values per side, whole command
 * and statistics alone, with its peak RSS growth against the column's bytes; and scipy's time for
 * the same statistics on the same values when /usr/bin/python3 has scipy.
 */
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readDriftTable } from "../adapters/data/read-drift-table.ts";
import { checkFileDrift } from "../adapters/pipeline/check-file-drift.ts";
import { DEFAULT_DRIFT_OPTIONS } from "../core/drift/check-drift.ts";
import { DRIFT_METHODS } from "../core/drift/drift-methods.ts";
import { ReferenceProfiler, referenceSample } from "../core/drift/reference-profile.ts";

const FLIGHTS = fileURLToPath(
  new URL("../node_modules/vega-datasets/data/flights-3m.parquet", import.meta.url),
);

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

export async function benchDrift(): Promise<Record<string, number>> {
  if (!existsSync(FLIGHTS)) {
    console.log("  (vega-datasets' flights-3m.parquet is not installed: skipped)");
    return {};
  }
  const figures: Record<string, number> = {};
  const read = await measure(() => readDriftTable(FLIGHTS, { columns: ["date", "delay", "distance"] }));
  figures.parquet_read_s = Number(read.seconds.toFixed(2));
  // Split by date at the median, keeping rows together: read the rows in order.
  const { asyncBufferFromFile, parquetReadObjects } = await import("hyparquet");
  const { compressors } = await import("hyparquet-compressors");
  const rows = (await parquetReadObjects({
    file: await asyncBufferFromFile(FLIGHTS),
    columns: ["date", "delay", "distance"],
    compressors,
  })) as { date: unknown; delay: unknown; distance: unknown }[];
  const dates = Float64Array.from(rows, (r) => Number(r.date instanceof Date ? r.date.getTime() : r.date));
  const median = Float64Array.from(dates).sort()[Math.floor(dates.length / 2)] as number;
  const side = (keep: (d: number) => boolean) => {
    const picked = rows.filter((_, i) => keep(dates[i] as number));
    return {
      delay: Float64Array.from(picked, (r) => Number(r.delay)),
      distance: Float64Array.from(picked, (r) => Number(r.distance)),
    };
  };
  const reference = side((d) => d < median);
  const current = side((d) => d >= median);
  rows.length = 0;
  figures.reference_rows = reference.delay.length;
  figures.current_rows = current.delay.length;
  Object.assign(figures, profileAccuracy(reference, current));
  const dir = await mkdtemp(join(tmpdir(), "modelci-drift-bench-"));
  try {
    const refCsv = join(dir, "reference.csv");
    const curCsv = join(dir, "current.csv");
    await writeCsv(refCsv, reference);
    await writeCsv(curCsv, current);
    const drift = { ...DEFAULT_DRIFT_OPTIONS, stats: "all" as const };
    const full = await measure(() => checkFileDrift({ reference: refCsv, current: curCsv, drift }));
    figures.full_check_s = Number(full.seconds.toFixed(2));
    figures.full_check_rss_mib = Math.round(full.rssMiB);
    figures.parquet_read_share_of_full_check = Number((read.seconds / full.seconds).toFixed(2));

    const one = await measure(() =>
      checkFileDrift({ reference: refCsv, current: curCsv, drift, columns: ["delay"] }),
    );
    figures.one_column_command_s = Number(one.seconds.toFixed(2));
    const columnBytes = (reference.delay.length + current.delay.length) * 8;
    figures.one_column_bytes_mib = Number((columnBytes / 2 ** 20).toFixed(1));
    const statsOnly = await measure(async () => {
      const ref = Float64Array.from(reference.delay).sort();
      const cur = Float64Array.from(current.delay).sort();
      const pair = { values: ref };
      for (const name of ["ks", "wasserstein", "psi", "jensen-shannon"] as const) {
        DRIFT_METHODS[name].numeric?.(pair, { values: cur });
      }
    });
    figures.one_column_statistics_s = Number(statsOnly.seconds.toFixed(2));
    figures.one_column_statistics_rss_over_column_bytes = Number(
      ((statsOnly.rssMiB * 2 ** 20) / columnBytes).toFixed(2),
    );
    const python = "/usr/bin/python3";
    if (existsSync(python)) {
      await writeFile(join(dir, "ref.f64"), Buffer.from(reference.delay.buffer));
      await writeFile(join(dir, "cur.f64"), Buffer.from(current.delay.buffer));
      const scipy = spawnSync(python, ["-c", SCIPY, join(dir, "ref.f64"), join(dir, "cur.f64")], {
        encoding: "utf8",
      });
      if (scipy.status === 0) {
        const seconds = Number(scipy.stdout.trim());
        figures.scipy_one_column_statistics_s = Number(seconds.toFixed(2));
        figures.command_over_scipy = Number((one.seconds / seconds).toFixed(2));
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

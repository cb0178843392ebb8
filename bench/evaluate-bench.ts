/**
 * Throughput of `modelci evaluate` against a bare onnxruntime-node `session.run` loop, on the same
 * model (the trained weather classifier) and the same 1M rows, measured in this run.
 *
 * - inference ratio: modelci's inference-only rows/s (its `timing.inference-ms`) over the bare loop's,
 *   both with 65,536-row batches: the overhead modelci adds around `session.run`.
 * - end-to-end ratio: modelci's whole evaluation (stream and parse the CSV, score, metrics) over a
 *   bare script that reads the CSV with readFileSync + split + Number and runs the same loop.
 * Each side runs in its own process, so peak memory (max RSS) is per side.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const BENCH_ROWS = 1_000_000;
const BATCH = 65_536;
const here = import.meta.dirname;
const MODEL = join(here, "../test/fixtures/models/weather.onnx");

/** A 1M-row CSV made of the weather evaluation rows, repeated. */
function writeBigCsv(dir: string): string {
  const [header = "", ...rows] = readFileSync(join(here, "../examples/weather/data/eval.csv"), "utf8")
    .trim()
    .split("\n");
  const lines = [header];
  for (let i = 0; i < BENCH_ROWS; i++) lines.push(rows[i % rows.length] as string);
  const path = join(dir, "eval-1m.csv");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

const BARE = `
import { readFileSync } from "node:fs";
import * as ort from "onnxruntime-node";
const [model, data] = process.argv.slice(2);
const FEATURES = ["precipitation","temp_max","temp_min","wind","precipitation_log1p","month_sin","month_cos"];
const started = performance.now();
const [header, ...lines] = readFileSync(data, "utf8").trim().split("\\n");
const columns = header.split(",");
const at = FEATURES.map((f) => columns.indexOf(f));
const x = new Float32Array(lines.length * FEATURES.length);
lines.forEach((line, i) => { const cells = line.split(","); at.forEach((c, j) => { x[i * FEATURES.length + j] = Number(cells[c]); }); });
const session = await ort.InferenceSession.create(model);
let inference = 0;
for (let start = 0; start < lines.length; start += ${BATCH}) {
  const rows = Math.min(${BATCH}, lines.length - start);
  const tensor = new ort.Tensor("float32", x.subarray(start * FEATURES.length, (start + rows) * FEATURES.length), [rows, FEATURES.length]);
  const t = performance.now();
  await session.run({ features: tensor });
  inference += performance.now() - t;
}
const total = performance.now() - started;
console.log(JSON.stringify({ inferenceMs: inference, totalMs: total, maxRssKb: process.resourceUsage().maxRSS }));
`;

const MODELCI = `
import { evaluateModel } from ${JSON.stringify(join(here, "../adapters/pipeline/evaluate-model.ts"))};
const [model, data] = process.argv.slice(2);
const started = performance.now();
const result = await evaluateModel({ ort: await import("onnxruntime-node"), model, data, label: "weather", batchRows: ${BATCH}, latencyRuns: 50, warn: () => {} });
const total = performance.now() - started;
console.log(JSON.stringify({ inferenceMs: result.timing["inference-ms"], totalMs: total, maxRssKb: process.resourceUsage().maxRSS }));
`;

function runScript(
  name: string,
  source: string,
  args: string[],
): { inferenceMs: number; totalMs: number; maxRssKb: number } {
  const path = join(here, `.${name}-${process.pid}.mts`);
  writeFileSync(path, source);
  try {
    const result = spawnSync(process.execPath, ["--import", "tsx", path, ...args], {
      encoding: "utf8",
      cwd: join(here, ".."),
    });
    if (result.status !== 0) throw new Error(`${name} failed: ${result.stderr}`);
    return JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "{}");
  } finally {
    rmSync(path, { force: true });
  }
}

export async function benchEvaluate(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), "modelci-bench-"));
  const data = writeBigCsv(dir);
  const bare = runScript("bare", BARE, [MODEL, data]);
  const ours = runScript("modelci", MODELCI, [MODEL, data]);
  const rate = (ms: number) => Math.round(BENCH_ROWS / (ms / 1000));
  return {
    rows: BENCH_ROWS,
    bare_inference_rows_per_s: rate(bare.inferenceMs),
    modelci_inference_rows_per_s: rate(ours.inferenceMs),
    inference_ratio: Number((bare.inferenceMs / ours.inferenceMs).toFixed(3)),
    bare_end_to_end_rows_per_s: rate(bare.totalMs),
    modelci_end_to_end_rows_per_s: rate(ours.totalMs),
    end_to_end_ratio: Number((bare.totalMs / ours.totalMs).toFixed(3)),
    bare_peak_rss_mib: Math.round(bare.maxRssKb / 1024),
    modelci_peak_rss_mib: Math.round(ours.maxRssKb / 1024),
  };
}

/**
 * What the onnxruntime pack costs the evaluate Action: its size, the header check that
 * `check-generated` runs, and the start of a job in a fresh Node process, cold (empty cache:
 * unpack, load, create a session) and warm (the unpacked folder's marker is there: load, create
 * a session). Each start runs in a child process, as a job does, so the native library's load
 * is counted; the figures are measured inside the child, without Node's and tsx's own start.
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeSoftmaxRegressionModel } from "../examples/weather/lib/export-onnx.js";
import { expectedPackHeader, ONNXRUNTIME_PACK_PATH } from "../scripts/pack-onnxruntime.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PACK = join(ROOT, ONNXRUNTIME_PACK_PATH);
const ADAPTER = join(ROOT, "adapters/onnx/unpack-onnxruntime.ts");

/** The child: resolves onnxruntime from the pack and opens one session; prints the phases in ms. */
const CHILD = `
const start = performance.now();
const { resolveOnnxruntime } = await import(process.env.ADAPTER);
const { readFile } = await import("node:fs/promises");
const imported = performance.now();
const { ort } = await resolveOnnxruntime({ packPath: process.env.PACK, cacheRoot: process.env.CACHE });
const loaded = performance.now();
const session = await ort.InferenceSession.create(await readFile(process.env.MODEL));
const ready = performance.now();
await session.release();
console.log(JSON.stringify({ resolve: loaded - imported, session: ready - loaded, total: ready - imported, importAdapter: imported - start }));
`;

interface Start {
  resolve: number;
  session: number;
  total: number;
}

function startJob(cache: string, model: string): Start {
  const result = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", CHILD], {
    cwd: ROOT,
    env: { ...process.env, ADAPTER, PACK, CACHE: cache, MODEL: model },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`bench child failed: ${result.stderr}`);
  const last = result.stdout.trim().split("\n").pop() ?? "";
  return JSON.parse(last) as Start;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Returns the pack's size in bytes and milliseconds per scenario (medians of 3). */
export async function benchOnnxruntimePack(): Promise<Record<string, number>> {
  const work = await mkdtemp(join(tmpdir(), "modelci-bench-"));
  try {
    const model = join(work, "model.onnx");
    await writeFile(
      model,
      encodeSoftmaxRegressionModel({
        weights: [
          [1, 0, 0.5],
          [0, 1, -0.5],
        ],
        bias: [0, 0],
        features: ["a", "b", "c"],
        classes: ["no", "yes"],
      }),
    );
    const headerCheck: number[] = [];
    const cold: Start[] = [];
    const warm: Start[] = [];
    for (let run = 0; run < 3; run++) {
      const start = performance.now();
      await expectedPackHeader(join(ROOT, "node_modules"));
      headerCheck.push(performance.now() - start);
      const cache = join(work, `cache-${run}`);
      cold.push(startJob(cache, model));
      warm.push(startJob(cache, model));
    }
    return {
      pack_bytes: (await stat(PACK)).size,
      header_check_ms: median(headerCheck),
      cold_start_ms: median(cold.map((s) => s.total)),
      cold_unpack_and_load_ms: median(cold.map((s) => s.resolve)),
      warm_start_ms: median(warm.map((s) => s.total)),
      warm_load_ms: median(warm.map((s) => s.resolve)),
      create_session_ms: median(warm.map((s) => s.session)),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

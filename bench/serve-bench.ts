/**
 * `modelci serve` on loopback against baselines measured in the same run, on the weather model:
 * - a bare `session.run` loop (no HTTP at all);
 * - a bare node:http server that parses the same OIP JSON, runs the same session and answers the
 *   same JSON (no routing, validation, metrics, canary or logging).
 * Load comes from autocannon (2 s per run) at concurrency 1, 16 and 64, with 1-row and 1,000-row
 * requests. autocannon records whole milliseconds, so single-row p50/p99 at concurrency 1 also
 * come from a sequential keep-alive client timed in microseconds.
 * Memory: RSS added by one loaded version (weather, and a generated ~50 MB model), each in a
 * fresh process. Hot swap: failed requests and p99 while the version flips every 300 ms under load.
 */
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { Agent, createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import autocannon from "autocannon";
import onnxProto from "onnx-proto";
import * as ort from "onnxruntime-node";
import { startServer } from "../serve/index.ts";
import { CLASSES, FEATURES, registerVersion, serveRepo, writeTarget } from "../test/helpers/serve-repo.ts";

const { onnx } = onnxProto;
const ROW = [0, 12.2, 5, 3, 0, 0.5, 0.866];
const here = import.meta.dirname;

function body(rows: number): string {
  const data: number[] = [];
  for (let i = 0; i < rows; i++) data.push(...ROW);
  return JSON.stringify({ inputs: [{ name: "features", shape: [rows, 7], datatype: "FP32", data }] });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
const round = (n: number, digits = 3) => Number(n.toFixed(digits));

/** p50 and p99 of `fn` over `count` runs, in microseconds. */
async function timeLoop(count: number, fn: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 200; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  times.sort((a, b) => a - b);
  return { p50: round(percentile(times, 0.5), 1), p99: round(percentile(times, 0.99), 1) };
}

/** One sequential keep-alive POST client. */
function poster(url: string, payload: string): () => Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const target = new URL(url);
  return () =>
    new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: "POST",
          agent,
          headers: { "content-type": "application/json" },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
}

/** The bare baseline: node:http, JSON.parse, session.run, JSON.stringify. */
async function bareServer(session: ort.InferenceSession): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const input = JSON.parse(Buffer.concat(chunks).toString()).inputs[0];
      const result = await session.run({
        features: new ort.Tensor("float32", Float32Array.from(input.data), input.shape),
      });
      const out = result.probabilities as ort.Tensor;
      const text = JSON.stringify({
        model_name: "weather",
        model_version: "1",
        outputs: [
          {
            name: "probabilities",
            datatype: "FP32",
            shape: out.dims,
            data: Array.from(out.data as Float32Array),
          },
        ],
      });
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v2/models/weather/infer`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function cannon(url: string, payload: string, connections: number, duration = 2) {
  const result = await autocannon({
    url,
    method: "POST",
    body: payload,
    headers: { "content-type": "application/json" },
    connections,
    duration,
  });
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.errors + result.timeouts + result.non2xx,
  };
}

/** A ~50 MB classifier over the weather features: [N,7] → MatMul 7×H → Relu → MatMul H×H → MatMul H×5 → Softmax. */
function bigModel(hidden = 3536): Uint8Array {
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
  const weights = (name: string, dims: number[]) => {
    const values = new Float32Array((dims[0] as number) * (dims[1] as number)).fill(0.001);
    return { name, dims, dataType: FLOAT, rawData: new Uint8Array(values.buffer) };
  };
  const info = (name: string, width: number) => ({
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: "N" }, { dimValue: width }] } } },
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: "", version: 13 }],
    producerName: "modelci-bench",
    graph: {
      name: "big",
      node: [
        { opType: "MatMul", input: ["features", "w1"], output: ["h1"] },
        { opType: "Relu", input: ["h1"], output: ["r1"] },
        { opType: "MatMul", input: ["r1", "w2"], output: ["h2"] },
        { opType: "MatMul", input: ["h2", "w3"], output: ["logits"] },
        {
          opType: "Softmax",
          input: ["logits"],
          output: ["probabilities"],
          attribute: [{ name: "axis", i: -1, type: onnx.AttributeProto.AttributeType.INT }],
        },
      ],
      initializer: [weights("w1", [7, hidden]), weights("w2", [hidden, hidden]), weights("w3", [hidden, 5])],
      input: [info("features", 7)],
      output: [info("probabilities", 5)],
    },
    metadataProps: [
      { key: "modelci.task", value: "classification" },
      { key: "modelci.features", value: JSON.stringify(FEATURES) },
      { key: "modelci.classes", value: JSON.stringify(CLASSES) },
    ],
  });
  return onnx.ModelProto.encode(model).finish();
}

/** RSS added by serving `version` of the repository's weather model, in a fresh process. */
function rssOfVersion(dir: string, version: number): number {
  writeTarget(dir, `{ version: ${version} }`, "", 0);
  // Inside the repository, so that its imports resolve from node_modules.
  const script = join(here, `.rss-${process.pid}-${version}.mts`);
  writeFileSync(
    script,
    `import { startServer } from ${JSON.stringify(join(here, "../serve/index.ts"))};
await import("onnxruntime-node");
const before = process.memoryUsage().rss;
const server = await startServer({ root: ${JSON.stringify(dir)}, target: "local", port: 0, watch: false, notice: () => {} });
const after = process.memoryUsage().rss;
await server.close();
console.log(JSON.stringify({ bytes: after - before }));
`,
  );
  const result = spawnSync(process.execPath, ["--import", "tsx", script], {
    encoding: "utf8",
    cwd: join(here, ".."),
  });
  rmSync(script, { force: true });
  if (result.status !== 0) throw new Error(`rss run failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "{}").bytes;
}

export async function benchServe(): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  const dir = await serveRepo();
  const big = bigModel();
  await registerVersion(dir, 4, big);
  figures.big_model_mib = round(big.length / 2 ** 20, 1);
  figures.rss_per_version_weather_mib = round(rssOfVersion(dir, 1) / 2 ** 20, 1);
  figures.rss_per_version_50mb_mib = round(rssOfVersion(dir, 4) / 2 ** 20, 1);

  const model = join(
    dir,
    "artifacts/sha256/e0/e0b8b81413d55766e80fe2c6a67f5cf4d3f97bc367d80d6c59ddee666cdddba3",
  );
  const session = await ort.InferenceSession.create(model);
  for (const rows of [1, 1000]) {
    const data = new Float32Array(rows * 7);
    const loop = await timeLoop(rows === 1 ? 5000 : 1000, () =>
      session.run({ features: new ort.Tensor("float32", data, [rows, 7]) }),
    );
    figures[`session_run_${rows}row_p50_us`] = loop.p50;
    figures[`session_run_${rows}row_p99_us`] = loop.p99;
  }

  writeTarget(dir, "{ version: 1 }", "", 0.1);
  const server = await startServer({ root: dir, target: "local", port: 0, watch: false, notice: () => {} });
  const bare = await bareServer(session);
  const ours = `${server.url}/v2/models/weather/infer`;
  try {
    for (const [name, url] of [
      ["bare", bare.url],
      ["modelci", ours],
    ] as const) {
      const loop = await timeLoop(3000, poster(url, body(1)));
      figures[`${name}_1row_c1_p50_us`] = loop.p50;
      figures[`${name}_1row_c1_p99_us`] = loop.p99;
    }
    figures.ratio_1row_p50 = round(
      (figures.modelci_1row_c1_p50_us ?? 0) / (figures.bare_1row_c1_p50_us ?? 1),
      2,
    );
    // Hot swap under steady load: flip between versions 1 and 2 every 300 ms for 3 s.
    const steady = await cannon(ours, body(1), 16, 3);
    let swaps = 0;
    let swapFailures = 0;
    let flipping = true;
    const flipper = (async () => {
      while (flipping) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        writeTarget(dir, `{ version: ${swaps % 2 === 0 ? 2 : 1} }`, "", 0.1);
        const reload = await fetch(`${server.url}/admin/reload`, { method: "POST" });
        if (reload.status !== 200) swapFailures++;
        await reload.arrayBuffer();
        swaps++;
      }
    })();
    const during = await cannon(ours, body(1), 16, 3);
    flipping = false;
    await flipper;
    figures.swap_count = swaps;
    figures.swap_reload_failures = swapFailures;
    figures.swap_failed_requests = during.failed;
    figures.swap_failed_requests_before = steady.failed;
    figures.swap_rps_before = steady.rps;
    figures.swap_rps_during = during.rps;
    figures.swap_p99_before_ms = steady.p99;
    figures.swap_p99_during_ms = during.p99;
    for (const rows of [1, 1000]) {
      for (const connections of [1, 16, 64]) {
        for (const [name, url] of [
          ["bare", bare.url],
          ["modelci", ours],
        ] as const) {
          const run = await cannon(url, body(rows), connections);
          // Let requests still queued in the server finish before the next run.
          await new Promise((resolve) => setTimeout(resolve, 1000));
          const key = `${name}_${rows}row_c${connections}`;
          figures[`${key}_rps`] = run.rps;
          figures[`${key}_p50_ms`] = run.p50;
          figures[`${key}_p99_ms`] = run.p99;
          if (run.failed > 0) figures[`${key}_failed`] = run.failed;
        }
        figures[`ratio_${rows}row_c${connections}_rps`] = round(
          (figures[`modelci_${rows}row_c${connections}_rps`] ?? 0) /
            (figures[`bare_${rows}row_c${connections}_rps`] ?? 1),
          2,
        );
      }
    }
  } finally {
    await bare.close();
    await server.close();
  }
  return figures;
}

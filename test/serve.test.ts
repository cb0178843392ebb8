/**
 * `modelci serve` for real: the weather example's ONNX versions on onnxruntime, a server on an
 * ephemeral loopback port, real HTTP. Every request loop is bounded; every server is closed.
 */
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "../serve/index.ts";
import type { ServerHandle } from "../serve/options.ts";
import { constantModel, FEATURES, registerVersion, serveRepo, writeTarget } from "./helpers/serve-repo.ts";

const ROW = [0, 12.2, 5, 3, 0, 0.5, 0.866];
const INSTANCE = Object.fromEntries(FEATURES.map((f, i) => [f, ROW[i]]));

function inferBody(rows = 1, extra: Record<string, unknown> = {}) {
  return {
    ...extra,
    inputs: [
      {
        name: "features",
        shape: [rows, 7],
        datatype: "FP32",
        data: Array.from({ length: rows }, () => ROW).flat(),
      },
    ],
  };
}

/** The fields of the answers these tests read. */
interface Answer {
  error: string;
  model_version: string;
  predictions: { label: string; probabilities: Record<string, number> }[];
  serving: unknown;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    version: response.headers.get("x-model-version"),
    body: (await response.json()) as Answer,
  };
}

describe("modelci serve", () => {
  let dir: string;
  let server: ServerHandle;
  let url: string;

  beforeAll(async () => {
    dir = await serveRepo();
    server = await startServer({ root: dir, target: "local", port: 0, watch: false, notice: () => {} });
    url = server.url;
  });
  afterAll(async () => {
    await server?.close();
  });

  it("answers health, server and model metadata as the Open Inference Protocol says", async () => {
    expect(await (await fetch(`${url}/v2/health/live`)).json()).toEqual({ live: true });
    expect(await (await fetch(`${url}/v2/health/ready`)).json()).toEqual({ ready: true });
    expect(await (await fetch(`${url}/v2`)).json()).toMatchObject({ name: "modelci", extensions: [] });
    const metadata = await (await fetch(`${url}/v2/models/weather/versions/2`)).json();
    expect(metadata).toMatchObject({
      name: "weather",
      versions: ["1", "2"],
      platform: "onnxruntime_onnx",
      inputs: [{ name: "features", datatype: "FP32", shape: [-1, 7] }],
      outputs: [{ name: "probabilities", datatype: "FP32", shape: [-1, 5] }],
    });
    const ready = await fetch(`${url}/v2/models/weather/versions/1/ready`);
    expect([ready.status, await ready.json()]).toEqual([200, { name: "weather", ready: true }]);
    expect((await fetch(`${url}/v2/models/weather/versions/9/ready`)).status).toBe(404);
  });

  it("answers each bad request with its status and message, and keeps serving after each", async () => {
    const infer = `${url}/v2/models/weather/infer`;
    const cases: [unknown, number, string][] = [
      ["{not json", 400, "request body is not valid JSON"],
      [
        { inputs: [{ ...inferBody().inputs[0], datatype: "INT64" }] },
        400,
        'input "features": expected datatype FP32 (shape [-1, 7]), got the string "INT64"',
      ],
      [
        { inputs: [{ ...inferBody().inputs[0], shape: [1, 6] }] },
        400,
        'input "features": shape [1, 6] does not match the model\'s FP32 [-1, 7]',
      ],
      [
        { inputs: [{ ...inferBody().inputs[0], data: [...ROW.slice(0, 6), 1e39] }] },
        400,
        'input "features": data[6] is 1e+39, outside the FP32 range',
      ],
      [`${"[".repeat(10_000)}${"]".repeat(10_000)}`, 400, "nests arrays and objects deeper than 64 levels"],
      [
        { id: "x" },
        400,
        '`inputs` must be a non-empty array of {name, shape, datatype, data}, got nothing; the model takes "features" FP32 [-1, 7]',
      ],
      [" ".repeat(20 * 1024 * 1024), 413, "request body is larger than the limit of 1048576 bytes"],
    ];
    for (const [body, status, message] of cases) {
      const answer = await post(infer, body);
      expect([answer.status, answer.body.error]).toEqual([status, expect.stringContaining(message)]);
      expect(Object.keys(answer.body)).toEqual(["error"]);
      expect((await post(infer, inferBody())).status).toBe(200);
    }
    const unknown = await post(`${url}/v2/models/nope/infer`, inferBody());
    expect([unknown.status, unknown.body]).toEqual([
      404,
      { error: 'unknown model "nope"; this server serves "weather"' },
    ]);
    const version = await post(`${url}/v2/models/weather/versions/7/infer`, inferBody());
    expect([version.status, version.body.error]).toEqual([
      404,
      'unknown version "7" of "weather"; served versions: 1, 2',
    ]);
    const missing = await post(`${url}/v1/models/weather:predict`, {
      instances: [{ ...INSTANCE, wind: undefined }],
    });
    expect([missing.status, missing.body.error]).toEqual([
      400,
      'instances[0]: missing feature "wind" (a number)',
    ]);
    expect((await post(infer, inferBody())).status).toBe(200);
  });

  it("splits traffic by the canary weights, keeps a routing key on one version, and names the version", async () => {
    const counts = { "1": 0, "2": 0 } as Record<string, number>;
    for (let i = 0; i < 200; i++) {
      const answer = await post(`${url}/v2/models/weather/infer`, inferBody());
      expect(answer.version).toBe(answer.body.model_version);
      counts[answer.body.model_version] = (counts[answer.body.model_version] ?? 0) + 1;
    }
    // 70/30 over 200 requests: the standard deviation is 6.5 requests; allow 4 of them.
    expect(Math.abs((counts["2"] ?? 0) - 60)).toBeLessThanOrEqual(26);
    for (const key of ["alice", "bob", "carol"]) {
      const seen = new Set<string>();
      for (let i = 0; i < 10; i++) {
        seen.add(
          (await post(`${url}/v2/models/weather/infer`, inferBody(), { "x-routing-key": key }))
            .version as string,
        );
        seen.add((await post(`${url}/v2/models/weather/infer`, inferBody(1, { id: key }))).version as string);
      }
      expect(seen.size).toBe(1);
    }
    for (let i = 0; i < 10; i++) {
      expect((await post(`${url}/v2/models/weather/versions/2/infer`, inferBody())).body.model_version).toBe(
        "2",
      );
    }
  });

  it("predicts class labels for tabular instances and logs sampled rows for drift checks", async () => {
    const answer = await post(
      `${url}/v1/models/weather:predict`,
      { instances: [INSTANCE, INSTANCE] },
      { "x-routing-key": "k" },
    );
    expect(answer.status).toBe(200);
    expect(answer.body.predictions).toHaveLength(2);
    expect(Object.keys(answer.body.predictions[0]?.probabilities ?? {})).toEqual([
      "drizzle",
      "fog",
      "rain",
      "snow",
      "sun",
    ]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const lines = readFileSync(join(dir, "logs/inputs.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const last = lines[lines.length - 1];
    expect(last).toMatchObject({
      model: "weather",
      version: Number(answer.version),
      prediction: answer.body.predictions[1]?.label,
    });
    expect(Object.keys(last.inputs)).toEqual(FEATURES.filter((f) => f !== "wind"));
    expect(last.inputs.temp_max).toBe(12.2);
    expect(last.inputs.month_cos).toMatch(/^[0-9a-f]{16}$/);
    expect(Number.isNaN(Date.parse(last.time))).toBe(false);
  });

  it("refuses a corrupt artifact: the old versions keep serving, readiness stays true, the failure is counted", async () => {
    // Version 3's file names a digest whose stored bytes are version 2's: it must never load.
    const sha2 = /^ {2}sha256: ([0-9a-f]{64})$/m.exec(
      readFileSync(join(dir, "models/weather/versions/2.yaml"), "utf8"),
    )?.[1] as string;
    const sha3 = await registerVersion(dir, 3, constantModel(0));
    const stored = (sha: string) => join(dir, "artifacts/sha256", sha.slice(0, 2), sha);
    chmodSync(stored(sha3), 0o644);
    writeFileSync(stored(sha3), readFileSync(stored(sha2)));
    writeTarget(dir, "{ version: 3 }");
    const reload = await post(`${url}/admin/reload`, {});
    expect(reload.status).toBe(500);
    expect(reload.body.error).toContain("corrupt or was replaced");
    expect(reload.body.serving).toEqual({
      weather: {
        versions: [
          { version: 1, weight: 70 },
          { version: 2, weight: 30 },
        ],
      },
    });
    expect((await fetch(`${url}/v2/health/ready`)).status).toBe(200);
    expect((await post(`${url}/v2/models/weather/infer`, inferBody())).status).toBe(200);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('modelci_model_load_failures_total{model="weather",version="3"} 1');
    expect(metrics).toContain('modelci_traffic_weight{model="weather",version="2"} 30');
    expect(metrics).toMatch(
      /modelci_inference_requests_total\{model="weather",version="[12]",code="200"\} \d+/,
    );
  });

  it("swaps versions under load without a failed request, draining the old session", async () => {
    writeTarget(dir, "{ version: 1 }");
    expect((await post(`${url}/admin/reload`, {})).body).toMatchObject({
      reloaded: true,
      models: { weather: { versions: [{ version: 1, weight: 100 }] } },
    });
    let swapped = false;
    let after = 0;
    const failures: string[] = [];
    const versions = new Set<string>();
    const client = async () => {
      for (let i = 0; i < 2000 && after < 100; i++) {
        try {
          const answer = await post(`${url}/v2/models/weather/infer`, inferBody(10));
          if (answer.status !== 200) failures.push(`${answer.status} ${JSON.stringify(answer.body)}`);
          versions.add(answer.version as string);
          if (swapped) after++;
        } catch (error) {
          failures.push(String(error));
        }
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, client));
    await new Promise((resolve) => setTimeout(resolve, 150));
    writeTarget(dir, "{ version: 2 }");
    const reload = await post(`${url}/admin/reload`, {});
    swapped = true;
    await load;
    expect(reload.body).toEqual({
      reloaded: true,
      changed: true,
      models: { weather: { versions: [{ version: 2, weight: 100 }] } },
    });
    expect(failures).toEqual([]);
    expect(versions).toEqual(new Set(["1", "2"]));
    expect((await post(`${url}/v2/models/weather/infer`, inferBody())).version).toBe("2");
    expect((await fetch(`${url}/v2/models/weather/versions/2/ready`)).status).toBe(200);
  });

  it("copies requests to a shadow version, answering from the primary, and refuses an unregistered shadow", async () => {
    writeTarget(dir, "{ version: 1, shadow: 2 }");
    const reload = await post(`${url}/admin/reload`, {});
    expect(reload.body).toMatchObject({
      reloaded: true,
      models: { weather: { versions: [{ version: 1, weight: 100 }], shadow: 2 } },
    });
    for (let i = 0; i < 5; i++)
      expect((await post(`${url}/v2/models/weather/infer`, inferBody())).version).toBe("1");
    let metrics = "";
    for (let i = 0; i < 50 && !metrics.includes('outcome="ok"} 5'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      metrics = await (await fetch(`${url}/metrics`)).text();
    }
    expect(metrics).toContain('modelci_shadow_requests_total{model="weather",version="2",outcome="ok"} 5');
    expect(metrics).toContain('modelci_traffic_weight{model="weather",version="2"} 0');
    writeTarget(dir, "{ version: 1, shadow: 9 }");
    const refused = await post(`${url}/admin/reload`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error).toContain("weather version 9 is not registered");
    expect(refused.body.serving).toEqual({ weather: { versions: [{ version: 1, weight: 100 }], shadow: 2 } });
  });

  it("requires the bearer tokens when they are set", async () => {
    writeTarget(dir, "{ version: 1 }");
    const guarded = await startServer({
      root: dir,
      target: "local",
      port: 0,
      watch: false,
      notice: () => {},
      env: { ...process.env, MODELCI_SERVE_TOKEN: "infer-secret", MODELCI_SERVE_ADMIN_TOKEN: "admin-secret" },
    });
    try {
      const infer = `${guarded.url}/v2/models/weather/infer`;
      const refused = await post(infer, inferBody());
      expect([refused.status, refused.body.error]).toEqual([
        401,
        expect.stringContaining("Authorization: Bearer"),
      ]);
      expect((await post(infer, inferBody(), { authorization: "Bearer wrong" })).status).toBe(401);
      expect((await post(infer, inferBody(), { authorization: "Bearer infer-secret" })).status).toBe(200);
      expect((await fetch(`${guarded.url}/v2/health/ready`)).status).toBe(200);
      expect(
        (await post(`${guarded.url}/admin/reload`, {}, { authorization: "Bearer infer-secret" })).status,
      ).toBe(401);
      expect(
        (await post(`${guarded.url}/admin/reload`, {}, { authorization: "Bearer admin-secret" })).status,
      ).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});

import { createHmac } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { githubReleaseDriver } from "../adapters/deploy/drivers/github-release-driver.ts";
import { httpDriver } from "../adapters/deploy/drivers/http-driver.ts";
import { kubernetesDriver } from "../adapters/deploy/drivers/kubernetes-driver.ts";
import { serveDriver } from "../adapters/deploy/drivers/serve-driver.ts";
import type { DeployRequest, DriverContext } from "../core/deploy/deploy-driver.ts";
import { deployRequestSchema } from "../schemas/deploy-request.ts";
import { deploymentSchema } from "../schemas/deployment.ts";
import { FakeGitHubDeployments } from "./helpers/fake-github-deployments.ts";
import { ServeContractServer } from "./helpers/serve-contract-server.ts";
import { tempDir } from "./helpers/temp-repo.ts";

const SHA = { 7: "a".repeat(64), 8: "b".repeat(64) };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function request(canary: boolean): DeployRequest {
  const version = (v: 7 | 8, weight: number) => ({
    version: v,
    weight,
    uri: `release:weather@v${v}/model.onnx`,
    sha256: SHA[v],
    size: 10,
    path: `/tmp/weather-${v}.onnx`,
  });
  return {
    target: "production",
    environment: "production",
    commit: "c".repeat(40),
    rollback: false,
    models: [{ model: "weather", versions: canary ? [version(7, 90), version(8, 10)] : [version(8, 100)] }],
    previous: [
      {
        model: "weather",
        versions: [
          { version: 7, weight: 100, artifact: { uri: "release:weather@v7/model.onnx", sha256: SHA[7] } },
        ],
      },
    ],
  };
}

function context(env: NodeJS.ProcessEnv = {}, dir = "/tmp"): DriverContext & { lines: string[] } {
  const lines: string[] = [];
  return { dir, env, log: (line) => lines.push(line), lines };
}

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

/** A loopback HTTP server answering with `handler`; stopped after the test. */
async function serve(handler: Handler): Promise<string> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => handler(req, Buffer.concat(chunks).toString("utf8"), res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const driverOf = <K extends string>(driver: { kind: K } & Record<string, unknown>) =>
  deploymentSchema.shape.driver.parse(driver) as never;

describe("the http driver", () => {
  it("retries a 500, then posts the signed body again and succeeds", async () => {
    const seen: { signature: string | undefined; body: string }[] = [];
    const url = await serve((req, body, res) => {
      seen.push({ signature: req.headers["x-modelci-signature-256"] as string | undefined, body });
      res.writeHead(seen.length === 1 ? 500 : 200).end(seen.length === 1 ? "busy" : "ok");
    });
    const driver = httpDriver(
      driverOf({ kind: "http", url: `${url}/deploy`, "secret-env": "DEPLOY_SECRET" }),
      {
        backoffMs: 1,
      },
    );
    const ctx = context({ DEPLOY_SECRET: "s3cret" });
    await driver.deploy(request(true), ctx);
    expect(seen).toHaveLength(2);
    const body = seen[1]?.body ?? "";
    expect(seen[1]?.signature).toBe(`sha256=${createHmac("sha256", "s3cret").update(body).digest("hex")}`);
    const parsed = deployRequestSchema.parse(JSON.parse(body));
    expect(parsed.models[0]?.versions.map((v) => [v.version, v.weight])).toEqual([
      [7, 90],
      [8, 10],
    ]);
    expect(ctx.lines.join("\n")).toContain("500 Internal Server Error: busy; retrying");
  });

  it("reports an answer that is not 2xx with its body, without retrying a 4xx", async () => {
    let calls = 0;
    const url = await serve((_req, _body, res) => {
      calls++;
      res.writeHead(400).end('{"error":"unknown model weather"}');
    });
    const driver = httpDriver(driverOf({ kind: "http", url }), { backoffMs: 1 });
    await expect(driver.deploy(request(false), context())).rejects.toThrow(
      /answered 400 Bad Request: \{"error":"unknown model weather"\}/,
    );
    expect(calls).toBe(1);
  });
});

/** A loopback Kubernetes API server: checks the apply request, then answers `answer`. */
async function kubeApi(answer: { status: number; body: unknown }, applied: unknown[]) {
  const url = await serve((req, body, res) => {
    const path = "/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices/weather-production";
    const send = (status: number, json: unknown) =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(json));
    if (req.headers.authorization !== "Bearer kube-token")
      return send(401, { kind: "Status", message: "Unauthorized" });
    if (req.method === "PATCH" && req.url === `${path}?fieldManager=modelci&force=true`) {
      if (req.headers["content-type"] !== "application/apply-patch+yaml")
        return send(415, { message: "bad type" });
      applied.push(parse(body));
      return send(answer.status, answer.body);
    }
    if (req.method === "GET" && req.url === path) {
      return send(200, {
        metadata: { generation: 2 },
        status: {
          observedGeneration: 2,
          url: "http://weather.models.example",
          conditions: [{ type: "Ready", status: "True" }],
        },
      });
    }
    send(404, { kind: "Status", message: `no route ${req.method} ${req.url}` });
  });
  const dir = tempDir();
  const kubeconfig = join(dir, "config");
  writeFileSync(
    kubeconfig,
    [
      "apiVersion: v1",
      "kind: Config",
      "current-context: test",
      "contexts: [{ name: test, context: { cluster: loopback, user: ci } }]",
      `clusters: [{ name: loopback, cluster: { server: "${url}" } }]`,
      "users: [{ name: ci, user: { token: kube-token } }]",
    ].join("\n"),
  );
  return {
    KUBECONFIG: kubeconfig,
    GITHUB_REPOSITORY: "acme/weather",
    GITHUB_SERVER_URL: "https://github.com",
  };
}

describe("the kubernetes driver", () => {
  const settings = driverOf({ kind: "kubernetes", namespace: "models" });

  it("server-side applies a KServe InferenceService with the canary split, then waits for Ready", async () => {
    const applied: unknown[] = [];
    const env = await kubeApi(
      { status: 200, body: { status: { url: "http://weather.models.example" } } },
      applied,
    );
    const driver = kubernetesDriver(settings, { pollMs: 10 });
    const ctx = context(env);
    const result = await driver.deploy(request(true), ctx);
    await driver.ready?.(request(true), ctx);
    expect(result.url).toBe("http://weather.models.example");
    // The fields KServe documents for an ONNX predictor with a canary (kserve docs: ONNX; canary rollout).
    expect(applied).toEqual([
      {
        apiVersion: "serving.kserve.io/v1beta1",
        kind: "InferenceService",
        metadata: expect.objectContaining({ name: "weather-production", namespace: "models" }),
        spec: {
          predictor: {
            canaryTrafficPercent: 10,
            model: {
              modelFormat: { name: "onnx" },
              protocolVersion: "v2",
              storageUri: "https://github.com/acme/weather/releases/download/weather%40v8/model.onnx",
            },
          },
        },
      },
    ]);
    expect(ctx.lines.join("\n")).toContain("InferenceService models/weather-production is ready");
  });

  it.each([
    [
      409,
      "Conflict",
      'Apply failed with 1 conflict: conflict with "kubectl" using serving.kserve.io/v1beta1',
    ],
    [
      422,
      "Invalid",
      'InferenceService.serving.kserve.io "weather-production" is invalid: spec.predictor: Required value',
    ],
  ])("reports an apply answered %i with the API server's message", async (status, reason, message) => {
    const env = await kubeApi(
      { status, body: { kind: "Status", status: "Failure", reason, message, code: status } },
      [],
    );
    const driver = kubernetesDriver(settings, { pollMs: 10 });
    await expect(driver.deploy(request(false), context(env))).rejects.toThrow(
      `failed (${status}): ${reason}: ${message}`,
    );
  });
});

describe("the serve driver", () => {
  function workingTree(): string {
    const dir = tempDir();
    mkdirSync(join(dir, "deployments"));
    writeFileSync(
      join(dir, "deployments/production.yaml"),
      "# production\nenvironment: production\nmodels: { weather: { version: 7 } }\ndriver: { kind: serve }\n",
    );
    return dir;
  }

  it("reloads modelci serve, checks each version's readiness, and writes the versions it deploys into the target file", async () => {
    const dir = workingTree();
    const server = await new ServeContractServer(dir, "production").start();
    cleanups.push(() => server.stop());
    const driver = serveDriver(driverOf({ kind: "serve", port: server.port }));
    const ctx = context({ MODELCI_SERVE_ADMIN_TOKEN: "admin" }, dir);
    const canary = request(true);
    await driver.deploy(canary, ctx);
    await driver.ready?.(canary, ctx);
    expect(server.reloads.at(-1)).toEqual({
      authorization: "Bearer admin",
      models: {
        weather: {
          canary: [
            { version: 7, weight: 90 },
            { version: 8, weight: 10 },
          ],
        },
      },
    });
    expect(readFileSync(join(dir, "deployments/production.yaml"), "utf8")).toContain("# production\n");
    expect(ctx.lines.join("\n")).toContain("GET /v2/models/weather/versions/8/ready: ready");

    server.refuse = 8;
    await expect(driver.deploy(request(false), ctx)).rejects.toThrow(
      /refused the reload \(409\): version 8 failed to load; still serving/,
    );
    server.refuse = undefined;
    server.notReady.add(8);
    await driver.deploy(request(false), ctx);
    await expect(driver.ready?.(request(false), ctx)).rejects.toThrow(
      /readiness check failed: GET \/v2\/models\/weather\/versions\/8\/ready answered 503/,
    );
  });

  it("fails when no server is running", async () => {
    const server = await new ServeContractServer(workingTree(), "production").start();
    await server.stop();
    const driver = serveDriver(driverOf({ kind: "serve", port: server.port }));
    await expect(driver.deploy(request(false), context({}, workingTree()))).rejects.toThrow(
      /no modelci serve is running at 127\.0\.0\.1:\d+/,
    );
  });
});

describe("the github-release driver", () => {
  it("creates release deploy/<target>/<n> with the verified artifacts and a deployment manifest", async () => {
    const github = await new FakeGitHubDeployments().start();
    cleanups.push(() => github.stop());
    const dir = tempDir();
    const deploy = request(true);
    for (const v of deploy.models[0]?.versions ?? []) {
      v.path = join(dir, `m${v.version}.onnx`);
      writeFileSync(v.path, `model ${v.version}`);
    }
    const ctx = {
      ...context(),
      github: { owner: "acme", repo: "weather", token: "t", baseUrl: github.baseUrl },
    };
    const driver = githubReleaseDriver();
    await driver.deploy(deploy, ctx);
    const result = await driver.deploy({ ...deploy, rollback: true }, ctx);
    expect(github.releases.map((r) => r.tag_name)).toEqual(["deploy/production/1", "deploy/production/2"]);
    expect(result.url).toBe("https://github.example/acme/weather/releases/tag/deploy/production/2");
    const [first] = github.releases;
    expect(first?.body).toMatchObject({ target_commitish: deploy.commit, make_latest: "false" });
    expect([...(first?.assets.keys() ?? [])]).toEqual([
      "deployment.json",
      "weather-v7.onnx",
      "weather-v8.onnx",
    ]);
    expect(first?.assets.get("weather-v8.onnx")?.toString()).toBe("model 8");
    const manifest = deployRequestSchema.parse(
      JSON.parse(first?.assets.get("deployment.json")?.toString() ?? ""),
    );
    expect(manifest.models[0]?.versions.map((v) => v.sha256)).toEqual([SHA[7], SHA[8]]);
    expect(github.problems).toEqual([]);
  });
});

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHmac, generateKeyPairSync } from "node:crypto";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Server } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { startApp } from "../app/start.ts";
import { freePort } from "./helpers/free-port.ts";
import { githubApi, resetGitHubApi } from "./helpers/github-api.ts";
import { REPO_ROOT, tempDir } from "./helpers/temp-repo.ts";
import { webhookExample } from "./helpers/webhook-example.ts";

const BIN = join(REPO_ROOT, "bin/modelci-app.js");
const SECRET = "test-secret";
const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

let child: ChildProcess | undefined;
let server: Server | undefined;
afterEach(async () => {
  child?.kill("SIGTERM");
  child = undefined;
  await server?.stop();
  server = undefined;
  resetGitHubApi();
});

/** The environment `npm run app` gets; nothing from this process leaks in but PATH. */
function appEnv(port: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    APP_ID: "123",
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: SECRET,
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: "fatal",
    ...extra,
  };
}

async function waitForServer(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/ping`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return;
    await sleep(100);
  }
  throw new Error(`the App did not listen on ${port}`);
}

function deliver(port: number, event: string, payload: unknown, signature?: string): Promise<Response> {
  const body = JSON.stringify(payload);
  const signed = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
  return fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": `d-${Math.random()}`,
      "x-hub-signature-256": signature ?? signed,
    },
    body,
  });
}

describe("npm run app", () => {
  it("refuses to start in production without a webhook secret, in one line", () => {
    const env = appEnv(1, { NODE_ENV: "production" });
    delete env.WEBHOOK_SECRET;
    const result = spawnSync(process.execPath, [BIN], {
      cwd: tempDir(),
      env,
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([
      "modelci app: WEBHOOK_SECRET is not set: in production the App refuses to start, since it could not tell GitHub's deliveries from forged ones",
    ]);
  });

  it("rejects a forged delivery with a 4xx and answers a signed ping with 200", async () => {
    const port = await freePort();
    child = spawn(process.execPath, [BIN], {
      cwd: tempDir(),
      env: appEnv(port, { NODE_ENV: "production" }),
      stdio: "ignore",
    });
    await waitForServer(port);
    const ping = webhookExample("ping");
    const forged = await deliver(port, "ping", ping, `sha256=${"0".repeat(64)}`);
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect(forged.status).toBeLessThan(500);
    const unsigned = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-event": "ping", "x-github-delivery": "x" },
      body: JSON.stringify(ping),
    });
    expect(unsigned.status).toBeGreaterThanOrEqual(400);
    expect(unsigned.status).toBeLessThan(500);
    const signed = await deliver(port, "ping", ping);
    expect(signed.status).toBe(200);
  });

  it("talks to GitHub Enterprise Server at GHE_HOST's /api/v3", async () => {
    const port = await freePort();
    const api = githubApi("http://ghe.example.test/api/v3")
      .expect("POST", "/app/installations/2/access_tokens", {
        reply: [201, { token: "ghs_ghe", expires_at: "2099-01-01T00:00:00Z" }],
      })
      .expect("POST", "/repos/Codertocat/Hello-World/issues/comments/492700400/reactions", {
        body: { content: "eyes" },
        reply: [201, { id: 1 }],
      })
      .expect("POST", "/repos/Codertocat/Hello-World/issues/1/comments", {
        body: (body: { body: string }) => body.body.startsWith("modelci commands"),
        reply: [201, { id: 2 }],
      });
    server = await startApp(appEnv(port, { GHE_HOST: "ghe.example.test", GHE_PROTOCOL: "http" }));
    const payload = webhookExample("issue_comment", "created");
    (payload.comment as { id: number; body: string }).id = 492700400;
    (payload.comment as { body: string }).body = "/modelci help";
    payload.installation = { id: 2, node_id: "I" };
    const response = await deliver(port, "issue_comment", payload);
    expect(response.status).toBe(200);
    api.done();
  });
});

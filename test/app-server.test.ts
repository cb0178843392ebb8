import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHmac, generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../app/start.ts";
import { freePort } from "./helpers/free-port.ts";
import { githubApi, resetGitHubApi } from "./helpers/github-api.ts";
import { postLargeBody } from "./helpers/post-large-body.ts";
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
let server: RunningApp | undefined;
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

const MB = 1024 * 1024;

/** The App's peak resident memory so far (VmHWM), in bytes. */
function peakMemory(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kb) * 1024;
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

  it("rejects forged, oversized and malformed deliveries, and answers a signed ping", async () => {
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

    // Hostile bodies (issue 9): refused by size before they are read, signature before JSON.
    const url = `http://127.0.0.1:${port}/api/github/webhooks`;
    const headers = {
      "x-github-event": "issue_comment",
      "x-github-delivery": "forged",
      "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
    };
    const before = peakMemory(child.pid as number);
    const huge = await postLargeBody(url, { bytes: 100 * MB, headers });
    expect(huge.status).toBe(413);
    expect(peakMemory(child.pid as number) - before).toBeLessThan(20 * MB);
    const streamed = await postLargeBody(url, { bytes: 40 * MB, chunked: true, headers });
    expect(streamed.status).toBe(413);
    // Concurrent forged bodies under the cap: each is read and refused, none answered 2xx.
    const forgedMany = await Promise.all(
      Array.from({ length: 8 }, () => postLargeBody(url, { bytes: MB, headers })),
    );
    expect(forgedMany.map((answer) => answer.status)).toEqual(Array(8).fill(401));
    // A signed payload without the fields its handler reads: ignored, with no internal text.
    const empty = await deliver(port, "issue_comment", { action: "created" });
    expect(empty.status).toBe(202);
    expect(await empty.text()).toBe(
      "ignored: issue_comment payload: comment: Invalid input: expected object, received undefined\n",
    );
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

/**
 * Hostile deliveries against the App as `npm run app` runs it (a child process, so its memory is
 * its own): the time to answer a forged 100 MB body, and how far the App's peak resident memory
 * (VmHWM, Linux) grows while it does, with and without Content-Length. Targets (issue 9): under
 * 50 ms and under 30 MiB. Baseline, same run: a signed ping's round trip.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHmac, generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "../test/helpers/free-port.ts";
import { postLargeBody } from "../test/helpers/post-large-body.ts";
import { REPO_ROOT } from "../test/helpers/temp-repo.ts";

const MIB = 1024 * 1024;
const SECRET = "bench-secret";
const FORGED = 100 * MIB;
const SAMPLES = 5;

function peakBytes(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kb) * 1024;
}

async function startChild(port: number): Promise<ChildProcess> {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const child = spawn(process.execPath, [join(REPO_ROOT, "bin/modelci-app.js")], {
    env: {
      PATH: process.env.PATH,
      APP_ID: "123",
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: SECRET,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "fatal",
      NODE_ENV: "production",
    },
    stdio: "ignore",
  });
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(`http://127.0.0.1:${port}/ping`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return child;
    await sleep(100);
  }
  child.kill("SIGTERM");
  throw new Error("the App did not start");
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

export async function benchForgedBodies(): Promise<Record<string, number>> {
  const port = await freePort();
  const child = await startChild(port);
  const pid = child.pid as number;
  const url = `http://127.0.0.1:${port}/api/github/webhooks`;
  const headers = {
    "x-github-event": "issue_comment",
    "x-github-delivery": "forged",
    "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
  };
  try {
    const pings: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const body = JSON.stringify({ zen: "ping" });
      const started = performance.now();
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "x-github-event": "ping",
          "x-github-delivery": `p${i}`,
          "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
        },
        body,
      });
      await response.arrayBuffer();
      pings.push(performance.now() - started);
    }
    const figures: Record<string, number> = { "signed ping ms (baseline)": round(median(pings), 2) };
    // One forged delivery of each kind first, so the figures are each body's cost, not the App's
    // warm-up (its heap grows once, by about 30 MiB, whichever request comes first).
    for (const chunked of [false, true]) await postLargeBody(url, { bytes: FORGED, chunked, headers });
    for (const chunked of [false, true]) {
      const label = chunked ? "forged 100 MB, chunked" : "forged 100 MB, Content-Length";
      const before = peakBytes(pid);
      const times: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const started = performance.now();
        const answer = await postLargeBody(url, { bytes: FORGED, chunked, headers });
        times.push(performance.now() - started);
        if (answer.status !== 413) throw new Error(`${label}: answered ${answer.status}, not 413`);
      }
      figures[`${label}: ms to 413 (median)`] = round(median(times), 2);
      figures[`${label}: peak RSS growth MiB`] = round((peakBytes(pid) - before) / MIB);
    }
    console.log("  targets: a forged 100 MB body answered in under 50 ms, peak memory growth under 30 MiB");
    return figures;
  } finally {
    child.kill("SIGTERM");
  }
}

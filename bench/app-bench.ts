/**
 * The promotion gate App end to end, with GitHub on loopback (serve-loopback-github.ts): the App
 * runs in this process as `npm run app` runs it (startApp: the App's HTTP front, signature
 * verification, GHE_HOST pointing at the fake), and gets signed deliveries over HTTP.
 *
 * - Requests per evaluation of a typical promotion (8 to production, approved by bob through
 *   @acme/forecasting), by kind, cold (the first evaluation) and warm (again after a review).
 * - Gate latency: from POSTing the delivery to the check run's write arriving at the fake, median
 *   and p95. Cold: each sample starts a fresh App (empty caches, no installation token), so nothing
 *   it learnt before helps; a new head commit on a running App would still find the base's tree,
 *   blobs and history cached. Warm: `pull_request_review` deliveries on one running App after its
 *   first evaluation.
 * - Hostile deliveries (app-forged-bench.ts): a forged 100 MB body's time to 413 and the App's
 *   peak memory growth, against targets of 50 ms and 30 MiB.
 * - The baseline, measured in the same run: a signed `ping` delivery's round trip (HTTP handling
 *   and signature verification only), and the gate's latency as a multiple of it.
 *
 * Probot's default Octokit throttles every write and every GraphQL query through one limiter per
 * installation (@octokit/plugin-throttling: one at a time, at least 1 s apart), so a cold evaluation
 * as shipped has two such gaps in it (query, query, check run); a warm one reads through REST GETs
 * and writes only the check run. Samples as shipped are spaced so each starts with
 * the limiter idle, as a lone webhook would. The same figures with throttling off give the App's
 * own cost.
 */
import { createHmac, generateKeyPairSync } from "node:crypto";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { ProbotOctokit } from "probot";
import { startApp } from "../app/start.ts";
import { appRepo } from "../test/helpers/app-repo.ts";
import { freePort } from "../test/helpers/free-port.ts";
import { NUMBER, pullRequestEvent, review, reviewEvent } from "../test/helpers/gate-scenario.ts";
import type { GitHubWorld, RestReview } from "../test/helpers/git-graphql-root.ts";
import type { PromotionRepo } from "../test/helpers/promotion-repo.ts";
import { webhookExample } from "../test/helpers/webhook-example.ts";
import { benchForgedBodies } from "./app-forged-bench.ts";
import {
  type CheckWrite,
  type LoopbackGitHub,
  type RequestCounts,
  serveLoopbackGitHub,
} from "./serve-loopback-github.ts";

/** Samples per figure with throttling off, and as shipped (each of those takes over 2 s). */
const SAMPLES = 30;
const SHIPPED_SAMPLES = 8;
/** Probot's write limiter spaces writes and GraphQL queries this far apart (minTime). */
const THROTTLE_GAP_MS = 1000;

const APP_ID = 123;
const SECRET = "bench-secret";
const FULL_NAME = "Codertocat/Hello-World";
const TEAM = "@acme/forecasting";
const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

/** Probot's Octokit with the throttling plugin off (retries stay as shipped). */
const UNTHROTTLED = ProbotOctokit.defaults((instance: object) => ({
  ...instance,
  throttle: { enabled: false },
}));

type Variant = "shipped" | "unthrottled";

interface RunningApp {
  url: string;
  stop(): Promise<void>;
}

/** Starts the App against the fake, the way `npm run app` does (or with throttling off). */
async function startBenchApp(github: LoopbackGitHub, variant: Variant): Promise<RunningApp> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    APP_ID: String(APP_ID),
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: SECRET,
    PORT: String(port),
    HOST: "127.0.0.1",
    GHE_HOST: github.host,
    GHE_PROTOCOL: "http",
    LOG_LEVEL: "fatal",
    LOG_FORMAT: "json",
    NODE_ENV: "production",
  };
  const server = await startApp(env, variant === "shipped" ? {} : { Octokit: UNTHROTTLED });
  return {
    url: `http://127.0.0.1:${server.port}/api/github/webhooks`,
    stop: () => server.stop(),
  };
}

let deliveries = 0;

/** POSTs a delivery signed with the webhook secret; resolves when the App has answered. */
async function deliver(app: RunningApp, event: string, payload: unknown): Promise<number> {
  const body = JSON.stringify(payload);
  const response = await fetch(app.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": `bench-${++deliveries}`,
      "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
    },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

interface Sample {
  ms: number;
  requests: RequestCounts;
  fakeMs: number;
}

function difference(after: RequestCounts, before: RequestCounts): RequestCounts {
  const kinds = Object.keys(after) as (keyof RequestCounts)[];
  return Object.fromEntries(kinds.map((kind) => [kind, after[kind] - before[kind]])) as RequestCounts;
}

/** One evaluation: the delivery, until the check run is written; what it asked GitHub for. */
async function evaluate(
  app: RunningApp,
  github: LoopbackGitHub,
  repo: PromotionRepo,
  event: { name: string; payload: unknown },
): Promise<Sample> {
  const before = github.counts();
  const busy = github.busyMs;
  const written = github.nextCheck();
  const start = performance.now();
  const status = await deliver(app, event.name, event.payload);
  const check = await written;
  if (status !== 200) throw new Error(`the App answered the ${event.name} delivery with ${status}`);
  expectApproved(check, repo, github);
  return {
    ms: check.at - start,
    requests: difference(github.counts(), before),
    fakeMs: github.busyMs - busy,
  };
}

function expectApproved(check: CheckWrite, repo: PromotionRepo, github: LoopbackGitHub): void {
  if (github.problems.length > 0)
    throw new Error(`the loopback GitHub saw problems:\n  ${github.problems.join("\n  ")}`);
  const { name, head_sha, conclusion, output } = check.body;
  if (name !== "modelci/promotion" || head_sha !== repo.head || conclusion !== "success") {
    throw new Error(
      `expected a successful modelci/promotion check on ${repo.head}, got ${name} on ${head_sha}: ${conclusion}, ${output?.title}\n${output?.summary}`,
    );
  }
}

/** The requests of every sample, which must all be the same. */
function requestsOf(samples: Sample[], what: string): RequestCounts {
  const first = samples[0]?.requests;
  if (first === undefined) throw new Error(`no ${what} samples`);
  for (const sample of samples) {
    if (JSON.stringify(sample.requests) !== JSON.stringify(first))
      throw new Error(
        `${what} evaluations asked different requests: ${JSON.stringify(first)} vs ${JSON.stringify(sample.requests)}`,
      );
  }
  return first;
}

/** Waits until Probot's write limiter is idle: the last write (a check run) is a gap in the past. */
async function limiterIdle(github: LoopbackGitHub): Promise<void> {
  const last = github.checks.at(-1)?.at ?? Number.NEGATIVE_INFINITY;
  const wait = last + THROTTLE_GAP_MS + 50 - performance.now();
  if (wait > 0) await sleep(wait);
}

/** Cold: a fresh App per sample (after one unmeasured, to warm Node up). */
async function coldSamples(
  github: LoopbackGitHub,
  repo: PromotionRepo,
  variant: Variant,
  count: number,
): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let i = -1; i < count; i++) {
    const app = await startBenchApp(github, variant);
    try {
      if (variant === "shipped") await limiterIdle(github);
      const sample = await evaluate(app, github, repo, pullRequestEvent(repo));
      if (i >= 0) samples.push(sample);
    } finally {
      await app.stop();
    }
  }
  return samples;
}

/** Warm: one App, evaluated once on the pull request, then once per review delivery. */
async function warmSamples(
  github: LoopbackGitHub,
  repo: PromotionRepo,
  variant: Variant,
  count: number,
): Promise<{ samples: Sample[]; ping: number[] }> {
  const app = await startBenchApp(github, variant);
  try {
    await evaluate(app, github, repo, pullRequestEvent(repo));
    const samples: Sample[] = [];
    for (let i = -1; i < count; i++) {
      if (variant === "shipped") await limiterIdle(github);
      const sample = await evaluate(app, github, repo, reviewEvent(repo));
      if (i >= 0) samples.push(sample);
    }
    // The baseline: a signed ping, which the App verifies and acknowledges and nothing else.
    const ping: number[] = [];
    const payload = webhookExample("ping");
    for (let i = -1; i < count; i++) {
      const before = github.counts();
      const start = performance.now();
      const status = await deliver(app, "ping", payload);
      const ms = performance.now() - start;
      if (status !== 200) throw new Error(`the App answered a signed ping with ${status}`);
      const asked = difference(github.counts(), before);
      if (Object.values(asked).some((n) => n > 0))
        throw new Error(`a ping asked GitHub for ${JSON.stringify(asked)}`);
      if (i >= 0) ping.push(ms);
    }
    const forged = await fetch(app.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "ping",
        "x-github-delivery": "bench-forged",
        "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
      },
      body: JSON.stringify(payload),
    });
    await forged.arrayBuffer();
    if (forged.status < 400 || forged.status >= 500)
      throw new Error(`the App answered a forged delivery with ${forged.status}: is the signature checked?`);
    return { samples, ping };
  } finally {
    await app.stop();
  }
}

/** The nearest-rank percentile `p` (0–100) of `values`. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const round = (ms: number, digits = 1): number => Number(ms.toFixed(digits));

function latency(prefix: string, suffix: string, samples: number[]): Record<string, number> {
  return {
    [`${prefix} median ms${suffix}`]: round(percentile(samples, 50)),
    [`${prefix} p95 ms${suffix}`]: round(percentile(samples, 95)),
  };
}

function requestFigures(when: string, requests: RequestCounts): Record<string, number> {
  return {
    [`requests ${when}: reads (total)`]: requests.rest + requests.graphql,
    [`requests ${when}: REST`]: requests.rest,
    [`requests ${when}: GraphQL`]: requests.graphql,
    [`requests ${when}: installation token`]: requests.token,
    [`requests ${when}: check run write`]: requests.check,
  };
}

export async function benchApp(): Promise<Record<string, number>> {
  const repo = appRepo();
  const approved = review("bob", "APPROVED", repo.head) as RestReview;
  const world: GitHubWorld = {
    reviews: new Map([[NUMBER, [approved]]]),
    members: new Map([[TEAM, new Set(["bob"])]]),
    commitPulls: new Map(),
    hiddenOrgs: new Set(),
    pullCommits: new Map(),
  };
  const github = await serveLoopbackGitHub({
    dir: repo.dir,
    world,
    pulls: new Map([[NUMBER, { base: repo.base, head: repo.head }]]),
    fullName: FULL_NAME,
  });
  try {
    const cold = await coldSamples(github, repo, "unthrottled", SAMPLES);
    const warm = await warmSamples(github, repo, "unthrottled", SAMPLES);
    const shippedCold = await coldSamples(github, repo, "shipped", SHIPPED_SAMPLES);
    const shippedWarm = await warmSamples(github, repo, "shipped", SHIPPED_SAMPLES);
    const coldRequests = requestsOf([...cold, ...shippedCold], "cold");
    const warmRequests = requestsOf([...warm.samples, ...shippedWarm.samples], "warm");
    if (github.problems.length > 0)
      throw new Error(`the loopback GitHub saw problems:\n  ${github.problems.join("\n  ")}`);

    const ms = (samples: Sample[]) => samples.map((s) => s.ms);
    const fakeMs = (samples: Sample[]) => samples.map((s) => s.fakeMs);
    const ping = [...warm.ping, ...shippedWarm.ping];
    const pingMedian = percentile(ping, 50);
    const ratio = (samples: Sample[]) => round(percentile(ms(samples), 50) / pingMedian);
    return {
      ...requestFigures("cold", coldRequests),
      ...requestFigures("warm", warmRequests),
      ...latency("ping", "", ping),
      ...latency("gate cold", "", ms(shippedCold)),
      ...latency("gate warm", "", ms(shippedWarm.samples)),
      "ratio cold/ping": ratio(shippedCold),
      "ratio warm/ping": ratio(shippedWarm.samples),
      ...latency("gate cold", ", throttle off", ms(cold)),
      ...latency("gate warm", ", throttle off", ms(warm.samples)),
      "ratio cold/ping, throttle off": ratio(cold),
      "ratio warm/ping, throttle off": ratio(warm.samples),
      "fake GitHub ms per cold evaluation": round(percentile(fakeMs(cold), 50), 2),
      "fake GitHub ms per warm evaluation": round(percentile(fakeMs(warm.samples), 50), 2),
      "samples, throttle off": SAMPLES,
      "samples as shipped": SHIPPED_SAMPLES,
      ...(await benchForgedBodies()),
    };
  } finally {
    await github.close();
  }
}

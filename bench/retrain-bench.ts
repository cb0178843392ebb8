/**
 * Retraining pull requests: GitHub requests to open one for a failed drift check, and to find
 * there is nothing to do (the same drift the next night), with GitHub on a loopback HTTP server that
 * answers like GitHub (GraphQL against GitHub's published schema over the same world the tests use).
 * Targets: ≤ 8 and ≤ 3. Also the App's own time per decision, against a bare delivery (a drift
 * run's `workflow_run` for a workflow without a drift check run) as the baseline.
 */
import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { Probot, ProbotOctokit } from "probot";
import { createApp } from "../app/index.ts";
import { renderDriftResultBlock } from "../core/retrain/read-drift-check.ts";
import { executeGitHubGraphql } from "../test/helpers/github-graphql.ts";
import { createWorld, graphqlRoot, type World } from "../test/helpers/retrain-world.ts";
import { webhookExample } from "../test/helpers/webhook-example.ts";

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

const DRIFT = {
  target: "production",
  models: {
    weather: {
      version: 1,
      dataset: { verdict: "drift", drifted: 2, share: 0.5 },
      features: {
        temp_max: { method: "ks", drifted: true, ks_statistic: 0.31, ks_p_value: 0.0001 },
        temp_min: { method: "ks", drifted: true, ks_statistic: 0.22, ks_p_value: 0.004 },
      },
    },
  },
};

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
}

/** The answers GitHub would give to the App's retraining requests; counts every request. */
async function answer(world: World, method: string, path: string, body: Record<string, unknown>) {
  world.requests++;
  const repo = "/repos/Codertocat/Hello-World";
  if (path.endsWith("/access_tokens")) return [201, { token: "t", expires_at: "2099-01-01T00:00:00Z" }];
  if (path === "/graphql") return [200, await executeGitHubGraphql(body, graphqlRoot(world))];
  if (path.startsWith(`${repo}/check-suites/`))
    return [
      200,
      {
        total_count: 1,
        check_runs: [{ id: 1, name: "modelci/drift", output: { text: world.files.get("drift") ?? "" } }],
      },
    ];
  if (path === `${repo}/pulls` && method === "POST") {
    const url = "https://github.com/Codertocat/Hello-World/pull/1";
    world.pulls.push({
      number: 1,
      url,
      state: "OPEN",
      createdAt: world.now().toISOString(),
      body: String(body.body),
      headRefOid: "d".repeat(40),
      headRefName: String(body.head),
      title: String(body.title),
      labels: [],
      reviewers: [],
      teams: [],
    });
    return [201, { number: 1, html_url: url }];
  }
  if (path.endsWith("/git/trees")) return [201, { sha: "t".repeat(40) }];
  if (path.endsWith("/git/commits")) return [201, { sha: "d".repeat(40) }];
  if (path.includes("/git/refs")) return [201, { ref: "r" }];
  if (path.endsWith("/requested_reviewers")) return [201, {}];
  if (path.endsWith("/labels")) return [200, []];
  return [404, { message: `not in the bench: ${method} ${path}` }];
}

function delivery(id: string) {
  const payload = webhookExample("workflow_run", "completed");
  const run = payload.workflow_run as Record<string, unknown>;
  run.conclusion = "failure";
  run.head_branch = "main";
  run.path = ".github/workflows/ci.yml";
  (payload.repository as { default_branch: string }).default_branch = "main";
  payload.installation = { id: 2, node_id: "I" };
  return { id, name: "workflow_run" as const, payload: payload as never };
}

export async function benchRetrain(): Promise<Record<string, number>> {
  const model = (await import("node:fs")).readFileSync("examples/weather/models/weather/model.yaml", "utf8");
  const now = new Date("2026-03-04T06:00:00Z");
  const world = createWorld({ "models/weather/model.yaml": model }, () => now);
  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    readBody(request)
      .then((body) => answer(world, request.method ?? "GET", path, body))
      .then(([status, json]) => {
        response.writeHead(status as number, { "content-type": "application/json" });
        response.end(JSON.stringify(json));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const probot = new Probot({
    appId: 123,
    privateKey,
    baseUrl: `http://127.0.0.1:${port}`,
    logLevel: "fatal" as never,
    Octokit: ProbotOctokit.defaults((instance: object) => ({
      ...instance,
      retry: { enabled: false },
      throttle: { enabled: false },
    })),
  });
  await probot.load(createApp({ appId: 123, now: () => now }));
  // The fake's own warm-up (building GitHub's GraphQL schema) is not the App's time.
  await executeGitHubGraphql({ query: "{ viewer { login } }" }, {});
  try {
    // Token first, so the counts below are the decision's own.
    world.files.set("drift", "no result");
    await probot.receive(delivery("warm"));
    world.files.set("drift", renderDriftResultBlock(DRIFT));
    let before = world.requests;
    let started = performance.now();
    await probot.receive(delivery("open"));
    const openMs = performance.now() - started;
    const open = world.requests - before;
    before = world.requests;
    started = performance.now();
    await probot.receive(delivery("again"));
    const nothingMs = performance.now() - started;
    const nothing = world.requests - before;
    world.files.set("drift", "no result");
    const bare: number[] = [];
    for (let i = 0; i < 20; i++) {
      started = performance.now();
      await probot.receive(delivery(`bare-${i}`));
      bare.push(performance.now() - started);
    }
    bare.sort((a, b) => a - b);
    const baseline = bare[Math.floor(bare.length / 2)] ?? 1;
    return {
      "retrain open: GitHub requests (≤ 8)": open,
      "retrain nothing to do: requests (≤ 3)": nothing,
      "retrain open: ms, loopback GitHub": Math.round(openMs * 10) / 10,
      "retrain nothing to do: ms": Math.round(nothingMs * 10) / 10,
      "baseline: not a drift run, ms (median)": Math.round(baseline * 100) / 100,
      "retrain open / baseline": Math.round((openMs / baseline) * 10) / 10,
    };
  } finally {
    server.close();
  }
}

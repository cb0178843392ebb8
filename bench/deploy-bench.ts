/**
 * The deploy of one changed target, in process, against GitHub's Deployments API on loopback (the
 * test stub, which checks every request against GitHub's OpenAPI description):
 * - GitHub requests per target deploy: when the job's `environment:` already created the
 *   deployment, when the Action creates it, on a re-run, on the next push (one compare with the
 *   deployed commit) and on a re-run of an older push (skipped) (aim: at most 5);
 * - time from the push (runDeploy called with before/after) to the driver's start, excluding
 *   the artifact download, median of 5, against one `git rev-parse` measured in the same run.
 */
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { runDeploy } from "../adapters/deploy/run-deploy.ts";
import { createOctokit } from "../adapters/github/create-octokit.ts";
import type { DeployDriver } from "../core/deploy/deploy-driver.ts";
import { changeTarget, deployRepo } from "../test/helpers/deploy-repo.ts";
import { FakeGitHubDeployments } from "../test/helpers/fake-github-deployments.ts";

const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export async function benchDeploy(): Promise<Record<string, number>> {
  const repo = deployRepo();
  const after = changeTarget(repo.dir, "production", "{ weather: { version: 2 } }");
  let driverStartedAt = 0;
  const driver: DeployDriver = {
    async deploy() {
      driverStartedAt = performance.now();
      return {};
    },
  };
  // The next push: compared with the deployed `after` (one more request).
  const next = changeTarget(repo.dir, "production", "{ weather: { version: 1 } }");
  const once = async (github: FakeGitHubDeployments, push = { before: repo.base, after }) => {
    github.gitDir = repo.dir;
    const started = performance.now();
    const run = await runDeploy({
      dir: repo.dir,
      before: push.before,
      after: push.after,
      env: { PATH: process.env.PATH ?? "" },
      log: () => {},
      error: (line) => console.error(line),
      driver,
      github: {
        octokit: createOctokit({ token: "bench", baseUrl: github.baseUrl, retries: 0 }),
        owner: "acme",
        repo: "weather",
        logUrl: "https://github.example/acme/weather/actions/runs/1",
        driver: { owner: "acme", repo: "weather", token: "bench", baseUrl: github.baseUrl },
      },
    });
    const fetchMs = run.outcomes[0] && "fetchMs" in run.outcomes[0] ? (run.outcomes[0].fetchMs ?? 0) : 0;
    if (github.problems.length > 0) throw new Error(`GitHub stub refused: ${github.problems.join("; ")}`);
    return { toDriverMs: driverStartedAt - started - fetchMs, requests: github.requests.length };
  };

  const times: number[] = [];
  let withJob = 0;
  let created = 0;
  let rerun = 0;
  let nextWithJob = 0;
  let nextCreated = 0;
  let stale = 0;
  for (let i = 0; i < RUNS; i++) {
    const github = await new FakeGitHubDeployments().start();
    try {
      github.seedJobDeployment(after, "production");
      const first = await once(github);
      times.push(first.toDriverMs);
      withJob = first.requests;
      github.seedJobDeployment(after, "production");
      const before = github.requests.length;
      await once(github);
      rerun = github.requests.length - before;
      github.seedJobDeployment(next, "production");
      const beforeNext = github.requests.length;
      await once(github, { before: after, after: next });
      nextWithJob = github.requests.length - beforeNext;
      // Someone re-runs the first push's workflow: skipped, nothing deployed.
      github.seedJobDeployment(after, "production");
      const beforeStale = github.requests.length;
      await once(github);
      stale = github.requests.length - beforeStale;
    } finally {
      await github.stop();
    }
    const fresh = await new FakeGitHubDeployments().start();
    try {
      created = (await once(fresh)).requests;
      const beforeNext = fresh.requests.length;
      await once(fresh, { before: after, after: next });
      nextCreated = fresh.requests.length - beforeNext;
    } finally {
      await fresh.stop();
    }
  }
  const gitTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    execFileSync("git", ["rev-parse", "HEAD"], { cwd: repo.dir });
    gitTimes.push(performance.now() - started);
  }
  const toDriver = median(times);
  const git = median(gitTimes);
  return {
    "github requests, job's deployment": withJob,
    "github requests, deployment created": created,
    "github requests, re-run (nothing)": rerun,
    "github requests, next push, job's deployment (+compare)": nextWithJob,
    "github requests, next push, deployment created (+compare)": nextCreated,
    "github requests, re-run of an older push (skipped)": stale,
    "push → driver start ms (median)": Math.round(toDriver),
    "one git rev-parse ms (baseline)": Math.round(git * 10) / 10,
    "ratio to one git call": Math.round((toDriver / git) * 10) / 10,
  };
}

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runDeploy } from "../adapters/deploy/run-deploy.ts";
import { createOctokit } from "../adapters/github/create-octokit.ts";
import type { DeployDriver, DeployRequest } from "../core/deploy/deploy-driver.ts";
import { judgeCommitOrder } from "../core/deploy/judge-commit-order.ts";
import { changeTarget, deployRepo } from "./helpers/deploy-repo.ts";
import { FakeGitHubDeployments } from "./helpers/fake-github-deployments.ts";
import { runActionAsync } from "./helpers/run-action.ts";
import { git, STACK_TRACE, tempDir } from "./helpers/temp-repo.ts";

let github: FakeGitHubDeployments;
beforeEach(async () => {
  github = await new FakeGitHubDeployments().start();
});
afterEach(async () => {
  await github.stop();
});

const served: DeployRequest[] = [];
const driver: DeployDriver = {
  async deploy(request) {
    served.push(request);
    return {};
  },
};

/** One deploy job, in process, against the fake GitHub; returns its single outcome and request count. */
async function deployJob(
  dir: string,
  push: { before?: string; after: string },
  options: { job?: boolean; dispatch?: boolean; allowOlder?: boolean } = {},
) {
  if (options.job !== false) github.seedJobDeployment(push.after, "production");
  const requests = github.requests.length;
  const lines: string[] = [];
  const run = await runDeploy({
    dir,
    before: push.before,
    after: push.after,
    only: "production",
    env: { PATH: process.env.PATH ?? "" },
    log: (line) => lines.push(line),
    error: (line) => lines.push(`error: ${line}`),
    force: options.dispatch === true,
    allowOlder: options.allowOlder === true,
    driver,
    github: {
      octokit: createOctokit({ token: "t", baseUrl: github.baseUrl, retries: 0 }),
      owner: "acme",
      repo: "weather",
      driver: { owner: "acme", repo: "weather", token: "t", baseUrl: github.baseUrl },
    },
  });
  expect(github.problems).toEqual([]);
  expect(run.outcomes).toHaveLength(1);
  return { outcome: run.outcomes[0], requests: github.requests.slice(requests), log: lines.join("\n") };
}

const latestState = (id: number) => github.deployments.find((d) => d.id === id)?.statuses.at(-1)?.state;
const versionsOf = (r: DeployRequest | undefined) => r?.models.map((m) => m.versions.map((v) => v.version));

describe("deploy: a re-run of an older push never rolls production back", () => {
  it("skips the old push's re-run, deploys the next push, refuses diverged and deploys older on purpose", async () => {
    served.length = 0;
    const repo = deployRepo();
    github.gitDir = repo.dir;
    const old = changeTarget(repo.dir, "production", "{ weather: { version: 2 } }");
    const newer = changeTarget(repo.dir, "production", "{ weather: { version: 1 } }");
    const short = (sha: string) => sha.slice(0, 7);

    // Push 1 deploys weather 2: nothing deployed before, so no compare.
    const first = await deployJob(repo.dir, { before: repo.base, after: old });
    expect(first.outcome).toMatchObject({ state: "success", result: "deployed" });
    expect(first.requests).toHaveLength(3);
    const oldDeployment = github.deployments.at(-1)?.id ?? 0;

    // Push 2 (the normal next push): the deployed commit is behind it, so it deploys: one compare.
    const second = await deployJob(repo.dir, { before: old, after: newer });
    expect(second.outcome).toMatchObject({ state: "success", result: "deployed" });
    expect(second.requests.filter((r) => r.includes("/compare/"))).toEqual([
      `GET /repos/acme/weather/compare/${newer}...${old}`,
    ]);
    expect(second.requests.length).toBeLessThanOrEqual(5);
    const newerDeployment = github.deployments.at(-1)?.id ?? 0;
    expect(versionsOf(served.at(-1))).toEqual([[1]]);

    // Someone re-runs push 1's workflow: nothing deploys, the job does not fail, newer stays active.
    const calls = served.length;
    const rerun = await deployJob(repo.dir, { before: repo.base, after: old });
    const skipped = `Skipped: a newer commit ${short(newer)} is already deployed to production (deployment ${newerDeployment}); this run is for ${short(old)}.`;
    expect(rerun.outcome).toMatchObject({ state: "success", result: "skipped-older" });
    expect(rerun.outcome?.description).toContain(skipped);
    expect(rerun.log).toContain(skipped);
    expect(served).toHaveLength(calls);
    expect(latestState(newerDeployment)).toBe("success");
    expect(latestState(github.deployments.at(-1)?.id ?? 0)).toBe("inactive");
    expect(rerun.requests.length).toBeLessThanOrEqual(5);

    // Without a job deployment the skip creates none.
    const count = github.deployments.length;
    const bare = await deployJob(repo.dir, { before: repo.base, after: old }, { job: false });
    expect(bare.outcome).toMatchObject({ result: "skipped-older" });
    expect(github.deployments).toHaveLength(count);

    // A dispatch of the older commit without the opt-in is refused (the job fails)…
    const refused = await deployJob(repo.dir, { after: old }, { dispatch: true });
    expect(refused.outcome).toMatchObject({ state: "failure", result: "refused" });
    expect(refused.outcome?.description).toContain("allow-older: true");
    expect(served).toHaveLength(calls);
    expect(latestState(github.deployments.at(-1)?.id ?? 0)).toBe("error");

    // …and with it deploys weather 2 again, without asking for a compare.
    const dispatched = await deployJob(repo.dir, { after: old }, { dispatch: true, allowOlder: true });
    expect(dispatched.outcome).toMatchObject({ state: "success", result: "deployed" });
    expect(dispatched.requests.some((r) => r.includes("/compare/"))).toBe(false);
    expect(versionsOf(served.at(-1))).toEqual([[2]]);
    expect(latestState(newerDeployment)).toBe("inactive");
    expect(oldDeployment).not.toBe(newerDeployment);

    // A push on a history that diverged from the deployed commit is a conflict: refused.
    git(repo.dir, "checkout", "-q", "-b", "side", repo.base);
    const side = changeTarget(
      repo.dir,
      "production",
      "{ weather: { version: 2 } }",
      "{ kind: command, run: node scripts/deploy.js production, timeout-minutes: 2 }",
    );
    const diverged = await deployJob(repo.dir, { before: repo.base, after: side });
    expect(diverged.outcome).toMatchObject({ state: "failure", result: "refused" });
    expect(diverged.outcome?.description).toMatch(
      new RegExp(
        `^Refused: ${short(side)} and the deployed ${short(old)} \\(deployment \\d+\\) have diverged`,
      ),
    );
    expect(served).toHaveLength(calls + 1);
  });

  it("the bundled Action: a stale push re-run exits 0 with result skipped-older; a dispatch with allow-older deploys", async () => {
    const repo = deployRepo();
    github.gitDir = repo.dir;
    const old = changeTarget(repo.dir, "production", "{ weather: { version: 2 } }");
    const newer = changeTarget(repo.dir, "production", "{ weather: { version: 1 } }");
    const deployed = github.seedJobDeployment(newer, "production");
    deployed.statuses.push({ id: 1, state: "success", description: "Deployed weather 1" });
    const action = (event: string, payload: object, inputs: Record<string, string> = {}) => {
      const eventPath = join(tempDir(), "event.json");
      writeFileSync(eventPath, JSON.stringify(payload));
      github.seedJobDeployment(old, "production");
      return runActionAsync(
        "deploy",
        { "github-token": "t", target: "production", ...inputs },
        {
          cwd: repo.dir,
          env: {
            GITHUB_API_URL: github.baseUrl,
            GITHUB_REPOSITORY: "acme/weather",
            GITHUB_EVENT_NAME: event,
            GITHUB_EVENT_PATH: eventPath,
            GITHUB_SHA: old,
          },
        },
      );
    };
    const rerun = await action("push", { before: repo.base, after: old });
    expect(rerun.stderr).not.toMatch(STACK_TRACE);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain(`::warning::production: Skipped: a newer commit ${newer.slice(0, 7)}`);
    expect(JSON.parse(rerun.outputs.result ?? "")).toEqual([
      expect.objectContaining({ target: "production", state: "success", result: "skipped-older" }),
    ]);
    const dispatch = await action("workflow_dispatch", { ref: "refs/heads/main" }, { "allow-older": "true" });
    expect(dispatch.code).toBe(0);
    expect(JSON.parse(dispatch.outputs.result ?? "")).toEqual([
      expect.objectContaining({ result: "deployed", description: "Deployed weather 2" }),
    ]);
    expect(github.states(deployed)).toEqual(["success", "inactive"]);
    expect(github.problems).toEqual([]);
  });
});

describe("judgeCommitOrder", () => {
  const input = {
    target: "production",
    environment: "production",
    commit: "e4f5a6b0000",
    deployed: { id: 812, sha: "1a2b3c40000" },
  };
  it("deploys a commit that contains the deployed one; skips an older push; refuses an older dispatch or diverged", () => {
    expect(judgeCommitOrder({ ...input, order: "behind", dispatch: false })).toEqual({ action: "deploy" });
    expect(judgeCommitOrder({ ...input, order: "identical", dispatch: false })).toEqual({ action: "deploy" });
    expect(judgeCommitOrder({ ...input, order: "ahead", dispatch: false })).toEqual({
      action: "skip",
      message:
        "Skipped: a newer commit 1a2b3c4 is already deployed to production (deployment 812); this run is for e4f5a6b. Re-run the latest push, or dispatch the workflow with allow-older: true to deploy this commit on purpose.",
    });
    expect(judgeCommitOrder({ ...input, order: "ahead", dispatch: true })).toMatchObject({
      action: "refuse",
    });
    expect(judgeCommitOrder({ ...input, order: "diverged", dispatch: false })).toMatchObject({
      action: "refuse",
      message: expect.stringMatching(
        /^Refused: e4f5a6b and the deployed 1a2b3c4 \(deployment 812\) have diverged/,
      ),
    });
  });
});

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { changeTarget, deployRepo, driverCalls } from "./helpers/deploy-repo.ts";
import { FakeGitHubDeployments } from "./helpers/fake-github-deployments.ts";
import { runActionAsync } from "./helpers/run-action.ts";
import { STACK_TRACE, tempDir } from "./helpers/temp-repo.ts";

let github: FakeGitHubDeployments;
beforeEach(async () => {
  github = await new FakeGitHubDeployments().start();
});
afterEach(async () => {
  await github.stop();
});

/** Runs the bundled Action for a push from `before` to `after`, as the runner would. */
function deployAction(dir: string, before: string, after: string, inputs: Record<string, string> = {}) {
  const eventPath = join(tempDir(), "event.json");
  writeFileSync(eventPath, JSON.stringify({ ref: "refs/heads/main", before, after }));
  return runActionAsync(
    "deploy",
    { "github-token": "test-token", ...inputs },
    {
      cwd: dir,
      env: {
        GITHUB_API_URL: github.baseUrl,
        GITHUB_REPOSITORY: "acme/weather",
        GITHUB_EVENT_NAME: "push",
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_SHA: after,
        GITHUB_RUN_ID: "77",
        GITHUB_SERVER_URL: "https://github.example",
      },
    },
  );
}

describe("actions/deploy (the bundled dist) against a GitHub-compatible API", () => {
  it("plans, deploys the changed target into its job's deployment, and does nothing on a re-run", async () => {
    const repo = deployRepo();
    const after = changeTarget(repo.dir, "production", "{ weather: { version: 2 } }");

    const plan = await deployAction(repo.dir, repo.base, after, { "plan-only": "true" });
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.outputs.targets ?? "")).toEqual({
      include: [{ target: "production", environment: "production" }],
    });
    expect(github.requests).toEqual([]);

    // The job has `environment: production`, so GitHub created its deployment before the step ran.
    const job = github.seedJobDeployment(after, "production");
    const first = await deployAction(repo.dir, repo.base, after, { target: "production" });
    expect(first.stderr).not.toMatch(STACK_TRACE);
    expect(first.code).toBe(0);
    expect(github.deployments).toHaveLength(1);
    expect(github.states(job)).toEqual(["in_progress", "success"]);
    expect(job.statuses[1]).toMatchObject({
      description: "Deployed weather 2",
      log_url: "https://github.example/acme/weather/actions/runs/77",
      environment: "production",
      auto_inactive: true,
    });
    expect(readFileSync(join(repo.dir, "served/production/deploy.log"), "utf8")).toMatch(/weather 2 \(100%/);
    expect(github.requests.length).toBeLessThanOrEqual(5);
    expect(JSON.parse(first.outputs.result ?? "")).toEqual([
      expect.objectContaining({ target: "production", state: "success", result: "deployed" }),
    ]);

    // A re-run of the same push: GitHub creates another job deployment; nothing deploys again.
    const rerunJob = github.seedJobDeployment(after, "production");
    const again = await deployAction(repo.dir, repo.base, after, { target: "production" });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`Already deployed at ${after.slice(0, 7)} (deployment ${job.id})`);
    expect(
      readFileSync(join(repo.dir, "served/production/deploy.log"), "utf8").trim().split("\n"),
    ).toHaveLength(1);
    expect(github.states(rerunJob)).toEqual(["success"]);
    expect(github.problems).toEqual([]);
  });

  it("creates the deployment itself when the job has none; a failing driver rolls back and fails the job", async () => {
    const repo = deployRepo("node scripts/test-driver.js fail-new");
    const after = changeTarget(repo.dir, "production", "{ weather: { version: 2 } }");
    const result = await deployAction(repo.dir, repo.base, after);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("::error::production: Rolled back to weather 1");
    expect(github.deployments).toHaveLength(1);
    const [deployment] = github.deployments;
    expect(deployment?.body).toMatchObject({
      ref: after,
      environment: "production",
      auto_merge: false,
      required_contexts: [],
    });
    expect(github.states(deployment as never)).toEqual(["in_progress", "failure"]);
    const final = deployment?.statuses[1] as { description: string };
    expect(final.description).toMatch(/^Rolled back to weather 1: deploy of weather 2 failed/);
    expect(final.description.length).toBeLessThanOrEqual(140);
    // The previous version is what is deployed now.
    expect(driverCalls(repo.dir).map((c) => c.MODELCI_MODEL_WEATHER_VERSION)).toEqual(["2", "1"]);
    expect(readFileSync(join(repo.dir, "served/production/deploy.log"), "utf8")).toMatch(
      /rollback production .*weather 1 /,
    );
    expect(github.requests.length).toBeLessThanOrEqual(5);
    expect(github.problems).toEqual([]);
  });
});

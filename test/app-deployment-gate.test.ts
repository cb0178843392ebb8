import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { appRepo } from "./helpers/app-repo.ts";
import { NUMBER, REPO } from "./helpers/gate-scenario.ts";
import { githubApi, resetGitHubApi } from "./helpers/github-api.ts";
import { type RepoStub, stubRepo } from "./helpers/github-repo-stub.ts";
import { APP_ID, expectToken, INSTALLATION, testApp } from "./helpers/probot-app.ts";
import { commitAt, gitAt, type PromotionRepo } from "./helpers/promotion-repo.ts";
import { editFile } from "./helpers/temp-repo.ts";
import { webhookExample } from "./helpers/webhook-example.ts";

afterEach(resetGitHubApi);

const RUN = 4242;
const CALLBACK = `${REPO}/actions/runs/${RUN}/deployment_protection_rule`;
const DEPLOYED = [
  "modelci.yaml",
  "deployments/production.yaml",
  "deployments/staging.yaml",
  "models/weather/versions/8.yaml",
];

/** The promotion pull request merged into main with a merge commit; returns the merge. */
function mergePromotion(repo: PromotionRepo): string {
  gitAt(repo.dir, undefined, "checkout", "-q", "main");
  gitAt(
    repo.dir,
    "2025-03-04T08:00:00Z",
    "merge",
    "-q",
    "--no-ff",
    "--no-gpg-sign",
    "promote",
    "-m",
    "Merge #2",
  );
  return gitAt(repo.dir, undefined, "rev-parse", "HEAD");
}

/**
 * A `deployment_protection_rule.requested` delivery. @octokit/webhooks-examples has no example of
 * this event, so it starts from the `deployment.created` example (same deployment, repository and
 * sender objects) with the fields GitHub's webhook schema adds.
 */
function protectionEvent(sha: string, id = `dpr-${Math.random()}`) {
  const payload = webhookExample("deployment", "created");
  payload.action = "requested";
  payload.environment = "production";
  payload.event = "push";
  payload.deployment_callback_url = `https://api.github.com${CALLBACK}`;
  (payload.deployment as { sha: string }).sha = sha;
  payload.installation = { id: INSTALLATION, node_id: "I" };
  return { id, name: "deployment_protection_rule" as const, payload: payload as never };
}

function mergedPull(repo: PromotionRepo) {
  return {
    number: NUMBER,
    state: "closed",
    merged_at: "2025-03-04T08:00:00Z",
    head: { sha: repo.head },
    base: { ref: "main" },
  };
}

function expectCheckRuns(stub: RepoStub, sha: string, runs: { app: number; conclusion: string }[]): RepoStub {
  return stub.expect("GET", `${REPO}/commits/${sha}/check-runs`, {
    query: { check_name: "modelci/promotion", app_id: APP_ID, filter: "latest" },
    reply: [
      200,
      {
        total_count: runs.length,
        check_runs: runs.map((run, i) => ({
          id: 10 + i,
          name: "modelci/promotion",
          app: { id: run.app },
          conclusion: run.conclusion,
          html_url: `https://github.com/c/${i}`,
        })),
      },
    ],
  });
}

interface Review {
  environment_name?: string;
  state?: string;
  comment?: string;
}

function expectReview(stub: RepoStub, capture: Review, status = 204): RepoStub {
  return stub.expect("POST", CALLBACK, {
    body: (body: Review) => {
      Object.assign(capture, body);
      return true;
    },
    reply: status === 204 ? [204] : [status, { message: "This gate has already been reviewed" }],
  });
}

/** The reads up to the pull request that last changed production.yaml. */
function expectDeployedState(stub: RepoStub, repo: PromotionRepo, sha: string, pulls: unknown[]): RepoStub {
  return stub
    .tree(sha)
    .blobs(sha, DEPLOYED)
    .fileCommits(sha, "deployments/production.yaml")
    .commitPulls(repo.head, pulls);
}

describe("the deployment protection rule", () => {
  it("approves what a passing promotion gate approved, once per delivery", async () => {
    const repo = appRepo();
    const merge = mergePromotion(repo);
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const review: Review = {};
    expectDeployedState(stub, repo, merge, [mergedPull(repo)]);
    expectCheckRuns(stub, repo.head, [{ app: APP_ID, conclusion: "success" }]).tree(repo.head);
    expectReview(stub, review);
    const event = protectionEvent(merge);
    await probot.receive(event);
    expect(review).toMatchObject({ environment_name: "production", state: "approved" });
    expect(review.comment).toContain(`production at ${merge.slice(0, 7)}: weather 8`);
    expect(review.comment).toContain(
      `approved by the promotion gate on #${NUMBER} (head ${repo.head.slice(0, 7)})`,
    );
    // 9 reads (a tree and 4 blobs at the deployment, the file's commits, their pull request, its check, its tree) and the review.
    expect(stub.count).toBe(10);
    await probot.receive(event);
    api.done();
  });

  it("tolerates GitHub's 422 when a redelivered request was decided already", async () => {
    const repo = appRepo();
    const merge = mergePromotion(repo);
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const review: Review = {};
    expectDeployedState(stub, repo, merge, [mergedPull(repo)]);
    expectCheckRuns(stub, repo.head, [{ app: APP_ID, conclusion: "success" }]).tree(repo.head);
    expectReview(stub, review, 422);
    await probot.receive(protectionEvent(merge));
    expect(review.state).toBe("approved");
    api.done();
  });

  it("rejects when the promotion gate on the pull request did not pass", async () => {
    const repo = appRepo();
    const merge = mergePromotion(repo);
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const review: Review = {};
    expectDeployedState(stub, repo, merge, [mergedPull(repo)]);
    expectCheckRuns(stub, repo.head, [{ app: APP_ID, conclusion: "failure" }]).tree(repo.head);
    expectReview(stub, review);
    await probot.receive(protectionEvent(merge));
    expect(review).toMatchObject({
      state: "rejected",
      comment: `The promotion gate on #${NUMBER} (head ${repo.head.slice(0, 7)}) concluded failure.`,
    });
    api.done();
  });

  it("never counts a check of the same name from another app", async () => {
    const repo = appRepo();
    const merge = mergePromotion(repo);
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const review: Review = {};
    expectDeployedState(stub, repo, merge, [mergedPull(repo)]);
    expectCheckRuns(stub, repo.head, [{ app: 999, conclusion: "success" }]).tree(repo.head);
    expectReview(stub, review);
    await probot.receive(protectionEvent(merge));
    expect(review).toMatchObject({ state: "rejected" });
    expect(review.comment).toContain("has no modelci/promotion check from this app");
    api.done();
  });

  it("rejects a version file changed after the gate approved it", async () => {
    const repo = appRepo();
    mergePromotion(repo);
    editFile(join(repo.dir, "models/weather/versions/8.yaml"), (t) =>
      t.replace("accuracy: 0.66", "accuracy: 0.9"),
    );
    const tampered = commitAt(repo.dir, "2025-03-04T09:00:00Z", "edit 8 on main");
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const review: Review = {};
    expectDeployedState(stub, repo, tampered, [mergedPull(repo)]);
    expectCheckRuns(stub, repo.head, [{ app: APP_ID, conclusion: "success" }]).tree(repo.head);
    expectReview(stub, review);
    await probot.receive(protectionEvent(tampered));
    expect(review).toMatchObject({
      state: "rejected",
      comment: `models/weather/versions/8.yaml at ${tampered.slice(0, 7)} differs from what the promotion gate approved in #${NUMBER} (head ${repo.head.slice(0, 7)}).`,
    });
    api.done();
  });

  it("rejects a target changed by a push that no pull request brought", async () => {
    const repo = appRepo();
    gitAt(repo.dir, undefined, "checkout", "-q", "main");
    gitAt(repo.dir, undefined, "merge", "-q", "--ff-only", "promote");
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const review: Review = {};
    expectDeployedState(stub, repo, repo.head, []);
    expectReview(stub, review);
    await probot.receive(protectionEvent(repo.head));
    expect(review).toMatchObject({
      state: "rejected",
      comment: `deployments/production.yaml was last changed by ${repo.head.slice(0, 7)}, which no pull request introduced: promote through a pull request so the promotion gate judges it.`,
    });
    api.done();
  });

  it("rejects an environment that no target declares", async () => {
    const repo = appRepo();
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const review: Review = {};
    stub
      .tree(repo.base)
      .blobs(repo.base, ["modelci.yaml", "deployments/production.yaml", "deployments/staging.yaml"]);
    expectReview(stub, review);
    const event = protectionEvent(repo.base);
    (event.payload as { environment: string }).environment = "canary-eu";
    await probot.receive(event);
    expect(review).toMatchObject({ state: "rejected", environment_name: "canary-eu" });
    expect(review.comment).toContain('No deployments/*.yaml declares environment "canary-eu"');
    api.done();
  });
});

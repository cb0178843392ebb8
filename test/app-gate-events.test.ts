import { afterEach, describe, expect, it } from "vitest";
import { appRepo } from "./helpers/app-repo.ts";
import {
  type CheckCapture,
  expectCheck,
  expectDeclarations,
  NUMBER,
  pullData,
  pullRequestEvent,
  REPO,
  review,
} from "./helpers/gate-scenario.ts";
import { githubApi, resetGitHubApi } from "./helpers/github-api.ts";
import { stubRepo } from "./helpers/github-repo-stub.ts";
import { APP_ID, expectToken, INSTALLATION, testApp } from "./helpers/probot-app.ts";
import type { PromotionRepo } from "./helpers/promotion-repo.ts";
import { webhookExample } from "./helpers/webhook-example.ts";

afterEach(resetGitHubApi);

/** The pull request as `GET /pulls/{n}` returns it. */
function retarget(payload: Record<string, unknown>): void {
  const repository = payload.repository as { name: string; full_name: string; owner: { login: string } };
  repository.name = "Hello-World";
  repository.full_name = "Codertocat/Hello-World";
  repository.owner.login = "Codertocat";
  payload.installation = { id: INSTALLATION, node_id: "I" };
}

function checkRunEvent(
  repo: PromotionRepo,
  action: "rerequested" | "requested_action",
  changes: { app?: number; name?: string; identifier?: string } = {},
) {
  const payload = webhookExample("check_run", action);
  retarget(payload);
  const run = payload.check_run as Record<string, unknown>;
  run.name = changes.name ?? "modelci/promotion";
  run.head_sha = repo.head;
  run.app = { ...(run.app as object), id: changes.app ?? APP_ID };
  run.pull_requests = [
    {
      number: NUMBER,
      id: 1,
      url: "u",
      head: { sha: repo.head, ref: "p", repo: {} },
      base: { sha: repo.base, ref: "main", repo: {} },
    },
  ];
  if (action === "requested_action") payload.requested_action = { identifier: changes.identifier ?? "rerun" };
  return { id: `cr-${Math.random()}`, name: "check_run" as const, payload: payload as never };
}

function checkSuiteEvent(repo: PromotionRepo, action: "requested" | "rerequested", pulls: number[]) {
  const payload = webhookExample("check_suite", action);
  retarget(payload);
  const suite = payload.check_suite as Record<string, unknown>;
  suite.head_sha = repo.head;
  suite.pull_requests = pulls.map((number) => ({
    number,
    id: 1,
    url: "u",
    head: { sha: repo.head, ref: "p", repo: {} },
    base: { sha: repo.base, ref: "main", repo: {} },
  }));
  return { id: `cs-${Math.random()}`, name: "check_suite" as const, payload: payload as never };
}

/** Every read of a full evaluation, with bob's approval. */
function expectEvaluation(api: ReturnType<typeof githubApi>, repo: PromotionRepo, check: CheckCapture) {
  const stub = stubRepo(api, repo.dir);
  expectDeclarations(stub, repo);
  stub.reviews(NUMBER, [review("bob", "APPROVED", repo.head)]).membership("@acme/forecasting", "bob", true);
  expectCheck(api, check);
}

describe("re-running the promotion gate", () => {
  it("evaluates again on the check's Re-run button and on GitHub's re-run", async () => {
    const repo = appRepo();
    const probot = await testApp();
    const api = expectToken(githubApi());
    const check: CheckCapture = {};
    api.expect("GET", `${REPO}/pulls/${NUMBER}`, { reply: [200, pullData(repo)], times: 2 });
    expectEvaluation(api, repo, check);
    await probot.receive(checkRunEvent(repo, "requested_action"));
    expect(check.body?.output?.title).toBe("All 6 rules met");
    const again = stubRepo(api, repo.dir).restReviews(NUMBER, [
      review("bob", "DISMISSED", repo.head, "2025-03-03T05:00:00Z"),
    ]);
    expectCheck(api, check);
    await probot.receive(checkRunEvent(repo, "rerequested"));
    expect(again.count).toBe(1);
    expect(check.body?.output?.title).toBe("1 of 6 rules missing");
    api.done();
  });

  it("ignores other check runs, other apps' check runs and other buttons", async () => {
    const repo = appRepo();
    const probot = await testApp();
    const api = githubApi();
    await probot.receive(checkRunEvent(repo, "rerequested", { name: "ci/test" }));
    await probot.receive(checkRunEvent(repo, "rerequested", { app: 999 }));
    await probot.receive(checkRunEvent(repo, "requested_action", { identifier: "lgtm" }));
    api.done();
  });

  it("finds a suite's pull requests, by the head commit when GitHub lists none (forks)", async () => {
    const repo = appRepo();
    const probot = await testApp();
    const api = expectToken(githubApi());
    const check: CheckCapture = {};
    await probot.receive(checkSuiteEvent(repo, "requested", []));
    api.expect("GET", `${REPO}/commits/${repo.head}/pulls`, { reply: [200, [pullData(repo)]] });
    expectEvaluation(api, repo, check);
    await probot.receive(checkSuiteEvent(repo, "rerequested", []));
    expect(check.body?.head_sha).toBe(repo.head);
    api.expect("GET", `${REPO}/pulls/${NUMBER}`, { reply: [200, pullData(repo)] });
    stubRepo(api, repo.dir)
      .restReviews(NUMBER, [review("bob", "APPROVED", repo.head)])
      .restMembership("@acme/forecasting", "bob", true);
    expectCheck(api, check);
    await probot.receive(checkSuiteEvent(repo, "requested", [NUMBER]));
    expect(check.body?.conclusion).toBe("success");
    api.done();
  });
});

describe("GitHub failing", () => {
  it("retries a 5xx answer and evaluates", async () => {
    const repo = appRepo();
    const probot = await testApp({ retries: 2 });
    const api = expectToken(githubApi());
    const check: CheckCapture = {};
    api.graphqlFailure([502, { message: "Bad Gateway" }]);
    expectEvaluation(api, repo, check);
    await probot.receive(pullRequestEvent(repo));
    expect(check.body?.conclusion).toBe("success");
    api.done();
  });

  it("reports a 5xx that outlasts the retries in the check, and hands the error to Probot", async () => {
    const repo = appRepo();
    const probot = await testApp({ retries: 2 });
    const api = expectToken(githubApi());
    const check: CheckCapture = {};
    stubRepo(api, repo.dir).pullFiles(NUMBER, repo.base, repo.head).tree(repo.base).tree(repo.head);
    api.graphqlFailure([503, { message: "Service Unavailable" }], 3);
    expectCheck(api, check);
    await expect(probot.receive(pullRequestEvent(repo))).rejects.toThrow(/Service Unavailable/);
    expect(check.body).toMatchObject({
      conclusion: "failure",
      output: { title: "The promotion gate could not evaluate" },
    });
    expect(check.body?.output?.summary).toContain("GitHub failed (503 Service Unavailable); try again later");
    api.done();
  });
});

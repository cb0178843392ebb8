/**
 * Self-approval through ChatOps (issue 9): the person who asked for a command's pull request is its
 * author. The gate learns who asked only from the requester trailer of the App's own commit,
 * verified by GitHub, read with the reviews: no request more than for any other pull request.
 */
import { afterEach, describe, expect, it } from "vitest";
import { withRequesterTrailer } from "../core/commands/requester-trailer.ts";
import { appRepo } from "./helpers/app-repo.ts";
import {
  type CheckCapture,
  commitAsApp,
  expectCheck,
  expectDeclarations,
  NUMBER,
  pullCommitsOf,
  pullRequestEvent,
  review,
  reviewEvent,
} from "./helpers/gate-scenario.ts";
import { githubApi, resetGitHubApi } from "./helpers/github-api.ts";
import { stubRepo } from "./helpers/github-repo-stub.ts";
import { expectToken, testApp } from "./helpers/probot-app.ts";

afterEach(resetGitHubApi);

const APP = "modelci[bot]";

function commandPull(requester: string) {
  const repo = appRepo();
  const message = `Promote weather 8 to production\n\nRequested by @${requester} in #1.`;
  repo.head = commitAsApp(repo, withRequesterTrailer(message, requester));
  return repo;
}

describe("the promotion gate on a pull request a /modelci command opened", () => {
  it("never counts the approval of whoever asked for it, within the usual request budget", async () => {
    const repo = commandPull("alice");
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const check: CheckCapture = {};
    expectDeclarations(stub, repo)
      .reviews(NUMBER, [review("alice", "APPROVED", repo.head)])
      .pullCommits(NUMBER, pullCommitsOf(repo.dir, repo.base, repo.head, true));
    expectCheck(api, check);
    await probot.receive(pullRequestEvent(repo, "opened", { author: APP }));
    expect(check.body).toMatchObject({ conclusion: "failure", output: { title: "1 of 6 rules missing" } });
    expect(check.body?.output?.summary).toContain(
      "Not counted: alice asked for it through /modelci, so is its author",
    );
    // The same reads as any first evaluation (file list, two trees, two queries); nock fails any other.
    expect(stub.count).toBe(5);
    api.done();

    // Warm: a new review re-reads only the reviews; who asked is cached with the head.
    const again = stubRepo(api, repo.dir)
      .restReviews(NUMBER, [review("alice", "APPROVED", repo.head), review("bob", "APPROVED", repo.head)])
      .restMembership("@acme/forecasting", "bob", true);
    expectCheck(api, check);
    await probot.receive(reviewEvent(repo, "submitted", { author: APP }));
    expect(check.body?.conclusion).toBe("success");
    expect(check.body?.output?.summary).toContain("alice asked for it through /modelci");
    expect(again.count).toBe(2);
    api.done();
  });

  it("reads the requester only from commits GitHub verified as the App's", async () => {
    const repo = commandPull("alice");
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const check: CheckCapture = {};
    // The same trailer in an unverified commit (anyone can write one) names nobody.
    expectDeclarations(stub, repo)
      .reviews(NUMBER, [review("alice", "APPROVED", repo.head)])
      .pullCommits(NUMBER, pullCommitsOf(repo.dir, repo.base, repo.head, false));
    expectCheck(api, check);
    await probot.receive(pullRequestEvent(repo, "opened", { author: APP }));
    expect(check.body?.output?.summary).not.toContain("asked for it");
    api.done();
  });
});

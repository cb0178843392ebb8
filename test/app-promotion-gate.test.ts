import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { appRepo } from "./helpers/app-repo.ts";
import {
  type CheckCapture,
  expectCheck,
  expectDeclarations,
  NUMBER,
  pullRequestEvent,
  REPO,
  review,
  reviewEvent,
} from "./helpers/gate-scenario.ts";
import { githubApi, resetGitHubApi } from "./helpers/github-api.ts";
import { stubRepo } from "./helpers/github-repo-stub.ts";
import { expectToken, testApp } from "./helpers/probot-app.ts";
import { commitAt, FEATURES_INPUT, METRICS_8 } from "./helpers/promotion-repo.ts";
import { editFile, REPO_ROOT } from "./helpers/temp-repo.ts";

afterEach(resetGitHubApi);

const TEAM = "@acme/forecasting";

/**
 * Markdown as a list of lines to compare: commit shas as SHA, table cells trimmed (the docs' tables
 * are padded by the formatter), separator rows and blank lines dropped.
 */
function normalizeCheck(markdown: string): string[] {
  return markdown
    .replace(/`[0-9a-f]{7}`/g, "`SHA`")
    .split("\n")
    .map((line) =>
      line.startsWith("|")
        ? line
            .split("|")
            .map((cell) => cell.trim())
            .join("|")
        : line.trimEnd(),
    )
    .filter((line) => line !== "" && !/^\|(-+\|)+$/.test(line));
}

/** The example check output in docs/app.md (the quoted block under "Example check output"). */
function docsExample(): string[] {
  const docs = readFileSync(join(REPO_ROOT, "docs/app.md"), "utf8");
  const section = docs.slice(docs.indexOf("## Example check output"));
  const quoted = section
    .split("\n")
    .filter((line) => line.startsWith(">"))
    .map((line) => line.replace(/^> ?/, ""));
  return normalizeCheck(quoted.join("\n"));
}

describe("the promotion gate app", () => {
  it("passes an owner's approval through team membership, within the request budget", async () => {
    const repo = appRepo();
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const check: CheckCapture = {};
    expectDeclarations(stub, repo);
    stub.reviews(NUMBER, [review("bob", "APPROVED", repo.head)]).membership(TEAM, "bob", true);
    expectCheck(api, check);
    await probot.receive(pullRequestEvent(repo));
    // Cold: the file list, two trees, one query for the targets, policies, changed files and reviews,
    // one for the versions, staging's history and bob's team.
    expect(stub.count).toBeLessThanOrEqual(6);
    expect(stub.count).toBe(5);
    expect(stub.reads.histories).toEqual(["deployments/staging.yaml"]);
    expect(stub.reads.teams).toEqual(["@acme/forecasting bob"]);
    expect(check.body).toMatchObject({
      conclusion: "success",
      head_sha: repo.head,
      output: { title: "All 6 rules met" },
    });
    expect(check.body?.output?.summary).toContain("bob (via @acme/forecasting)");
    expect(check.body?.output?.summary).toContain(
      `Judged by the policy in base \`${repo.base.slice(0, 7)}\``,
    );

    // A review re-evaluates: trees, blobs, history and the file list are immutable and cached, so it
    // asks only for the reviews and bob's team, through REST (GETs, which throttling lets through).
    const again = stubRepo(api, repo.dir);
    again.restReviews(NUMBER, [review("bob", "APPROVED", repo.head)]).restMembership(TEAM, "bob", true);
    expectCheck(api, check);
    await probot.receive(reviewEvent(repo));
    expect(again.count).toBe(2);
    api.done();
  });

  it("never counts the author's own approval", async () => {
    const repo = appRepo();
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const check: CheckCapture = {};
    expectDeclarations(stub, repo);
    stub.reviews(NUMBER, [review("alice", "APPROVED", repo.head)]);
    expectCheck(api, check);
    await probot.receive(pullRequestEvent(repo, "opened", { author: "alice" }));
    expect(check.body).toMatchObject({ conclusion: "failure", output: { title: "1 of 6 rules missing" } });
    expect(check.body?.output?.summary).toContain("Not counted: alice is the author");
    api.done();
  });

  it("drops an approval given before a new push, and says who must approve again", async () => {
    const repo = appRepo();
    editFile(join(repo.dir, "deployments/production.yaml"), (text) => `${text}# reviewed\n`);
    const head = commitAt(repo.dir, "2025-03-03T03:00:00Z", "touch up");
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const check: CheckCapture = {};
    expectDeclarations(stub, repo, head);
    stub.reviews(NUMBER, [review("bob", "APPROVED", repo.head)]).membership(TEAM, "bob", true);
    expectCheck(api, check);
    await probot.receive(pullRequestEvent(repo, "synchronize", { head }));
    expect(check.body).toMatchObject({ conclusion: "failure", head_sha: head });
    expect(check.body?.output?.summary).toContain(
      `bob approved ${repo.head.slice(0, 7)}, not the head commit`,
    );
    expect(check.body?.output?.summary).toContain("bob approved an earlier commit and must approve again");
    api.done();
  });

  it("ignores an approval by someone who is neither an owner nor in an owner team", async () => {
    const repo = appRepo();
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const check: CheckCapture = {};
    expectDeclarations(stub, repo);
    stub.reviews(NUMBER, [review("dave", "APPROVED", repo.head)]).membership(TEAM, "dave", false);
    expectCheck(api, check);
    await probot.receive(pullRequestEvent(repo));
    expect(check.body?.conclusion).toBe("failure");
    expect(check.body?.output?.summary).toContain("Not counted: dave is not an owner");
    api.done();
  });

  it("fails a promotion that skips a stage, without reading any history", async () => {
    const repo = appRepo({ stagedEight: false });
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const check: CheckCapture = {};
    expectDeclarations(stub, repo);
    stub.reviews(NUMBER, [review("alice", "APPROVED", repo.head)]);
    expectCheck(api, check);
    await probot.receive(pullRequestEvent(repo));
    expect(stub.reads.histories).toEqual([]);
    expect(check.body?.output?.title).toBe("2 of 6 rules not met: 1 failed, 1 missing");
    expect(check.body?.output?.summary).toContain("version 8 has not served in staging");
    api.done();
  });

  it("waits for the soak time and says when to run the check again", async () => {
    const repo = appRepo();
    const probot = await testApp({ now: new Date("2025-03-03T03:12:00Z") });
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const check: CheckCapture = {};
    expectDeclarations(stub, repo);
    stub.reviews(NUMBER, [review("alice", "APPROVED", repo.head)]);
    expectCheck(api, check);
    await probot.receive(pullRequestEvent(repo));
    expect(check.body?.output?.title).toBe("1 of 6 rules missing");
    expect(check.body?.output?.summary).toContain(
      "version 8 has served in staging for 3.2 h (since 2025-03-03T00:00:00Z); production needs 24 h, 20.8 h to go",
    );
    expect(check.body?.output?.summary).toContain("Soak time will be met at 2025-03-04T00:00:00Z");
    // docs/app.md shows this very check as its example output.
    expect(normalizeCheck(check.body?.output?.summary ?? "")).toEqual(docsExample());
    api.done();
  });

  it("counts soak time from when the pull request that staged the version merged", async () => {
    const repo = appRepo();
    const probot = await testApp({ now: new Date("2025-03-04T12:00:00Z") });
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const check: CheckCapture = {};
    expectDeclarations(stub, repo);
    const [newest = ""] = (await import("./helpers/gate-scenario.ts")).commitsOf(
      repo.dir,
      repo.base,
      "deployments/staging.yaml",
    );
    const merged = {
      number: 1,
      state: "closed",
      merged_at: "2025-03-03T18:00:00Z",
      head: { sha: newest },
      base: { ref: "main" },
    };
    stub.pulls(newest, [merged]).reviews(NUMBER, [review("alice", "APPROVED", repo.head)]);
    expectCheck(api, check);
    await probot.receive(pullRequestEvent(repo));
    expect(check.body?.output?.summary).toContain("for 18 h (since 2025-03-03T18:00:00Z)");
    api.done();
  });

  it("fails a version whose registered metrics fail a gate", async () => {
    const repo = appRepo({ v8: { metrics: { ...METRICS_8, latency_p99_ms: 16 } } });
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const check: CheckCapture = {};
    expectDeclarations(stub, repo);
    stub.reviews(NUMBER, [review("alice", "APPROVED", repo.head)]);
    expectCheck(api, check);
    await probot.receive(pullRequestEvent(repo));
    expect(check.body?.output?.title).toBe("1 of 6 rules failed");
    expect(check.body?.output?.summary).toContain(
      "✗ latency_p99_ms ≤ 15: latency_p99_ms 16.0, above the 15 allowed",
    );
    api.done();
  });

  it("judges a pull request that weakens the policy in its own head by the base policy", async () => {
    const repo = appRepo({
      edit: (dir) =>
        editFile(join(dir, "models/weather/model.yaml"), (text) =>
          text
            .replace("approvals: 1", "approvals: 0")
            .replace("soak-hours: { production: 24 }", "soak-hours: {}"),
        ),
    });
    const probot = await testApp({ now: new Date("2025-03-03T03:12:00Z") });
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const check: CheckCapture = {};
    expectDeclarations(stub, repo);
    stub.reviews(NUMBER, []);
    expectCheck(api, check);
    await probot.receive(pullRequestEvent(repo));
    const summary = check.body?.output?.summary ?? "";
    expect(check.body?.output?.title).toBe("3 of 7 rules missing");
    expect(summary).toContain("### weather policy: models/weather/model.yaml changed");
    expect(summary).toContain("production needs 24 h");
    expect(summary).toContain("0 of 1 approval (weather's policy in the base)");
    api.done();
  });

  it("needs one more owner approval for a breaking signature", async () => {
    const repo = appRepo({ v8: { inputs: [{ ...FEATURES_INPUT, shape: ["N", 5] }] } });
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const check: CheckCapture = {};
    expectDeclarations(stub, repo);
    stub.reviews(NUMBER, [review("alice", "APPROVED", repo.head)]);
    expectCheck(api, check);
    await probot.receive(pullRequestEvent(repo));
    expect(check.body?.output?.title).toBe("2 of 6 rules missing");
    expect(check.body?.output?.summary).toContain(
      "input `features` shape [N, 4] → [N, 5]; needs 1 extra owner approval",
    );
    expect(check.body?.output?.summary).toContain(
      "1 of 2 approvals (weather's policy in the base, +1 for a breaking signature)",
    );
    api.done();
  });

  it("passes a pull request that changes no declaration after reading only its file list", async () => {
    const repo = appRepo({ edit: (dir) => editFile(join(dir, "train.js"), (t) => `${t}\n// tweak\n`) });
    const probot = await testApp();
    const api = expectToken(githubApi());
    const check: CheckCapture = {};
    api.expect("GET", `${REPO}/pulls/${NUMBER}/files`, {
      query: { per_page: 100 },
      reply: [200, [{ filename: "train.js", status: "modified", sha: "a".repeat(40) }]],
    });
    expectCheck(api, check);
    await probot.receive(pullRequestEvent(repo));
    expect(check.body).toMatchObject({
      conclusion: "success",
      output: { title: "No promotion in this change" },
    });
    api.done();
  });

  it("skips drafts and title edits with no request at all", async () => {
    const repo = appRepo();
    const probot = await testApp();
    const api = githubApi();
    await probot.receive(pullRequestEvent(repo, "opened", { draft: true }));
    const edited = pullRequestEvent(repo, "opened");
    (edited.payload as { action: string; changes: unknown }).action = "edited";
    (edited.payload as { changes: unknown }).changes = { title: { from: "old" } };
    await probot.receive(edited);
    api.done();
  });

  it("reports declarations that do not validate in the head instead of judging them", async () => {
    const repo = appRepo({
      edit: (dir) =>
        editFile(join(dir, "deployments/production.yaml"), (t) => t.replace("version: 8", "version: eight")),
    });
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const check: CheckCapture = {};
    expectDeclarations(stub, repo);
    expectCheck(api, check);
    await probot.receive(pullRequestEvent(repo));
    expect(check.body).toMatchObject({
      conclusion: "failure",
      output: { title: "Declarations are invalid in the head" },
    });
    expect(check.body?.output?.summary).toMatch(
      /deployments\/production\.yaml:\d+:\d+: models\.weather\.version/,
    );
    api.done();
  });
});

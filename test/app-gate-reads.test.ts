import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { validate } from "@octokit/graphql-schema";
import { afterEach, describe, expect, it } from "vitest";
import { createOctokit } from "../adapters/github/create-octokit.ts";
import { buildBatchQuery, HISTORY_PAGE, REVIEW_PAGE } from "../app/github/build-batch-query.ts";
import { blobBytes } from "../app/github/read-batch-answer.ts";
import { MAX_BLOBS_PER_QUERY, runBatchQuery } from "../app/github/run-batch-query.ts";
import type { GitHub } from "../app/github/types.ts";
import { appRepo } from "./helpers/app-repo.ts";
import {
  type CheckCapture,
  expectCheck,
  expectDeclarations,
  NUMBER,
  pullRequestEvent,
  review,
  reviewEvent,
} from "./helpers/gate-scenario.ts";
import { githubApi, resetGitHubApi } from "./helpers/github-api.ts";
import { stubRepo } from "./helpers/github-repo-stub.ts";
import { expectToken, testApp } from "./helpers/probot-app.ts";
import { commitAt } from "./helpers/promotion-repo.ts";
import { editFile, git, tempDir } from "./helpers/temp-repo.ts";

afterEach(resetGitHubApi);

const TEAM = { team: "@acme/forecasting", org: "acme", slug: "forecasting", user: "bob" };

describe("the gate's batched GraphQL query", () => {
  it("fits GitHub's schema with any part left out", () => {
    const asks = [
      { blobs: ["a".repeat(40)], histories: [], teams: [] },
      { blobs: [], reviews: 7, histories: [], teams: [] },
      { blobs: [], histories: [{ commit: "b".repeat(40), path: "deployments/staging.yaml" }], teams: [] },
      { blobs: [], histories: [{ commit: "b".repeat(40), path: "d.yaml", after: "Y3Vyc29y" }], teams: [] },
      { blobs: [], histories: [], teams: [TEAM] },
      {
        blobs: ["a".repeat(40), "c".repeat(40)],
        reviews: 7,
        histories: [{ commit: "b".repeat(40), path: "deployments/staging.yaml" }],
        teams: [TEAM, { ...TEAM, user: "dave" }],
      },
    ];
    for (const ask of asks) {
      const { query, variables } = buildBatchQuery("acme", "models", ask);
      expect(validate(query).map((e) => e.message)).toEqual([]);
      expect(Object.values(variables)).not.toContain(undefined);
    }
  });

  it("passes every value as a variable, never inside the query text", () => {
    const path = 'deployments/x") { oid } #.yaml';
    const { query, variables } = buildBatchQuery("acme", "models", {
      blobs: [],
      histories: [{ commit: "b".repeat(40), path }],
      teams: [{ ...TEAM, user: 'eve" }' }],
    });
    expect(query).not.toContain(path);
    expect(query).not.toContain("eve");
    expect(Object.values(variables)).toContain(path);
    expect(validate(query)).toEqual([]);
  });

  it("takes GraphQL's text as a blob's bytes only when it is them", () => {
    const text = "models: {}\n# café\n";
    const size = Buffer.byteLength(text);
    expect(blobBytes({ text, byteSize: size, isBinary: false, isTruncated: false })).toEqual(
      new Uint8Array(Buffer.from(text)),
    );
    expect(blobBytes({ text, byteSize: size, isBinary: false, isTruncated: true })).toBeUndefined();
    expect(blobBytes({ text: null, byteSize: size, isBinary: true, isTruncated: false })).toBeUndefined();
    // Latin-1 "é" is one byte; GitHub's text re-encodes it as two.
    expect(blobBytes({ text, byteSize: size - 1, isBinary: false, isTruncated: false })).toBeUndefined();
  });
});

describe("the promotion gate's reads at the edges", () => {
  it("splits a batch of many blobs over several queries", async () => {
    const dir = tempDir();
    git(dir, "init", "-q");
    const files = Array.from({ length: MAX_BLOBS_PER_QUERY + 20 }, (_, i) => `models/m${i}/model.yaml`);
    for (const [i, file] of files.entries()) {
      mkdirSync(join(dir, dirname(file)), { recursive: true });
      writeFileSync(join(dir, file), `description: model ${i}\n`);
    }
    const ids = files.map((file) => git(dir, "hash-object", "-w", file).trim());
    const api = githubApi();
    stubRepo(api, dir).graphql(2);
    const gh = createOctokit({ token: "t", env: {}, retryDelayMs: () => 0 }) as unknown as GitHub;
    const answer = await runBatchQuery(
      gh,
      { owner: "Codertocat", repo: "Hello-World" },
      {
        blobs: ids,
        reviews: NUMBER,
        histories: [],
        teams: [],
      },
    );
    expect(answer.blobs.size).toBe(files.length);
    expect(new TextDecoder().decode(answer.blobs.get(ids.at(-1) ?? ""))).toBe(
      `description: model ${files.length - 1}\n`,
    );
    expect(answer.reviews).toEqual({ list: [], complete: true });
    api.done();
  });

  it("reads a declaration that is not UTF-8 byte for byte through REST, and says where it breaks", async () => {
    const repo = appRepo();
    // A comment in Latin-1: "café" with é as the single byte 0xE9.
    const file = join(repo.dir, "deployments/production.yaml");
    writeFileSync(file, Buffer.concat([readFileSync(file), Buffer.from("# caf\xe9\n", "latin1")]));
    const head = commitAt(repo.dir, "2025-03-03T01:30:00Z", "latin-1 comment");
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const check: CheckCapture = {};
    expectDeclarations(stub, repo, head).blobs(head, ["deployments/production.yaml"]);
    expectCheck(api, check);
    await probot.receive(pullRequestEvent(repo, "synchronize", { head }));
    expect(check.body?.output?.title).toBe("Declarations are invalid in the head");
    expect(check.body?.output?.summary).toMatch(
      /deployments\/production\.yaml:\d+:\d+: invalid UTF-8 byte 0xe9; declaration files must be UTF-8/,
    );
    api.done();
  });

  it("reads more than a page of reviews through REST", async () => {
    const repo = appRepo();
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const check: CheckCapture = {};
    const chatter = Array.from({ length: REVIEW_PAGE }, (_, i) =>
      review(`user${i}`, "COMMENTED", repo.head, "2025-03-03T01:30:00Z"),
    );
    const reviews = [...chatter, review("alice", "APPROVED", repo.head)];
    expectDeclarations(stub, repo).reviews(NUMBER, reviews).restReviews(NUMBER, reviews);
    expectCheck(api, check);
    await probot.receive(pullRequestEvent(repo));
    expect(check.body?.conclusion).toBe("success");
    expect(check.body?.output?.summary).toContain("alice");
    api.done();
  });

  it("re-evaluates through REST, where a membership GitHub does not confirm counts for nothing", async () => {
    const repo = appRepo();
    const probot = await testApp();
    const api = expectToken(githubApi());
    const check: CheckCapture = {};
    expectDeclarations(stubRepo(api, repo.dir), repo).reviews(NUMBER, [
      review("alice", "APPROVED", repo.head),
    ]);
    expectCheck(api, check);
    await probot.receive(pullRequestEvent(repo));
    expect(check.body?.conclusion).toBe("success");

    const again = stubRepo(api, repo.dir)
      .restReviews(NUMBER, [
        review("alice", "DISMISSED", repo.head, "2025-03-03T04:00:00Z"),
        review("dave", "APPROVED", repo.head, "2025-03-03T04:30:00Z"),
      ])
      .restMembership("@acme/forecasting", "dave", false);
    expectCheck(api, check);
    await probot.receive(reviewEvent(repo));
    expect(again.count).toBe(2);
    expect(check.body?.conclusion).toBe("failure");
    expect(check.body?.output?.summary).toContain("Not counted: dave is not an owner");
    api.done();
  });

  it("counts no members in a team of an organisation the App cannot see", async () => {
    const repo = appRepo();
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const check: CheckCapture = {};
    expectDeclarations(stub, repo)
      .reviews(NUMBER, [review("bob", "APPROVED", repo.head)])
      .hideOrg("acme");
    expectCheck(api, check);
    await probot.receive(pullRequestEvent(repo));
    expect(check.body?.conclusion).toBe("failure");
    expect(check.body?.output?.summary).toContain("Not counted: bob is not an owner");
    api.done();
  });

  it("reads another page of history when a stint outlasts the first", async () => {
    const repo = appRepo({
      onBase: (dir) => {
        for (let i = 0; i < HISTORY_PAGE + 5; i++) {
          editFile(join(dir, "deployments/staging.yaml"), (text) => `${text}# note ${i}\n`);
          commitAt(dir, `2025-03-03T00:${String(10 + i).padStart(2, "0")}:00Z`, `note ${i}`);
        }
      },
    });
    const probot = await testApp({ now: new Date("2025-03-03T12:00:00Z") });
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const check: CheckCapture = {};
    expectDeclarations(stub, repo)
      .graphql()
      .reviews(NUMBER, [review("alice", "APPROVED", repo.head)]);
    expectCheck(api, check);
    await probot.receive(pullRequestEvent(repo));
    expect(stub.count).toBe(6);
    expect(stub.reads.histories).toEqual(["deployments/staging.yaml", "deployments/staging.yaml"]);
    expect(check.body?.output?.summary).toContain("for 12 h (since 2025-03-03T00:00:00Z)");
    api.done();
  });
});

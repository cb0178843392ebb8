import { afterEach, describe, expect, it } from "vitest";
import { appRepo } from "./helpers/app-repo.ts";
import { commitsOf, REPO } from "./helpers/gate-scenario.ts";
import { githubApi, resetGitHubApi } from "./helpers/github-api.ts";
import { blobId, type RepoStub, stubRepo } from "./helpers/github-repo-stub.ts";
import { expectToken, INSTALLATION, testApp } from "./helpers/probot-app.ts";
import { gitAt, type PromotionRepo } from "./helpers/promotion-repo.ts";
import { webhookExample } from "./helpers/webhook-example.ts";

afterEach(resetGitHubApi);

const ISSUE = 1;
const COMMENT = 492700400;
const PROMOTE_BRANCH = "modelci/promote-weather-v8-production";

function commentEvent(body: string, login = "carol", id = `ic-${Math.random()}`) {
  const payload = webhookExample("issue_comment", "created");
  const comment = payload.comment as { id: number; body: string; user: { login: string; type: string } };
  comment.id = COMMENT;
  comment.body = body;
  comment.user.login = login;
  comment.user.type = "User";
  (payload.sender as { login: string; type: string }).login = login;
  (payload.issue as { number: number }).number = ISSUE;
  (payload.repository as { default_branch: string }).default_branch = "main";
  payload.installation = { id: INSTALLATION, node_id: "I" };
  return { id, name: "issue_comment" as const, payload: payload as never };
}

interface Capture {
  reply?: string;
  file?: { message?: string; content?: string; sha?: string; branch?: string };
  pull?: { title?: string; head?: string; base?: string; body?: string };
}

function expectReceipt(stub: RepoStub, permission?: string): RepoStub {
  stub.expect("POST", `${REPO}/issues/comments/${COMMENT}/reactions`, {
    body: { content: "eyes" },
    reply: [201, { id: 1, content: "eyes" }],
  });
  if (permission !== undefined)
    stub.expect("GET", `${REPO}/collaborators/carol/permission`, {
      reply: [200, { permission, role_name: permission, user: { login: "carol" } }],
    });
  return stub;
}

function expectReply(stub: RepoStub, capture: Capture): RepoStub {
  return stub.expect("POST", `${REPO}/issues/${ISSUE}/comments`, {
    body: (body: { body: string }) => {
      capture.reply = body.body;
      return true;
    },
    reply: [201, { id: 2 }],
  });
}

function expectMain(stub: RepoStub, sha: string): RepoStub {
  return stub.expect("GET", `${REPO}/git/ref/${encodeURIComponent("heads/main")}`, {
    reply: [200, { ref: "refs/heads/main", object: { sha, type: "commit" } }],
  });
}

function expectOpenPulls(stub: RepoStub, branch: string, open: unknown[]): RepoStub {
  return stub.expect("GET", `${REPO}/pulls`, {
    query: { head: `Codertocat:${branch}`, state: "open", per_page: 1 },
    reply: [200, open],
  });
}

/** A new branch from main, the file committed through the contents API, and the pull request. */
function expectNewPull(
  stub: RepoStub,
  repo: PromotionRepo,
  main: string,
  branch: string,
  capture: Capture,
): RepoStub {
  const file = "deployments/production.yaml";
  return stub
    .expect("GET", `${REPO}/git/ref/${encodeURIComponent(`heads/${branch}`)}`, {
      reply: [404, { message: "Not Found" }],
    })
    .expect("POST", `${REPO}/git/refs`, {
      body: { ref: `refs/heads/${branch}`, sha: main },
      reply: [201, { ref: branch }],
    })
    .expect("PUT", `${REPO}/contents/${encodeURIComponent(file)}`, {
      body: (body: Capture["file"]) => {
        capture.file = { ...body, content: Buffer.from(body?.content ?? "", "base64").toString("utf8") };
        return body?.sha === blobId(repo.dir, main, file) && body?.branch === branch;
      },
      reply: [200, { content: {}, commit: { sha: "c" } }],
    })
    .expect("POST", `${REPO}/pulls`, {
      body: (body: Capture["pull"]) => {
        capture.pull = body;
        return true;
      },
      reply: [201, { number: 17, html_url: "https://github.com/Codertocat/Hello-World/pull/17" }],
    });
}

const PROMOTE_READS = [
  "modelci.yaml",
  "deployments/production.yaml",
  "deployments/staging.yaml",
  "models/weather/model.yaml",
  "models/weather/versions/8.yaml",
  "models/weather/versions/7.yaml",
];

describe("/modelci promote", () => {
  it("opens one promotion pull request with the evidence, and not again on a redelivery", async () => {
    const repo = appRepo();
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const capture: Capture = {};
    expectReceipt(stub, "write");
    expectMain(stub, repo.base).tree(repo.base).blobs(repo.base, PROMOTE_READS);
    expectOpenPulls(stub, PROMOTE_BRANCH, []);
    expectNewPull(stub, repo, repo.base, PROMOTE_BRANCH, capture);
    expectReply(stub, capture);
    const event = commentEvent("Looks good.\n/modelci promote weather 8 to production\n");
    await probot.receive(event);
    await probot.receive(event);
    api.done();

    expect(capture.file?.message).toBe(
      `Promote weather 8 to production\n\nRequested by @carol in #${ISSUE}.\n\nModelci-Requested-By: carol`,
    );
    expect(capture.file?.content).toContain("models: { weather: { version: 8 } }");
    expect(capture.file?.content).toContain("# Production: deployed by a script");
    expect(capture.file?.content).toContain("drift: { method: psi, threshold: 0.2, share: 0.5 }");
    expect(capture.pull).toMatchObject({
      title: "Promote weather 8 to production",
      head: PROMOTE_BRANCH,
      base: "main",
    });
    const body = capture.pull?.body ?? "";
    expect(body).toContain("Promotes **weather** version **8** to **production** (production serves 7 now)");
    expect(body).toMatch(/\| sha256 \| `[0-9a-f]{64}` \|/);
    expect(body).toMatch(/trained from \| commit `[0-9a-f]{40}`, experiment weather-logreg/);
    expect(body).toContain("| f1_macro | 0.49 | 0.47 |");
    expect(body).toContain("- ✓ latency_p99_ms ≤ 15");
    expect(capture.reply).toBe(
      "@carol Opened #17 to promote weather 8 to production; the `modelci/promotion` check judges it.",
    );
  });

  it("points to the pull request already open from the branch instead of opening another", async () => {
    const repo = appRepo();
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const capture: Capture = {};
    expectReceipt(stub, "admin");
    expectMain(stub, repo.base).tree(repo.base).blobs(repo.base, PROMOTE_READS);
    expectOpenPulls(stub, PROMOTE_BRANCH, [
      { number: 17, html_url: "https://github.com/Codertocat/Hello-World/pull/17" },
    ]);
    expectReply(stub, capture);
    await probot.receive(commentEvent("/modelci promote weather 8 to production"));
    expect(capture.reply).toBe("@carol #17 already proposes promoting weather 8 to production.");
    api.done();
  });

  it("points to what another delivery of the same command opened when GitHub says the branch exists", async () => {
    const repo = appRepo();
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const capture: Capture = {};
    expectReceipt(stub, "write");
    expectMain(stub, repo.base).tree(repo.base).blobs(repo.base, PROMOTE_READS);
    expectOpenPulls(stub, PROMOTE_BRANCH, []);
    stub
      .expect("GET", `${REPO}/git/ref/${encodeURIComponent(`heads/${PROMOTE_BRANCH}`)}`, {
        reply: [404, { message: "Not Found" }],
      })
      .expect("POST", `${REPO}/git/refs`, {
        body: { ref: `refs/heads/${PROMOTE_BRANCH}`, sha: repo.base },
        reply: [422, { message: "Reference already exists" }],
      });
    expectOpenPulls(stub, PROMOTE_BRANCH, [
      { number: 17, html_url: "https://github.com/Codertocat/Hello-World/pull/17" },
    ]);
    expectReply(stub, capture);
    await expect(
      probot.receive(commentEvent("/modelci promote weather 8 to production")),
    ).resolves.toBeUndefined();
    expect(capture.reply).toBe("@carol #17 already proposes promoting weather 8 to production.");
    api.done();
  });

  it("points to the branch when the other delivery has not opened its pull request yet", async () => {
    const repo = appRepo();
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const capture: Capture = {};
    expectReceipt(stub, "write");
    expectMain(stub, repo.base).tree(repo.base).blobs(repo.base, PROMOTE_READS);
    expectOpenPulls(stub, PROMOTE_BRANCH, []);
    const file = "deployments/production.yaml";
    stub
      .expect("GET", `${REPO}/git/ref/${encodeURIComponent(`heads/${PROMOTE_BRANCH}`)}`, {
        reply: [404, { message: "Not Found" }],
      })
      .expect("POST", `${REPO}/git/refs`, { body: () => true, reply: [201, { ref: PROMOTE_BRANCH }] })
      .expect("PUT", `${REPO}/contents/${encodeURIComponent(file)}`, {
        body: () => true,
        reply: [200, { content: {}, commit: { sha: "c" } }],
      })
      .expect("POST", `${REPO}/pulls`, {
        body: () => true,
        reply: [
          422,
          { message: "Validation Failed", errors: [{ message: "A pull request already exists" }] },
        ],
      });
    expectOpenPulls(stub, PROMOTE_BRANCH, []);
    expectReply(stub, capture);
    await expect(
      probot.receive(commentEvent("/modelci promote weather 8 to production")),
    ).resolves.toBeUndefined();
    expect(capture.reply).toBe(
      `@carol another request is opening the pull request to promote weather 8 to production right now, from https://github.com/Codertocat/Hello-World/tree/${PROMOTE_BRANCH}.`,
    );
    api.done();
  });

  it("moves a branch left by a closed pull request back to main, so the commit names who asks now", async () => {
    const repo = appRepo();
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const capture: Capture = {};
    const file = "deployments/production.yaml";
    expectReceipt(stub, "write");
    expectMain(stub, repo.base).tree(repo.base).blobs(repo.base, PROMOTE_READS);
    expectOpenPulls(stub, PROMOTE_BRANCH, []);
    stub
      // the branch of an earlier request (by someone else), its pull request closed
      .expect("GET", `${REPO}/git/ref/${encodeURIComponent(`heads/${PROMOTE_BRANCH}`)}`, {
        reply: [200, { ref: `refs/heads/${PROMOTE_BRANCH}`, object: { sha: repo.head } }],
      })
      .expect("PATCH", `${REPO}/git/refs/${encodeURIComponent(`heads/${PROMOTE_BRANCH}`)}`, {
        body: { sha: repo.base, force: true },
        reply: [200, { ref: `refs/heads/${PROMOTE_BRANCH}`, object: { sha: repo.base } }],
      })
      .expect("PUT", `${REPO}/contents/${encodeURIComponent(file)}`, {
        body: (body: Capture["file"]) => {
          capture.file = body;
          return body?.sha === blobId(repo.dir, repo.base, file) && body?.branch === PROMOTE_BRANCH;
        },
        reply: [200, { content: {}, commit: { sha: "c" } }],
      })
      .expect("POST", `${REPO}/pulls`, { body: () => true, reply: [201, { number: 18, html_url: "h" }] });
    expectReply(stub, capture);
    await probot.receive(commentEvent("/modelci promote weather 8 to production"));
    expect(capture.reply).toContain("Opened #18");
    expect(capture.file?.message).toContain("Modelci-Requested-By: carol");
    api.done();
  });

  it("explains what is wrong with a promotion it cannot make", async () => {
    const repo = appRepo();
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const capture: Capture = {};
    expectReceipt(stub, "write");
    expectMain(stub, repo.base)
      .tree(repo.base)
      .blobs(repo.base, [
        "modelci.yaml",
        "deployments/production.yaml",
        "deployments/staging.yaml",
        "models/weather/model.yaml",
      ]);
    expectReply(stub, capture);
    await probot.receive(commentEvent("/modelci promote weather 9 to prodution"));
    expect(capture.reply).toBe(
      '@carol `/modelci promote` did nothing: there is no deployment target "prodution" on `main` (did you mean "production"?).',
    );
    api.done();
  });

  it("answers a read-only user politely and changes nothing", async () => {
    const repo = appRepo();
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const capture: Capture = {};
    expectReceipt(stub, "read");
    expectReply(stub, capture);
    await probot.receive(commentEvent("/modelci promote weather 8 to production"));
    expect(capture.reply).toBe(
      "Sorry @carol, only people with write access to this repository can run `/modelci promote`. A maintainer can run it for you.",
    );
    api.done();
  });

  it("replies to a malformed command with the error and the commands, and ignores bots and plain comments", async () => {
    const repo = appRepo();
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const capture: Capture = {};
    expectReceipt(stub);
    expectReply(stub, capture);
    await probot.receive(commentEvent("/modelci promote weather eight to production"));
    expect(capture.reply).toContain('@carol VERSION must be a version number such as 8, got "eight".');
    expect(capture.reply).toContain("`/modelci rollback TARGET`");
    await probot.receive(commentEvent("Nice work, ship it."));
    const bot = commentEvent("/modelci help");
    (bot.payload as { comment: { user: { type: string } } }).comment.user.type = "Bot";
    await probot.receive(bot);
    api.done();
  });
});

describe("/modelci rollback", () => {
  it("opens a pull request restoring what the target served before its last change", async () => {
    const repo = appRepo();
    gitAt(repo.dir, undefined, "checkout", "-q", "main");
    gitAt(repo.dir, undefined, "merge", "-q", "--ff-only", "promote");
    const [last = "", before = ""] = commitsOf(repo.dir, repo.head, "deployments/production.yaml");
    const branch = `modelci/rollback-production-${before.slice(0, 7)}`;
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const capture: Capture = {};
    expectReceipt(stub, "write");
    expectMain(stub, repo.head)
      .tree(repo.head)
      .blobs(repo.head, ["modelci.yaml", "deployments/production.yaml", "deployments/staging.yaml"])
      .fileCommits(repo.head, "deployments/production.yaml")
      .fileAt(before, "deployments/production.yaml");
    expectOpenPulls(stub, branch, []);
    expectNewPull(stub, repo, repo.head, branch, capture);
    expectReply(stub, capture);
    await probot.receive(commentEvent("/modelci rollback production"));
    api.done();
    expect(capture.file?.content).toContain("models: { weather: { version: 7 } }");
    expect(capture.pull?.title).toBe("Roll back production to weather 7");
    expect(capture.pull?.body).toContain(
      `what it served before \`${last.slice(0, 7)}\` (promote weather 8 to production)`,
    );
    expect(capture.pull?.body).toContain("- weather: 8 → 7");
    expect(capture.reply).toBe(
      "@carol Opened #17 to roll production back; the `modelci/promotion` check judges it.",
    );
  });
});

/** A comment on pull request #ISSUE rather than on an issue. */
function pullCommentEvent(body: string, login = "carol") {
  const event = commentEvent(body, login);
  (event.payload as { issue: { pull_request?: unknown } }).issue.pull_request = {
    url: `https://api.github.com${REPO}/pulls/${ISSUE}`,
    html_url: `https://github.com/Codertocat/Hello-World/pull/${ISSUE}`,
    diff_url: `https://github.com/Codertocat/Hello-World/pull/${ISSUE}.diff`,
    patch_url: `https://github.com/Codertocat/Hello-World/pull/${ISSUE}.patch`,
  };
  return event;
}

describe("/modelci run", () => {
  it("adds the run label afresh, so the workflow trains the head commit", async () => {
    const repo = appRepo();
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const capture: Capture = {};
    expectReceipt(stub, "write")
      .expect("GET", `${REPO}/pulls/${ISSUE}`, {
        reply: [200, { number: ISSUE, state: "open", head: { sha: repo.head } }],
      })
      .expect("DELETE", `${REPO}/issues/${ISSUE}/labels/${encodeURIComponent("modelci:run")}`, {
        reply: [404, { message: "Label does not exist" }],
      })
      .expect("POST", `${REPO}/issues/${ISSUE}/labels`, {
        body: { labels: ["modelci:run"] },
        reply: [200, [{ name: "modelci:run" }]],
      });
    expectReply(stub, capture);
    await probot.receive(pullCommentEvent("Reviewed the new commits.\n/modelci run"));
    expect(capture.reply).toBe(
      `@carol added the \`modelci:run\` label: the modelci workflow trains head \`${repo.head.slice(0, 7)}\`. A later push needs \`/modelci run\` again.`,
    );
    api.done();
  });

  it("refuses a read-only user, and works only on pull requests", async () => {
    const repo = appRepo();
    const probot = await testApp();
    const api = expectToken(githubApi());
    const stub = stubRepo(api, repo.dir);
    const capture: Capture = {};
    expectReply(expectReceipt(stub, "read"), capture);
    await probot.receive(pullCommentEvent("/modelci run"));
    expect(capture.reply).toBe(
      "Sorry @carol, only people with write access to this repository can run `/modelci run`. A maintainer can run it for you.",
    );
    expectReply(expectReceipt(stub, "write"), capture);
    await probot.receive(commentEvent("/modelci run"));
    expect(capture.reply).toBe(
      "@carol `/modelci run` did nothing: it belongs in a pull request comment, where it trains the pull request's head commit.",
    );
    api.done();
  });
});

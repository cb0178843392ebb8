import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { renderDriftResultBlock } from "../core/retrain/read-drift-check.ts";
import { githubApi, resetGitHubApi } from "./helpers/github-api.ts";
import { expectToken, INSTALLATION, testApp } from "./helpers/probot-app.ts";
import {
  createWorld,
  expectOpen,
  expectRead,
  expectUpdate,
  REPO,
  type World,
} from "./helpers/retrain-world.ts";
import { webhookExample } from "./helpers/webhook-example.ts";

afterEach(resetGitHubApi);

const SUITE = 4683454167;
const RUN_URL = "https://github.com/Codertocat/Hello-World/actions/runs/30433642";
const WEATHER = readFileSync("examples/weather/models/weather/model.yaml", "utf8");
const RAIN = WEATHER.replace(/retrain: .*\n/, "retrain: { cooldown-hours: 12 }\n").replace(
  '["@acme/forecasting", alice]',
  "[bob]",
);

function weatherDrift(stat = 0.31, models: Record<string, unknown> = {}) {
  return {
    target: "production",
    models: {
      weather: {
        version: 1,
        dataset: { drifted: 2, share: 0.5, verdict: "drift" },
        features: {
          temp_max: { method: "ks", drifted: true, ks_statistic: stat, ks_p_value: 0.00012 },
          temp_min: { method: "ks", drifted: true, ks_statistic: 0.22, ks_p_value: 0.004 },
          precipitation: { method: "ks", drifted: false, ks_statistic: 0.05, ks_p_value: 0.61 },
          "wind|<b>@x": { method: "ks", drifted: false, ks_statistic: 0.04, ks_p_value: 0.8 },
        },
        prediction: { drifted: true },
      },
      ...models,
    },
  };
}

function workflowRun(id: string, conclusion = "failure", branch = "main") {
  const payload = webhookExample("workflow_run", "completed");
  const run = payload.workflow_run as Record<string, unknown>;
  run.conclusion = conclusion;
  run.head_branch = branch;
  run.check_suite_id = SUITE;
  run.html_url = RUN_URL;
  (payload.repository as { default_branch: string }).default_branch = "main";
  payload.installation = { id: INSTALLATION, node_id: "I" };
  return { id, name: "workflow_run" as const, payload: payload as never };
}

function expectCheckRuns(
  api: ReturnType<typeof githubApi>,
  world: World,
  result: unknown,
  name = "modelci/drift",
) {
  const text = `| table |\n\n${renderDriftResultBlock(result)}`;
  api.expect("GET", `${REPO}/check-suites/${SUITE}/check-runs`, {
    query: { per_page: 100 },
    reply: () => {
      world.requests++;
      const runs = [
        { id: 1, name: "test", output: { title: "ok", summary: "", text: null } },
        { id: 2, name, output: { title: "drift", summary: "…", text } },
      ];
      return [200, { total_count: 2, check_runs: runs }];
    },
  });
}

const clock = { now: new Date("2026-03-04T06:00:00Z") };
const at = (iso: string) => {
  clock.now = new Date(iso);
};

function setup() {
  at("2026-03-04T06:00:00Z");
  const world = createWorld(
    { "models/weather/model.yaml": WEATHER, "models/rain/model.yaml": RAIN },
    () => clock.now,
  );
  return world;
}

describe("retraining pull requests from failed drift checks", () => {
  it("opens one pull request with the evidence, edits it when the drift changes, and not again on a redelivery", async () => {
    const world = setup();
    const probot = await testApp({ clock: () => clock.now });
    const api = expectToken(githubApi());
    expectCheckRuns(api, world, weatherDrift());
    expectRead(api, world);
    expectOpen(api, world, { number: 31, branch: "modelci/retrain/weather" });
    const first = workflowRun("d-1");
    await probot.receive(first);
    await probot.receive(first); // redelivery: nothing at all
    api.done();
    // The check runs, one GraphQL read, then tree, commit, branch, pull request, reviewers, label.
    expect(world.requests).toBe(8);

    expect(world.pulls).toHaveLength(1);
    const [pull] = world.pulls;
    expect(pull?.title).toBe("Retrain weather: drift in production (version 1)");
    expect(pull?.labels).toEqual(["modelci:retrain"]);
    expect(pull?.reviewers).toEqual(["alice"]);
    expect(pull?.teams).toEqual(["forecasting"]);
    expect(pull?.body).toMatch(/^<!-- modelci:retrain model=weather fingerprint=[0-9a-f]{16} -->/);
    expect(pull?.body).toContain("2 of 4 features drifted, share 0.5");
    expect(pull?.body).toContain("| temp_max | ks | ✗ drift | ks_p_value 0.00012, ks_statistic 0.31 |");
    expect(pull?.body).toContain("wind\\|&lt;b&gt;&#64;x");
    expect(pull?.body).toContain(`[the drift check run](${RUN_URL})`);
    expect(pull?.body).toContain("Prediction drift: **yes**");
    const [commit] = [...world.commits.values()];
    const marker = JSON.parse(commit?.files["models/weather/retrain.json"] ?? "{}");
    expect(marker).toMatchObject({
      model: "weather",
      target: "production",
      version: 1,
      drifted: ["temp_max", "temp_min"],
    });
    expect(commit?.parent).toBe("a".repeat(40));

    // The same drift the next night: one read, nothing written.
    at("2026-03-05T06:00:00Z");
    const again = githubApi(); // the installation token is cached
    expectCheckRuns(again, world, weatherDrift(0.312));
    expectRead(again, world);
    const before = world.requests;
    await probot.receive(workflowRun("d-2"));
    again.done();
    expect(world.requests - before).toBe(2);

    // A markedly different drift: the branch moves forward and the body is edited in place.
    const changed = githubApi(); // the installation token is cached
    expectCheckRuns(changed, world, weatherDrift(0.58));
    expectRead(changed, world);
    expectUpdate(changed, world, 31, "modelci/retrain/weather");
    await probot.receive(workflowRun("d-3"));
    changed.done();
    expect(world.pulls).toHaveLength(1);
    expect(world.pulls[0]?.body).toContain("ks_statistic 0.58");
  });

  it("gives one pull request for two concurrent deliveries, and one per drifted model", async () => {
    const world = setup();
    const probot = await testApp({ clock: () => clock.now });
    const api = expectToken(githubApi());
    const rain = {
      version: 3,
      dataset: { verdict: "drift", share: 1 },
      features: { humidity: { method: "psi", drifted: true, psi: 0.4 } },
    };
    const calm = { version: 2, dataset: { verdict: "no drift" }, features: {} };
    const result = weatherDrift(0.31, { rain, calm });
    api.expect("GET", `${REPO}/check-suites/${SUITE}/check-runs`, {
      query: { per_page: 100 },
      times: 2,
      reply: [
        200,
        {
          total_count: 1,
          check_runs: [{ id: 2, name: "modelci/drift", output: { text: renderDriftResultBlock(result) } }],
        },
      ],
    });
    expectRead(api, world, 4);
    expectOpen(api, world, { number: 40, branch: "modelci/retrain/rain" });
    expectOpen(api, world, { number: 41, branch: "modelci/retrain/weather" });
    await Promise.all([probot.receive(workflowRun("c-1")), probot.receive(workflowRun("c-2"))]);
    api.done();
    const branches = world.pulls.map((p) => p.headRefName).sort();
    expect(branches).toEqual(["modelci/retrain/rain", "modelci/retrain/weather"]);
    expect(world.pulls.find((p) => p.headRefName.endsWith("rain"))?.reviewers).toEqual(["bob"]);
  });

  it("stays silent after a pull request is closed until the drift changes, and honours the cool-down", async () => {
    const world = setup();
    const probot = await testApp({ clock: () => clock.now });
    const api = expectToken(githubApi());
    expectCheckRuns(api, world, weatherDrift());
    expectRead(api, world);
    expectOpen(api, world, { number: 50, branch: "modelci/retrain/weather" });
    await probot.receive(workflowRun("x-1"));
    api.done();
    const pull = world.pulls[0];
    if (pull) pull.state = "CLOSED";

    // Two days later, the same drift: closed without merging, so nothing.
    at("2026-03-06T06:00:00Z");
    const same = githubApi(); // the installation token is cached
    expectCheckRuns(same, world, weatherDrift());
    expectRead(same, world);
    await probot.receive(workflowRun("x-2"));
    same.done();

    // A new drift within the cool-down of a fresh pull request: nothing either.
    if (pull) pull.createdAt = "2026-03-06T00:00:00Z";
    const cooling = githubApi(); // the installation token is cached
    expectCheckRuns(cooling, world, weatherDrift(0.7));
    expectRead(cooling, world);
    await probot.receive(workflowRun("x-3"));
    cooling.done();

    // After the cool-down, the changed drift opens a new one, resetting the branch.
    at("2026-03-07T06:00:00Z");
    const fresh = githubApi(); // the installation token is cached
    expectCheckRuns(fresh, world, weatherDrift(0.7));
    expectRead(fresh, world);
    expectOpen(fresh, world, { number: 51, branch: "modelci/retrain/weather", reset: true });
    await probot.receive(workflowRun("x-4"));
    fresh.done();
    expect(world.pulls.map((p) => [p.number, p.state])).toEqual([
      [50, "CLOSED"],
      [51, "OPEN"],
    ]);
  });

  it("ignores successful runs, other branches, other workflows and malformed results", async () => {
    const world = setup();
    const probot = await testApp({ clock: () => clock.now });
    await probot.receive(workflowRun("s-1", "success"));
    await probot.receive(workflowRun("s-2", "failure", "feature"));
    const api = expectToken(githubApi());
    expectCheckRuns(api, world, weatherDrift(), "build");
    await probot.receive(workflowRun("s-3"));
    expectCheckRuns(api, world, { target: "production", models: { weather: { version: "one" } } });
    await probot.receive(workflowRun("s-4"));
    api.done();
    expect(world.pulls).toHaveLength(0);
  });

  it("opens the pull request from a repository_dispatch of type modelci-drift", async () => {
    const world = setup();
    const probot = await testApp({ clock: () => clock.now });
    const api = expectToken(githubApi());
    expectRead(api, world);
    expectOpen(api, world, { number: 60, branch: "modelci/retrain/weather" });
    const payload = webhookExample("repository_dispatch");
    payload.action = "modelci-drift";
    payload.client_payload = { ...weatherDrift(), run_url: "https://monitor.example/runs/9" };
    payload.repository = webhookExample("workflow_run", "completed").repository;
    (payload.repository as { default_branch: string }).default_branch = "main";
    payload.installation = { id: INSTALLATION, node_id: "I" };
    await probot.receive({ id: "rd-1", name: "repository_dispatch", payload: payload as never });
    api.done();
    expect(world.pulls[0]?.body).toContain("[the drift check run](https://monitor.example/runs/9)");
  });
});

function retrainComment(body: string, login: string, id: string) {
  const payload = webhookExample("issue_comment", "created");
  const comment = payload.comment as { id: number; body: string; user: { login: string; type: string } };
  comment.id = 7;
  comment.body = body;
  comment.user.login = login;
  comment.user.type = "User";
  (payload.sender as { login: string }).login = login;
  (payload.issue as { number: number; pull_request?: unknown }).number = 12;
  delete (payload.issue as { pull_request?: unknown }).pull_request;
  payload.repository = webhookExample("workflow_run", "completed").repository;
  (payload.repository as { default_branch: string }).default_branch = "main";
  payload.installation = { id: INSTALLATION, node_id: "I" };
  return { id, name: "issue_comment" as const, payload: payload as never };
}

describe("/modelci retrain", () => {
  function expectCommand(
    api: ReturnType<typeof githubApi>,
    login: string,
    permission: string,
    replies: string[],
  ) {
    api
      .expect("POST", `${REPO}/issues/comments/7/reactions`, {
        body: { content: "eyes" },
        reply: [201, { id: 1 }],
      })
      .expect("GET", `${REPO}/collaborators/${login}/permission`, {
        reply: [200, { permission, role_name: permission, user: { login } }],
      })
      .expect("POST", `${REPO}/issues/12/comments`, {
        reply: (body) => {
          replies.push((body as { body: string }).body);
          return [201, { id: 2 }];
        },
      });
  }

  it("opens the retraining pull request for a writer, with the reason, and points to it afterwards", async () => {
    const world = setup();
    const probot = await testApp({ clock: () => clock.now });
    const replies: string[] = [];
    const api = expectToken(githubApi());
    expectCommand(api, "alice", "write", replies);
    expectRead(api, world);
    expectOpen(api, world, { number: 70, branch: "modelci/retrain/weather" });
    await probot.receive(
      retrainComment("/modelci retrain weather the 2015 data looks different", "alice", "m-1"),
    );
    api.done();
    expect(replies[0]).toBe(
      "@alice Opened #70 to retrain weather; the pull request loop trains it and compares it with the champion.",
    );
    const pull = world.pulls[0];
    expect(pull?.body).toContain("Requested by @alice in #12: the 2015 data looks different.");
    // alice asked, so for the promotion gate she is the author (the trailer in the App's commit).
    const [commit] = [...world.commits.values()];
    expect(commit?.message).toMatch(/\n\nModelci-Requested-By: alice$/);
    // alice asked, so she is not asked to review her own request; the team is.
    expect(pull?.reviewers).toEqual([]);
    expect(pull?.teams).toEqual(["forecasting"]);

    const again = githubApi();
    expectCommand(again, "alice", "admin", replies);
    expectRead(again, world);
    await probot.receive(retrainComment("/modelci retrain weather", "alice", "m-2"));
    again.done();
    expect(replies[1]).toBe(`@alice #70 already retrains weather: ${pull?.url}`);
  });

  it("refuses a read-only user politely and changes nothing", async () => {
    setup();
    const probot = await testApp({ clock: () => clock.now });
    const replies: string[] = [];
    const api = expectToken(githubApi());
    expectCommand(api, "mallory", "read", replies);
    await probot.receive(retrainComment("/modelci retrain weather", "mallory", "m-3"));
    api.done();
    expect(replies[0]).toBe(
      "Sorry @mallory, only people with write access to this repository can run `/modelci retrain`. A maintainer can run it for you.",
    );
  });
});

describe("the drift-check watchdog", () => {
  const PRODUCTION = readFileSync("examples/weather/deployments/production.yaml", "utf8");
  const TITLE = "drift checks are not running for production";

  it("opens one issue when scheduled checks stop, and closes it when a check completes", async () => {
    const world = createWorld({ "deployments/production.yaml": PRODUCTION }, () => clock.now);
    at("2026-03-04T06:00:00Z");
    let sweep: (() => Promise<void>) | undefined;
    const probot = await testApp({ clock: () => clock.now, scheduleWatchdog: (run) => (sweep = run) });
    const issues: { number: number; title: string; body: string; state: string }[] = [];
    const api = githubApi();
    api
      .expect("GET", "/app/installations", { query: { per_page: 100 }, reply: [200, [{ id: INSTALLATION }]] })
      .expect("POST", `/app/installations/${INSTALLATION}/access_tokens`, {
        reply: [201, { token: "t", expires_at: "2099-01-01T00:00:00Z", permissions: {} }],
      })
      .expect("GET", "/installation/repositories", {
        query: { per_page: 100 },
        reply: [
          200,
          { total_count: 1, repositories: [webhookExample("workflow_run", "completed").repository] },
        ],
      });
    expectRead(api, world);
    const expectOpenIssues = (target: ReturnType<typeof githubApi>) =>
      target.expect("GET", `${REPO}/issues`, {
        query: { labels: "modelci:drift-watchdog", state: "open", per_page: 100 },
        reply: () => [200, issues.filter((i) => i.state === "open")],
      });
    const expectRuns = (target: ReturnType<typeof githubApi>, updated: string) =>
      target.expect("GET", `${REPO}/actions/workflows/modelci-drift.yml/runs`, {
        query: { branch: "main", status: "completed", per_page: 1 },
        reply: [200, { total_count: 1, workflow_runs: [{ id: 1, updated_at: updated }] }],
      });
    expectOpenIssues(api);
    expectRuns(api, "2026-03-01T06:05:00Z");
    api.expect("POST", `${REPO}/issues`, {
      reply: (body) => {
        const { title, body: text } = body as { title: string; body: string };
        issues.push({ number: 90, title, body: text, state: "open" });
        return [201, { number: 90 }];
      },
    });
    await sweep?.();
    api.done();
    expect(issues.map((i) => i.title)).toEqual([TITLE]);
    expect(issues[0]?.body).toContain("last completed at 2026-03-01T06:05:00.000Z");

    // The next sweep, nothing new: no write.
    const quiet = githubApi();
    quiet
      .expect("GET", "/app/installations", { query: { per_page: 100 }, reply: [200, [{ id: INSTALLATION }]] })
      .expect("GET", "/installation/repositories", {
        query: { per_page: 100 },
        reply: [
          200,
          { total_count: 1, repositories: [webhookExample("workflow_run", "completed").repository] },
        ],
      });
    expectRead(quiet, world);
    expectOpenIssues(quiet);
    expectRuns(quiet, "2026-03-01T06:05:00Z");
    await sweep?.();
    quiet.done();

    // A drift workflow completes: the issue is closed with a comment.
    at("2026-03-04T06:30:00Z");
    const resumed = githubApi();
    expectRead(resumed, world);
    expectOpenIssues(resumed);
    expectRuns(resumed, "2026-03-04T06:20:00Z");
    resumed
      .expect("POST", `${REPO}/issues/90/comments`, {
        body: (b: { body: string }) => b.body.includes("run again"),
        reply: [201, {}],
      })
      .expect("PATCH", `${REPO}/issues/90`, {
        reply: (body) => {
          const issue = issues[0];
          if (issue) issue.state = (body as { state: string }).state;
          return [200, { number: 90 }];
        },
      });
    const event = workflowRun("w-1", "success");
    (event.payload as { workflow_run: { path: string } }).workflow_run.path =
      ".github/workflows/modelci-drift.yml";
    await probot.receive(event);
    resumed.done();
    expect(issues[0]?.state).toBe("closed");
  });
});

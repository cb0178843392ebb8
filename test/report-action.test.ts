import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { reportMarker } from "../core/report/report-marker.ts";
import { makeManifest, makeResult } from "./helpers/comparison-fixtures.ts";
import { FakeGitHub } from "./helpers/fake-github-server.ts";
import { runActionAsync } from "./helpers/run-action.ts";
import { STACK_TRACE, tempDir } from "./helpers/temp-repo.ts";
import { webhookExample } from "./helpers/webhook-example.ts";

const PR = 42;
const HEAD = "c".repeat(40);
let github: FakeGitHub;

beforeEach(async () => {
  github = await new FakeGitHub().start();
});
afterEach(async () => {
  await github.stop();
});

const CHAMPION = { accuracy: 0.86, f1_macro: 0.43, log_loss: 0.52, latency_p99_ms: 0.2 };

/** The weather example with result files as the reusable workflow downloads them. */
function workspace(files: Record<string, unknown>): string {
  const dir = tempDir("examples/weather");
  mkdirSync(join(dir, "modelci-results"));
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, "modelci-results", name), JSON.stringify(content));
  }
  const event = webhookExample("pull_request", "synchronize") as {
    number: number;
    pull_request: { number: number; head: { sha: string } };
  };
  event.number = PR;
  event.pull_request.number = PR;
  event.pull_request.head.sha = HEAD;
  writeFileSync(join(dir, "event.json"), JSON.stringify(event));
  return dir;
}

function candidate(f1: number, runId = "lr-0.5_l2-0.001") {
  return makeResult({
    experiment: "weather-logreg",
    runId,
    metrics: { ...CHAMPION, f1_macro: f1 },
    baseline: CHAMPION,
    intervals: { f1_macro: [f1 - 0.43 - 0.01, f1 - 0.43 + 0.01] },
  });
}

async function report(dir: string, inputs: Record<string, string> = {}) {
  return runActionAsync(
    "report",
    { "github-token": "test-token", ...inputs },
    {
      cwd: dir,
      env: {
        GITHUB_API_URL: github.baseUrl,
        GITHUB_REPOSITORY: "acme/weather",
        GITHUB_EVENT_NAME: "pull_request",
        GITHUB_EVENT_PATH: join(dir, "event.json"),
        GITHUB_WORKFLOW: "models",
        GITHUB_RUN_ID: "7",
        GITHUB_SERVER_URL: "https://github.example",
      },
    },
  );
}

describe("actions/report against a GitHub-compatible API", () => {
  it("leaves exactly one comment, updated in place by the second run, and one check run", async () => {
    const dir = workspace({ "a.json": candidate(0.44) });
    const first = await report(dir);
    expect(first.stdout).not.toContain("::error");
    expect(first.code).toBe(0);
    expect(first.outputs.verdict).toBe("pass");
    expect(first.stdout).toContain("Sticky comment created");
    writeFileSync(join(dir, "modelci-results/a.json"), JSON.stringify(candidate(0.45)));
    const second = await report(dir);
    expect(second.stdout).toContain(`Sticky comment updated (id ${first.outputs["comment-id"]})`);
    const comments = github.comments.get(PR) ?? [];
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain(reportMarker("models"));
    expect(comments[0]?.body).toContain("0.45");
    expect(github.checkRuns).toHaveLength(1);
    expect(github.checkRuns[0]).toMatchObject({
      name: "modelci/metrics",
      head_sha: HEAD,
      conclusion: "success",
    });
    expect(second.summary).toContain("weather");
    expect(github.problems).toEqual([]);
  });

  it("writes nothing when the report did not change", async () => {
    const dir = workspace({ "a.json": candidate(0.44) });
    await report(dir);
    const writes = () =>
      github.requests.filter((r) => r.startsWith("PATCH /repos/acme/weather/issues")).length;
    const before = writes();
    const again = await report(dir);
    expect(again.stdout).toContain("Sticky comment unchanged");
    expect(writes()).toBe(before);
  });

  it("finds its comment on page 3 of the pull request's comments", async () => {
    github.seedComments(PR, 230);
    const dir = workspace({ "a.json": candidate(0.44) });
    const list = github.comments.get(PR) ?? [];
    list.push({ id: 1, body: `old report\n\n${reportMarker("models")}` });
    github.seedComments(PR, 5);
    const result = await report(dir);
    expect(result.stdout).toContain("Sticky comment updated (id 1)");
    expect(github.comments.get(PR)).toHaveLength(236);
    expect(github.requests.filter((r) => r === "GET /repos/acme/weather/issues/42/comments")).toHaveLength(3);
    expect(github.problems).toEqual([]);
  });

  it("with a read-only token (a fork's pull request) writes the job summary and explains", async () => {
    github.readOnly = true;
    const dir = workspace({ "a.json": candidate(0.44) });
    const result = await report(dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/::warning::Could not comment on the pull request: .*read-only/);
    expect(result.summary).toContain("weather");
    expect(github.comments.get(PR) ?? []).toHaveLength(0);
    expect(result.stdout + result.stderr).not.toMatch(STACK_TRACE);
  });

  it("reports a failed matrix run and fails the step, still posting", async () => {
    const dir = workspace({
      "a.json": candidate(0.44),
      "manifest.json": makeManifest({
        experiment: "weather-logreg",
        runId: "lr-0.1_l2-0.01",
        reason: "the command exited with code 137",
      }),
    });
    const result = await report(dir);
    expect(result.code).toBe(1);
    expect(result.outputs.verdict).toBe("error");
    expect(github.comments.get(PR)?.[0]?.body).toContain("exited with code 137");
    expect(github.checkRuns[0]?.conclusion).toBe("failure");
  });

  it("fails on a failing gate unless told not to", async () => {
    const regressed = makeResult({
      experiment: "weather-logreg",
      metrics: { ...CHAMPION, f1_macro: 0.35 },
      baseline: CHAMPION,
      intervals: { f1_macro: [-0.11, -0.05] },
    });
    const dir = workspace({ "a.json": regressed });
    const failed = await report(dir);
    expect(failed.code).toBe(1);
    expect(failed.outputs.verdict).toBe("fail");
    const lenient = await report(dir, { "fail-on-gate": "false" });
    expect(lenient.code).toBe(0);
  });

  it("judges a first version with no champion on its absolute gates only", async () => {
    const first = makeResult({ experiment: "weather-logreg", metrics: CHAMPION });
    const dir = workspace({ "a.json": first });
    for (const target of ["staging", "production"]) {
      const path = join(dir, "deployments", `${target}.yaml`);
      writeFileSync(path, readFileSync(path, "utf8").replace(/^models: .*$/m, "models: {}"));
    }
    const result = await report(dir);
    expect(result.code).toBe(0);
    expect(result.outputs.verdict).toBe("no-champion");
    expect(github.comments.get(PR)?.[0]?.body).toMatch(/no champion/i);
  });

  it("writes the check run even when every comment write fails, then fails the step", async () => {
    github.failComments = true;
    const dir = workspace({ "a.json": candidate(0.44) });
    const result = await report(dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("::error::Could not comment on the pull request");
    expect(github.checkRuns).toHaveLength(1);
    expect(github.checkRuns[0]).toMatchObject({
      name: "modelci/metrics",
      head_sha: HEAD,
      conclusion: "success",
    });
    expect(result.stderr + result.stdout).not.toMatch(STACK_TRACE);
  });

  it("writes the full report inside the workspace, names it there, and says when no artifact is uploaded", async () => {
    const dir = workspace({ "a.json": candidate(0.44) });
    const result = await report(dir);
    expect(result.outputs.report).toBe(".modelci/report/models.md");
    expect(readFileSync(join(dir, ".modelci/report/models.md"), "utf8")).toContain(reportMarker("models"));
    expect(existsSync(join(dir, "modelci-report.md"))).toBe(false);
    // Off a runner there is no artifact service; on one, the report is uploaded as modelci-report-<key>.
    expect(result.stdout).toContain("artifact modelci-report-models was not uploaded");
  });
});

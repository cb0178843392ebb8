import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeGitHub } from "./helpers/fake-github-server.ts";
import { runWorkflow, type StepRecord } from "./helpers/run-workflow.ts";
import { editFile, git, gitWith, REPO_ROOT, STACK_TRACE, tempDir } from "./helpers/temp-repo.ts";
import { webhookExample } from "./helpers/webhook-example.ts";

const PR = 42;
const REPOSITORY = "acme/weather";
let github: FakeGitHub;

beforeEach(async () => {
  github = await new FakeGitHub().start();
});
afterEach(async () => {
  await github.stop();
});

/** Sets what a deployment file serves: `models: { weather: { version: 1 } }` or `models: {}`. */
function serve(origin: string, target: string, models: string): void {
  editFile(join(origin, "deployments", `${target}.yaml`), (text) =>
    text.replace(/^models: .*$/m, `models: ${models}`),
  );
}

/**
 * The origin repository: the weather example (champion: v1, served by production, its artifact in
 * the committed local store) on main, a pull request that trains one run (it drops the sweep), and
 * GitHub's merge commit of the two, as `refs/pull/42/merge`. `edits` change the base before its
 * commit, and the pull request besides its change to the experiment.
 */
function originWithPullRequest(
  edits: { base?: (origin: string) => void; pullRequest?: (origin: string) => void } = {},
): { origin: string; base: string; head: string; merge: string } {
  const origin = tempDir("examples/weather");
  edits.base?.(origin);
  writeFileSync(join(origin, ".gitignore"), "node_modules\n.modelci/\nout/\n");
  git(origin, "init", "-q", "-b", "main");
  git(origin, "config", "uploadpack.allowReachableSHA1InWant", "true");
  const commit = (message: string) => {
    git(origin, "add", "-A");
    gitWith(
      origin,
      { GIT_AUTHOR_DATE: "2026-11-30T10:00:00Z" },
      "commit",
      "-q",
      "--no-gpg-sign",
      "-m",
      message,
    );
    return git(origin, "rev-parse", "HEAD");
  };
  const base = commit("weather example");
  git(origin, "checkout", "-q", "-b", "pr");
  editFile(join(origin, "experiments/weather-logreg.yaml"), (text) =>
    text.replace(/^sweep:\n( {2}.*\n)+/m, "").replace("l2: 0.001", "l2: 0.0003"),
  );
  edits.pullRequest?.(origin);
  const head = commit("weather: one run with l2 0.0003");
  git(origin, "checkout", "-q", "--detach", base);
  git(origin, "merge", "-q", "--no-ff", "--no-gpg-sign", "-m", `Merge ${head} into ${base}`, "pr");
  const merge = git(origin, "rev-parse", "HEAD");
  git(origin, "update-ref", `refs/pull/${PR}/merge`, merge);
  git(origin, "checkout", "-q", "main");
  return { origin, base, head, merge };
}

function pullRequestEvent(base: string, head: string): Record<string, unknown> {
  const event = webhookExample("pull_request", "synchronize") as {
    number: number;
    pull_request: {
      number: number;
      base: { sha: string; repo: { full_name: string } };
      head: { sha: string; repo: { full_name: string } };
    };
    repository: { full_name: string };
  };
  event.number = PR;
  event.pull_request.number = PR;
  event.pull_request.base.sha = base;
  event.pull_request.head.sha = head;
  event.pull_request.base.repo.full_name = REPOSITORY;
  event.pull_request.head.repo.full_name = REPOSITORY;
  event.repository.full_name = REPOSITORY;
  return event as unknown as Record<string, unknown>;
}

/** The caller workflow, as docs/workflows.md shows it. */
function callerInputs(): Record<string, string> {
  const caller = readFileSync(join(REPO_ROOT, "docs/workflows.md"), "utf8");
  expect(caller).toContain("uses: modelci/modelci/.github/workflows/modelci.yml@v1");
  // The example's trainer imports onnx-proto: `setup` links this checkout's node_modules.
  return { root: ".", setup: `ln -s ${join(REPO_ROOT, "node_modules")} node_modules` };
}

function show(records: StepRecord[]): string {
  return records.map((r) => `── ${r.job} / ${r.step}: exit ${r.code} (${r.ms} ms)\n${r.log}`).join("\n");
}

/** Runs modelci.yml on the pull request as GitHub would, recording each step. */
async function runOnPullRequest(repository: ReturnType<typeof originWithPullRequest>) {
  const { origin, base, head, merge } = repository;
  const runnerFiles = tempDir();
  const eventPath = join(runnerFiles, "event.json");
  const event = pullRequestEvent(base, head);
  writeFileSync(eventPath, JSON.stringify(event));
  const artifacts = join(runnerFiles, "artifacts");
  mkdirSync(artifacts);
  const records: StepRecord[] = [];
  const run = await runWorkflow(
    ".github/workflows/modelci.yml",
    callerInputs(),
    {
      origin,
      github: {
        event_name: "pull_request",
        event: event as never,
        repository: REPOSITORY,
        sha: merge,
        token: "test-token",
      },
      env: {
        GITHUB_EVENT_NAME: "pull_request",
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_REPOSITORY: REPOSITORY,
        GITHUB_SHA: merge,
        GITHUB_API_URL: github.baseUrl,
        GITHUB_SERVER_URL: "https://github.example",
        GITHUB_WORKFLOW: "models",
        GITHUB_RUN_ID: "7",
      },
      artifacts,
      // As on a self-hosted runner, the tool cache outlives a job: onnxruntime unpacks once.
      toolCache: join(tmpdir(), "modelci-test-tool-cache"),
    },
    records,
  );
  return { run, records, log: show(records) };
}

describe("the reusable workflows, step by step against a GitHub stub", () => {
  it("plan, train, evaluate against the champion and report a pass or fail verdict on the weather example", async () => {
    const repository = originWithPullRequest();
    const { base, head } = repository;
    const { run, records, log } = await runOnPullRequest(repository);
    // Every job ran, in order, and each step of the shipped workflows with it.
    expect(run.outputs["has-runs"], log).toBe("true");
    expect(
      records.map((r) => `${r.job} / ${r.step}`),
      log,
    ).toEqual([
      "plan / actions/checkout@v4",
      "plan / plan",
      "train weather-logreg/default / actions/checkout@v4",
      "train weather-logreg/default / actions/setup-node@v4",
      "train weather-logreg/default / setup",
      "train weather-logreg/default / train",
      "train weather-logreg/default / evaluate",
      "report / actions/checkout@v4",
      "report / actions/download-artifact@v4",
      "report / modelci/modelci/actions/report@v1",
    ]);
    const report = records.at(-1) as StepRecord;
    expect(["pass", "fail"], log).toContain(report.outputs.verdict);
    const evaluate = records.find((r) => r.step === "evaluate");
    expect(evaluate?.log).toContain(
      `Baseline: weather v1, the champion (production), at commit ${base.slice(0, 12)}`,
    );
    expect(run.jobs.report?.result).toBe(report.outputs.verdict === "pass" ? "success" : "failure");
    // One sticky comment that compares candidate and champion metric by metric.
    const comments = github.comments.get(PR) ?? [];
    expect(comments).toHaveLength(1);
    const body = comments[0]?.body ?? "";
    expect(body).not.toMatch(/no champion/i);
    expect(body).not.toContain("error");
    expect(body).toContain("| metric | champion | candidate | delta | 95% CI | gate |");
    for (const metric of ["f1_macro", "accuracy", "log_loss", "roc_auc", "latency_p99_ms"]) {
      expect(body).toMatch(
        new RegExp(`\\| \\**${metric}\\** [↑↓] \\| [\\d.,]+ \\| [\\d.,]+ \\| [+−]?[\\d.,]+ \\|`),
      );
    }
    expect(github.checkRuns[0]).toMatchObject({ name: "modelci/metrics", head_sha: head });
    expect(github.problems).toEqual([]);
    expect(log).not.toMatch(STACK_TRACE);
  }, 180_000);

  it("a pull request that trains a model and adds its first deployment reports no champion, not an error", async () => {
    // At the base no target serves weather; the pull request makes production (its baseline
    // target) serve v1. The merged tree names a champion, but before the change there is none.
    const repository = originWithPullRequest({
      base: (origin) => {
        serve(origin, "staging", "{}");
        serve(origin, "production", "{}");
      },
      pullRequest: (origin) => serve(origin, "production", "{ weather: { version: 1 } }"),
    });
    const { run, records, log } = await runOnPullRequest(repository);
    const evaluate = records.find((r) => r.step === "evaluate");
    expect(evaluate?.log, log).toContain(`No champion at commit ${repository.base.slice(0, 12)}`);
    const report = records.at(-1) as StepRecord;
    expect(report.step, log).toBe("modelci/modelci/actions/report@v1");
    expect(report.outputs.verdict, log).toBe("no-champion");
    expect(run.jobs.report?.result, log).toBe("success");
    const body = github.comments.get(PR)?.[0]?.body ?? "";
    expect(body).toMatch(/no champion yet/);
    expect(body).not.toContain("no champion metrics");
    expect(body).not.toContain("| metric | champion |");
    expect(github.checkRuns[0]).toMatchObject({ head_sha: repository.head, conclusion: "success" });
    expect(github.problems).toEqual([]);
    expect(log).not.toMatch(STACK_TRACE);
  }, 180_000);
});

/**
 * `modelci promotion-check` on a clone and the App through GitHub's API judge the same pull request
 * the same way: the same title, conclusion and rule statuses, case by case.
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
} from "./helpers/gate-scenario.ts";
import { githubApi, resetGitHubApi } from "./helpers/github-api.ts";
import { stubRepo } from "./helpers/github-repo-stub.ts";
import { expectToken, testApp } from "./helpers/probot-app.ts";
import { FEATURES_INPUT, METRICS_8, type RepoOptions } from "./helpers/promotion-repo.ts";
import { runCli } from "./helpers/temp-repo.ts";

afterEach(resetGitHubApi);

const TEAM = "@acme/forecasting";

interface Case {
  name: string;
  repo?: RepoOptions;
  /** The pull request's author (default carol). */
  author?: string;
  /** The App's own commit on top of the head, naming who asked for the pull request. */
  requestedBy?: string;
  approver: string;
  /** Whether the approver is in @acme/forecasting. */
  inTeam?: boolean;
  now: string;
}

const CASES: Case[] = [
  { name: "an owner's approval through a team", approver: "bob", inTeam: true, now: "2025-03-04T06:00:00Z" },
  { name: "the author's own approval", approver: "carol", now: "2025-03-04T06:00:00Z" },
  {
    name: "the approval of whoever asked for a command's pull request",
    author: "modelci[bot]",
    requestedBy: "alice",
    approver: "alice",
    now: "2025-03-04T06:00:00Z",
  },
  {
    name: "an owner's approval of a command's pull request someone else asked for",
    author: "modelci[bot]",
    requestedBy: "carol",
    approver: "alice",
    now: "2025-03-04T06:00:00Z",
  },
  { name: "an approval by a non-owner", approver: "dave", inTeam: false, now: "2025-03-04T06:00:00Z" },
  { name: "a skipped stage", repo: { stagedEight: false }, approver: "alice", now: "2025-03-04T06:00:00Z" },
  { name: "soak time not met", approver: "alice", now: "2025-03-03T03:12:00Z" },
  {
    name: "a failing metric gate",
    repo: { v8: { metrics: { ...METRICS_8, latency_p99_ms: 16 } } },
    approver: "alice",
    now: "2025-03-04T06:00:00Z",
  },
  {
    name: "a breaking signature",
    repo: { v8: { inputs: [{ ...FEATURES_INPUT, shape: ["N", 5] }] } },
    approver: "alice",
    now: "2025-03-04T06:00:00Z",
  },
];

/** The rule lines of the App's check summary: `| Owners' approval | ✅ met | … |` → `Owners' approval: met`. */
function appRules(summary: string): string[] {
  return [...summary.matchAll(/^\| ([A-Z][^|]*?) +\| [^\p{L}]*([a-z]+) +\|/gmu)].map(
    ([, rule, status]) => `${rule}: ${status}`,
  );
}

interface CliRule {
  title: string;
  status: string;
}

describe("the App and modelci promotion-check", () => {
  it.each(CASES)(
    "agree on $name",
    async ({ repo: options, author = "carol", requestedBy, approver, inTeam, now }) => {
      const repo = appRepo(options);
      if (requestedBy !== undefined)
        repo.head = commitAsApp(
          repo,
          withRequesterTrailer(
            `Promote weather 8 to production\n\nRequested by @${requestedBy} in #1.`,
            requestedBy,
          ),
        );
      const probot = await testApp({ now: new Date(now) });
      const api = expectToken(githubApi());
      const stub = stubRepo(api, repo.dir);
      const check: CheckCapture = {};
      expectDeclarations(stub, repo).reviews(NUMBER, [review(approver, "APPROVED", repo.head)]);
      stub.pullCommits(NUMBER, pullCommitsOf(repo.dir, repo.base, repo.head, true));
      if (inTeam !== undefined) stub.membership(TEAM, approver, inTeam);
      expectCheck(api, check);
      await probot.receive(pullRequestEvent(repo, "opened", { author }));
      api.done();

      const cli = runCli([
        "promotion-check",
        "--root",
        repo.dir,
        "--base",
        repo.base,
        "--head",
        repo.head,
        "--author",
        author,
        "--approvals",
        approver,
        ...(inTeam ? ["--teams", `${TEAM}=${approver}`] : []),
        "--now",
        now,
        "--json",
      ]);
      expect(cli.stderr).toBe("");
      const evaluation = JSON.parse(cli.stdout) as {
        conclusion: string;
        title: string;
        changes: { rules: CliRule[] }[];
      };
      expect(cli.code).toBe(evaluation.conclusion === "success" ? 0 : 1);
      expect(evaluation.conclusion).toBe(check.body?.conclusion);
      expect(evaluation.title).toBe(check.body?.output?.title);
      const cliRules = evaluation.changes.flatMap((c) => c.rules.map((r) => `${r.title}: ${r.status}`));
      expect(appRules(check.body?.output?.summary ?? "")).toEqual(cliRules);
    },
  );
});

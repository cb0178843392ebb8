/** Pull request payloads and the GitHub reads of the promotion gate, over a promotionRepo. */
import { execFileSync } from "node:child_process";
import type { GitHubApi } from "./github-api.ts";
import type { RepoStub } from "./github-repo-stub.ts";
import { INSTALLATION } from "./probot-app.ts";
import type { PromotionRepo } from "./promotion-repo.ts";
import { webhookExample } from "./webhook-example.ts";

export const REPO = "/repos/Codertocat/Hello-World";
export const NUMBER = 2;

interface PullFields {
  number: number;
  state: string;
  draft: boolean;
  user: { login: string };
  base: { sha: string; ref: string };
  head: { sha: string };
}

export interface PullOptions {
  head?: string;
  author?: string;
  draft?: boolean;
}

/** Sets the pull request of a real payload to the repository's base and head. */
export function setPull(
  payload: Record<string, unknown>,
  repo: PromotionRepo,
  options: PullOptions = {},
): void {
  payload.installation = { id: INSTALLATION, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
  const pull = payload.pull_request as PullFields;
  pull.number = NUMBER;
  pull.state = "open";
  pull.draft = options.draft ?? false;
  pull.user.login = options.author ?? "carol";
  pull.base.sha = repo.base;
  pull.base.ref = "main";
  pull.head.sha = options.head ?? repo.head;
}

/** A `pull_request` delivery from GitHub's own example, pointed at the repository's change. */
export function pullRequestEvent(repo: PromotionRepo, action = "opened", options: PullOptions = {}) {
  const payload = webhookExample("pull_request", action);
  payload.number = NUMBER;
  setPull(payload, repo, options);
  return { id: `pr-${action}-${Math.random()}`, name: "pull_request" as const, payload: payload as never };
}

/** A `pull_request_review` delivery. */
export function reviewEvent(repo: PromotionRepo, action = "submitted", options: PullOptions = {}) {
  const payload = webhookExample("pull_request_review", action);
  setPull(payload, repo, options);
  return { id: `review-${Math.random()}`, name: "pull_request_review" as const, payload: payload as never };
}

/** The pull request as `GET /repos/{o}/{r}/pulls/{n}` returns it. */
export function pullData(repo: PromotionRepo, head = repo.head) {
  const pull = webhookExample("pull_request", "opened").pull_request as Record<string, unknown>;
  return {
    ...pull,
    number: NUMBER,
    state: "open",
    draft: false,
    user: { login: "carol", id: 3, type: "User" },
    base: { ...(pull.base as object), sha: repo.base, ref: "main" },
    head: { ...(pull.head as object), sha: head },
  };
}

/** A review as GitHub's API lists it. */
export function review(user: string, state: string, commit: string, at = "2025-03-03T02:00:00Z") {
  return {
    id: Math.floor(Math.random() * 1e6),
    node_id: "R",
    user: { login: user, id: 1, type: "User" },
    body: "",
    state,
    commit_id: commit,
    submitted_at: at,
    html_url: "h",
    pull_request_url: "p",
    author_association: "MEMBER",
    _links: {},
  };
}

/** The commits of a path, newest first, like GitHub's commits API. */
export function commitsOf(dir: string, ref: string, path: string): string[] {
  return execFileSync("git", ["log", "--format=%H", ref, "--", path], { cwd: dir, encoding: "utf8" })
    .trim()
    .split("\n");
}

/**
 * The reads of a first evaluation: the changed files, two trees, and two GraphQL queries (the
 * targets, policies, changed files and reviews; then the versions, serving history and teams).
 */
export function expectDeclarations(stub: RepoStub, repo: PromotionRepo, head = repo.head): RepoStub {
  return stub.pullFiles(NUMBER, repo.base, head).tree(repo.base).tree(head).graphql(2);
}

export interface CheckCapture {
  body?: { conclusion?: string; output?: { title?: string; summary?: string }; head_sha?: string };
}

/** The check run write; the body is kept for the test's assertions. */
export function expectCheck(api: GitHubApi, capture: CheckCapture, times = 1): GitHubApi {
  return api.expect("POST", `${REPO}/check-runs`, {
    body: (body: CheckCapture["body"]) => {
      capture.body = body;
      return true;
    },
    reply: [201, { id: 99, name: "modelci/promotion", html_url: "https://github.com/c/1" }],
    times,
  });
}

/** The email GitHub gives the commits of the App `modelci` (its bot user's id, then its login). */
export const APP_EMAIL = "41898282+modelci[bot]@users.noreply.github.com";

/**
 * A commit as the App's command makes it, on top of `repo.head` (an empty one will do: the gate
 * reads its author and trailer), asked for by `requester`; returns the new head.
 */
export function commitAsApp(repo: PromotionRepo, message: string): string {
  execFileSync("git", ["commit", "-q", "--no-gpg-sign", "--allow-empty", "-m", message], {
    cwd: repo.dir,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "modelci[bot]",
      GIT_AUTHOR_EMAIL: APP_EMAIL,
      GIT_COMMITTER_NAME: "GitHub",
      GIT_COMMITTER_EMAIL: "noreply@github.com",
      GIT_AUTHOR_DATE: "2025-03-03T01:30:00Z",
      GIT_COMMITTER_DATE: "2025-03-03T01:30:00Z",
    },
  });
  return execFileSync("git", ["rev-parse", "HEAD"], { cwd: repo.dir, encoding: "utf8" }).trim();
}

/** The commits of the pull request from `head` into `base`, as GitHub lists them, all verified or not. */
export function pullCommitsOf(dir: string, base: string, head: string, verified: boolean) {
  const out = execFileSync("git", ["log", "-z", "--format=%ae%x1f%B", `${base}..${head}`], {
    cwd: dir,
    encoding: "utf8",
  });
  return out
    .split("\0")
    .filter((entry) => entry !== "")
    .map((entry) => {
      const [authorEmail = "", message = ""] = entry.split("\x1f");
      return { authorEmail, message, verified };
    });
}

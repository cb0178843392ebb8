/**
 * Serves a real git repository (in a temp folder) through the githubApi helper, the way GitHub's
 * REST and GraphQL APIs would: trees, blobs, a file's commits, a file at a commit, a pull request's
 * files, and GraphQL queries over the same repository. Every request method registers one expected
 * request and counts it, so a test can assert exactly how many requests the App made; the record
 * methods (`reviews`, `membership`, `pulls`) only set what GitHub knows and cost nothing.
 */
import { execFileSync } from "node:child_process";
import {
  type GitHubWorld,
  type GraphqlReads,
  gitGraphqlRoot,
  type RestPull,
  type RestReview,
} from "./git-graphql-root.ts";
import type { GitHubApi, Reply } from "./github-api.ts";

const git = (dir: string, ...args: string[]): string =>
  execFileSync("git", args, { cwd: dir, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });

export interface RepoStub {
  /** Requests registered through the stub (the App's reads). */
  readonly count: number;
  tree(commit: string): RepoStub;
  /** The blobs of `paths` at `commit`, each distinct blob once (the App caches blobs by sha). */
  blobs(commit: string, paths: readonly string[]): RepoStub;
  pullFiles(number: number, base: string, head: string): RepoStub;
  fileCommits(ref: string, path: string): RepoStub;
  fileAt(commit: string, path: string): RepoStub;
  commitPulls(commit: string, pulls?: unknown[]): RepoStub;
  /** One GraphQL query (or `times`), answered from the repository and the records below. */
  graphql(times?: number): RepoStub;
  /** What the GraphQL queries read. */
  readonly reads: GraphqlReads;
  /** Records a pull request's commits (GraphQL serves them), with GitHub's verification of each. */
  pullCommits(
    number: number,
    commits: GitHubWorld["pullCommits"] extends Map<number, infer C> ? C : never,
  ): RepoStub;
  /** Records a pull request's reviews, as REST lists them (GraphQL serves them). */
  reviews(number: number, reviews: unknown[]): RepoStub;
  /** The reviews through REST (`GET …/reviews`): one request. */
  restReviews(number: number, reviews: unknown[]): RepoStub;
  /** A team membership through REST (`GET /orgs/…/teams/…/memberships/…`): one request. */
  restMembership(team: string, user: string, active: boolean): RepoStub;
  /** Records whether `user` is an active member of `team` (`@org/team`). */
  membership(team: string, user: string, active: boolean): RepoStub;
  /** Records the pull requests GitHub associates with a commit (GraphQL). */
  pulls(commit: string, pulls: unknown[]): RepoStub;
  /** Records an organisation the App cannot see (GraphQL answers NOT_FOUND). */
  hideOrg(login: string): RepoStub;
  /** Any other request through the same counter. */
  expect(
    method: Parameters<GitHubApi["expect"]>[0],
    path: string,
    expectation: Parameters<GitHubApi["expect"]>[2],
  ): RepoStub;
}

export function blobId(dir: string, commit: string, path: string): string {
  return git(dir, "rev-parse", `${commit}:${path}`).trim();
}

export function stubRepo(api: GitHubApi, dir: string, fullName = "Codertocat/Hello-World"): RepoStub {
  const at = `/repos/${fullName}`;
  const served = new Set<string>();
  const world: GitHubWorld = {
    reviews: new Map(),
    members: new Map(),
    commitPulls: new Map(),
    hiddenOrgs: new Set(),
    pullCommits: new Map(),
  };
  const reads: GraphqlReads = { blobs: [], histories: [], teams: [] };
  let count = 0;
  const stub: RepoStub = {
    get count() {
      return count;
    },
    reads,
    graphql(times = 1) {
      count += times;
      api.graphql(() => gitGraphqlRoot(dir, world, reads), times);
      return stub;
    },
    reviews(number, reviews) {
      world.reviews.set(number, reviews as RestReview[]);
      return stub;
    },
    membership(team, user, active) {
      const members = world.members.get(team.toLowerCase()) ?? new Set<string>();
      if (active) members.add(user.toLowerCase());
      world.members.set(team.toLowerCase(), members);
      return stub;
    },
    hideOrg(login) {
      world.hiddenOrgs.add(login.toLowerCase());
      return stub;
    },
    pullCommits(number, commits) {
      world.pullCommits.set(number, commits);
      return stub;
    },
    pulls(commit, pulls) {
      world.commitPulls.set(commit, pulls as RestPull[]);
      return stub;
    },
    expect(method, path, expectation) {
      count++;
      api.expect(method, path, expectation);
      return stub;
    },
    tree(commit) {
      const tree = git(dir, "ls-tree", "-r", "-l", "--full-tree", commit)
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => {
          const [meta = "", path = ""] = line.split("\t");
          const [mode, type, sha, size] = meta.split(/\s+/);
          return { path, mode, type, sha, size: Number(size), url: api.url(`${at}/git/blobs/${sha}`) };
        });
      return stub.expect("GET", `${at}/git/trees/${commit}`, {
        query: { recursive: "1" },
        reply: [200, { sha: commit, url: api.url(`${at}/git/trees/${commit}`), tree, truncated: false }],
      });
    },
    blobs(commit, paths) {
      for (const path of paths) {
        const sha = blobId(dir, commit, path);
        if (served.has(sha)) continue;
        served.add(sha);
        const content = execFileSync("git", ["cat-file", "blob", sha], { cwd: dir });
        stub.expect("GET", `${at}/git/blobs/${sha}`, {
          reply: [
            200,
            {
              sha,
              size: content.length,
              encoding: "base64",
              content: content.toString("base64"),
              node_id: "B",
            },
          ],
        });
      }
      return stub;
    },
    pullFiles(number, base, head) {
      const files = git(dir, "diff", "--name-only", "--no-renames", `${base}...${head}`)
        .split("\n")
        .filter((line) => line !== "")
        .map((filename) => ({
          filename,
          status: "modified",
          sha: "0".repeat(40),
          additions: 1,
          deletions: 1,
          changes: 2,
        }));
      return stub.expect("GET", `${at}/pulls/${number}/files`, {
        query: { per_page: 100 },
        reply: [200, files],
      });
    },
    fileCommits(ref, path) {
      const commits = git(dir, "log", "--format=%H%x09%cI%x09%P%x09%s", ref, "--", path)
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => {
          const [sha = "", date = "", parents = "", message = ""] = line.split("\t");
          const who = { name: "t", email: "t@example.com", date };
          return {
            sha,
            commit: { message, author: who, committer: who },
            parents: parents.split(" ").map((p) => ({ sha: p })),
          };
        });
      return stub.expect("GET", `${at}/commits`, {
        query: { sha: ref, path, per_page: 100 },
        reply: [200, commits],
      });
    },
    fileAt(commit, path) {
      let reply: Reply;
      try {
        const content = execFileSync("git", ["show", `${commit}:${path}`], {
          cwd: dir,
          stdio: ["ignore", "pipe", "ignore"],
        });
        const sha = blobId(dir, commit, path);
        reply = [
          200,
          {
            type: "file",
            path,
            sha,
            encoding: "base64",
            content: content.toString("base64"),
            size: content.length,
          },
        ];
      } catch {
        reply = [404, { message: "Not Found" }];
      }
      return stub.expect("GET", `${at}/contents/${encodeURIComponent(path)}`, {
        query: { ref: commit },
        reply,
      });
    },
    commitPulls(commit, pulls = []) {
      return stub.expect("GET", `${at}/commits/${commit}/pulls`, { reply: [200, pulls] });
    },
    restMembership(team, user, active) {
      const [org, slug] = team.replace(/^@/, "").split("/");
      return stub.expect("GET", `/orgs/${org}/teams/${slug}/memberships/${user}`, {
        reply: active
          ? [200, { state: "active", role: "member", url: "u" }]
          : [404, { message: "Not Found" }],
      });
    },
    restReviews(number, reviews) {
      return stub.expect("GET", `${at}/pulls/${number}/reviews`, {
        query: { per_page: 100 },
        reply: [200, reviews],
      });
    },
  };
  return stub;
}

/**
 * Resolvers for GitHub's GraphQL schema over a real git repository (see github-graphql.ts): git
 * objects by id, a commit's history of a path with the file at each commit, pull request reviews,
 * commits' pull requests and team members from the test's own records. Every read is logged, so a
 * test can assert what the App asked for.
 */
import { execFileSync } from "node:child_process";

const git = (dir: string, ...args: string[]): string =>
  execFileSync("git", args, { cwd: dir, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });

/** git's answer, trimmed, or undefined when git fails (an object or path that does not exist). */
function gitMaybe(dir: string, ...args: string[]): string | undefined {
  try {
    return execFileSync("git", args, {
      cwd: dir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return undefined;
  }
}

/** A review as the REST API lists it (what the tests write). */
export interface RestReview {
  user: { login: string; type?: string };
  state: string;
  commit_id: string;
  submitted_at: string;
}

/** A pull request as the REST API lists a commit's pull requests. */
export interface RestPull {
  number: number;
  state: string;
  merged_at: string | null;
  head: { sha: string };
  base: { ref: string };
}

/** What GitHub knows besides git: reviews by pull request, team members, commits' pull requests. */
export interface GitHubWorld {
  reviews: Map<number, RestReview[]>;
  /** `@org/team` (lower case) → logins (lower case). */
  members: Map<string, Set<string>>;
  commitPulls: Map<string, RestPull[]>;
  /** Organisations the App cannot see: GitHub answers NOT_FOUND for them. */
  hiddenOrgs: Set<string>;
  /** A pull request's commits, with whether GitHub verified each as signed by itself. */
  pullCommits: Map<number, { message: string; authorEmail: string; verified: boolean }[]>;
}

/** An error the way GitHub's GraphQL API reports it, with its `type` (see github-api.ts). */
export class GitHubGraphqlError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** What the queries read: blob ids, history paths, `@org/team user` lookups. */
export interface GraphqlReads {
  blobs: string[];
  histories: string[];
  teams: string[];
}

function blobOf(dir: string, oid: string, reads: GraphqlReads) {
  reads.blobs.push(oid);
  const content = execFileSync("git", ["cat-file", "blob", oid], { cwd: dir });
  return {
    __typename: "Blob",
    oid,
    byteSize: content.length,
    isBinary: content.includes(0),
    isTruncated: false,
    text: content.includes(0) ? null : content.toString("utf8"),
  };
}

function pullNode(pull: RestPull) {
  return {
    number: pull.number,
    state: pull.merged_at !== null ? "MERGED" : pull.state.toUpperCase(),
    mergedAt: pull.merged_at,
    headRefOid: pull.head.sha,
    baseRefName: pull.base.ref,
  };
}

function commitOf(dir: string, oid: string, world: GitHubWorld, reads: GraphqlReads) {
  const [date = "", ...message] = git(dir, "show", "-s", "--format=%cI%n%B", oid).split("\n");
  return {
    __typename: "Commit",
    oid,
    committedDate: date,
    message: message.join("\n").trim(),
    file: ({ path }: { path: string }) => {
      const blob = gitMaybe(dir, "rev-parse", `${oid}:${path}`);
      return blob === undefined ? null : { path, oid: blob, object: blobOf(dir, blob, reads) };
    },
    associatedPullRequests: ({ first }: { first: number }) => ({
      nodes: (world.commitPulls.get(oid) ?? []).slice(0, first).map(pullNode),
    }),
    history: ({ path, first, after }: { path: string; first: number; after?: string | null }) => {
      reads.histories.push(path);
      const all = git(dir, "log", "--format=%H", oid, "--", path).split("\n").filter(Boolean);
      const from = after ? Number(after.replace("cursor:", "")) : 0;
      const page = all.slice(from, from + first);
      return {
        pageInfo: { hasNextPage: from + first < all.length, endCursor: `cursor:${from + page.length}` },
        nodes: page.map((sha) => commitOf(dir, sha, world, reads)),
      };
    },
  };
}

function objectOf(dir: string, oid: string, world: GitHubWorld, reads: GraphqlReads) {
  const type = gitMaybe(dir, "cat-file", "-t", oid);
  if (type === "blob") return blobOf(dir, oid, reads);
  return type === "commit" ? commitOf(dir, oid, world, reads) : null;
}

function reviewNode(review: RestReview) {
  const bot = review.user.type === "Bot";
  return {
    author: { __typename: bot ? "Bot" : "User", login: review.user.login.replace(/\[bot\]$/, "") },
    state: review.state,
    commit: { oid: review.commit_id },
    submittedAt: review.submitted_at,
  };
}

/** The query root over the repository in `dir`. */
export function gitGraphqlRoot(dir: string, world: GitHubWorld, reads: GraphqlReads): object {
  return {
    repository: () => ({
      object: ({ oid }: { oid: string }) => objectOf(dir, oid, world, reads),
      pullRequest: ({ number }: { number: number }) => {
        const reviews = world.reviews.get(number) ?? [];
        const commits = world.pullCommits.get(number) ?? [];
        return {
          commits: ({ first }: { first: number }) => ({
            totalCount: commits.length,
            nodes: commits.slice(0, first).map((commit) => ({
              commit: {
                message: commit.message,
                author: { email: commit.authorEmail },
                signature: commit.verified
                  ? { __typename: "GpgSignature", isValid: true, wasSignedByGitHub: true }
                  : null,
              },
            })),
          }),
          reviews: ({ first }: { first: number }) => ({
            pageInfo: { hasNextPage: reviews.length > first, endCursor: null },
            nodes: reviews.slice(0, first).map(reviewNode),
          }),
        };
      },
    }),
    organization: ({ login }: { login: string }) => {
      if (world.hiddenOrgs.has(login.toLowerCase()))
        throw new GitHubGraphqlError(
          "NOT_FOUND",
          `Could not resolve to an Organization with the login of '${login}'.`,
        );
      return {
        team: ({ slug }: { slug: string }) => {
          const team = `@${login}/${slug}`.toLowerCase();
          const members = world.members.get(team);
          if (members === undefined) return null;
          return {
            members: ({ query }: { query: string }) => {
              reads.teams.push(`${team} ${query}`);
              return {
                nodes: [...members]
                  .filter((m) => m.includes(query.toLowerCase()))
                  .map((login) => ({ login })),
              };
            },
          };
        },
      };
    },
  };
}

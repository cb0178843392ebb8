/**
 * What GitHub holds for the retraining tests: the default branch's files, the pull requests of each
 * retraining branch, and a request count. Reads are answered by running the App's GraphQL query
 * against GitHub's published schema over this world; writes (trees, commits, refs, pull requests,
 * reviewers, labels) are REST requests checked against GitHub's OpenAPI description, and change the
 * world the way GitHub would, so the next delivery sees what the previous one did.
 */
import type { GitHubApi } from "./github-api.ts";

export const REPO = "/repos/Codertocat/Hello-World";
export const HEAD = "a".repeat(40);

export interface WorldPull {
  number: number;
  url: string;
  state: "OPEN" | "CLOSED" | "MERGED";
  createdAt: string;
  body: string;
  headRefOid: string;
  headRefName: string;
  title: string;
  labels: string[];
  reviewers: string[];
  teams: string[];
}

export interface World {
  files: Map<string, string>;
  pulls: WorldPull[];
  branches: Map<string, string>;
  /** Marker files committed, by commit sha. */
  commits: Map<string, { message: string; parent: string; files: Record<string, string> }>;
  now: () => Date;
  requests: number;
}

export function createWorld(files: Record<string, string>, now: () => Date): World {
  return {
    files: new Map(Object.entries(files)),
    pulls: [],
    branches: new Map(),
    commits: new Map(),
    now,
    requests: 0,
  };
}

export function graphqlRoot(world: World): object {
  return {
    repository: () => ({
      defaultBranchRef: { name: "main", target: { __typename: "Commit", oid: HEAD } },
      object: ({ expression }: { expression: string }) => {
        const [ref, path = ""] = expression.split(":");
        if (ref !== "main") return null;
        const text = world.files.get(path);
        if (text !== undefined) return { __typename: "Blob", text };
        const inside = [...world.files].filter(([file]) => file.startsWith(`${path}/`));
        if (inside.length === 0) return null;
        const entries = inside.map(([file, content]) => ({
          name: file.slice(path.length + 1),
          object: { __typename: "Blob", text: content },
        }));
        return { __typename: "Tree", entries };
      },
      pullRequests: ({ headRefName, first }: { headRefName: string; first: number }) => ({
        nodes: world.pulls
          .filter((pull) => pull.headRefName === headRefName)
          .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
          .slice(0, first),
      }),
    }),
  };
}

/** One GraphQL read of the retraining state. */
export function expectRead(api: GitHubApi, world: World, times = 1): void {
  api.graphql(() => {
    world.requests++;
    return graphqlRoot(world);
  }, times);
}

let shas = 0;
const nextSha = () => (++shas).toString(16).padStart(40, "c");

type Body<T> = (body: T) => [number, unknown];

/** A reply that counts the request and changes the world; the request body is GitHub-shaped (checked). */
function answer<T>(world: World, change: Body<T>) {
  return (body: unknown): [number, unknown] => {
    world.requests++;
    return change(body as T);
  };
}

/** Tree + commit + branch (created, or reset with `reset`) + pull request + reviewers + label. */
export function expectOpen(
  api: GitHubApi,
  world: World,
  options: { number: number; branch: string; reset?: boolean; reviewers?: boolean },
): void {
  const files: Record<string, string> = {};
  const url = `https://github.com/Codertocat/Hello-World/pull/${options.number}`;
  api
    .expect("POST", `${REPO}/git/trees`, {
      reply: answer(world, (body: { base_tree: string; tree: { path: string; content: string }[] }) => {
        for (const entry of body.tree) files[entry.path] = entry.content;
        return [201, { sha: "t".repeat(40), url: "u", tree: [], truncated: false }];
      }),
    })
    .expect("POST", `${REPO}/git/commits`, {
      reply: answer(world, (body: { message: string; parents: string[] }) => {
        const sha = nextSha();
        world.commits.set(sha, { message: body.message, parent: body.parents[0] ?? "", files });
        return [201, { sha: "d".repeat(40) }];
      }),
    });
  const created = (body: { ref: string }): [number, unknown] =>
    body.ref === `refs/heads/${options.branch}`
      ? options.reset
        ? [422, { message: "Reference already exists" }]
        : [201, { ref: body.ref }]
      : [400, { message: `unexpected ref ${body.ref}` }];
  api.expect("POST", `${REPO}/git/refs`, { reply: answer(world, created) });
  if (options.reset)
    api.expect("PATCH", `${REPO}/git/refs/${encodeURIComponent(`heads/${options.branch}`)}`, {
      reply: answer(world, (body: { force: boolean }) =>
        body.force ? [200, { ref: options.branch }] : [422, { message: "Update is not a fast forward" }],
      ),
    });
  api.expect("POST", `${REPO}/pulls`, {
    reply: answer(world, (body: { title: string; body: string; head: string; base: string }) => {
      world.pulls.push({
        number: options.number,
        url,
        state: "OPEN",
        createdAt: world.now().toISOString(),
        body: body.body,
        headRefOid: "d".repeat(40),
        headRefName: body.head,
        title: body.title,
        labels: [],
        reviewers: [],
        teams: [],
      });
      return [201, { number: options.number, html_url: url }];
    }),
  });
  const pull = () => world.pulls.find((p) => p.number === options.number);
  if (options.reviewers !== false)
    api.expect("POST", `${REPO}/pulls/${options.number}/requested_reviewers`, {
      reply: answer(world, (body: { reviewers: string[]; team_reviewers: string[] }) => {
        const found = pull();
        if (found) {
          found.reviewers = body.reviewers;
          found.teams = body.team_reviewers;
        }
        return [201, { number: options.number }];
      }),
    });
  api.expect("POST", `${REPO}/issues/${options.number}/labels`, {
    reply: answer(world, (body: { labels: string[] }) => {
      pull()?.labels.push(...body.labels);
      return [200, []];
    }),
  });
}

/** Tree + commit on the pull request's head + fast-forward + body edited in place. */
export function expectUpdate(api: GitHubApi, world: World, number: number, branch: string): void {
  const head = "d".repeat(40);
  const next = "e".repeat(40);
  api
    .expect("POST", `${REPO}/git/trees`, {
      reply: answer(world, (body: { base_tree: string }) =>
        body.base_tree === head ? [201, { sha: "t".repeat(40) }] : [422, { message: "wrong base tree" }],
      ),
    })
    .expect("POST", `${REPO}/git/commits`, {
      reply: answer(world, (body: { parents: string[] }) =>
        body.parents[0] === head ? [201, { sha: next }] : [422, { message: "wrong parent" }],
      ),
    })
    .expect("PATCH", `${REPO}/git/refs/${encodeURIComponent(`heads/${branch}`)}`, {
      reply: answer(world, (body: { sha: string; force: boolean }) =>
        body.sha === next && !body.force ? [200, { ref: branch }] : [422, { message: "not a fast-forward" }],
      ),
    })
    .expect("PATCH", `${REPO}/pulls/${number}`, {
      reply: answer(world, (body: { body: string; title: string }) => {
        const pull = world.pulls.find((p) => p.number === number);
        if (pull) {
          pull.body = body.body;
          pull.title = body.title;
        }
        return [200, { number }];
      }),
    });
}

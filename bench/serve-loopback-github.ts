/**
 * GitHub on loopback for the App bench: a node:http server on 127.0.0.1 that answers, from a real
 * git repository, what the promotion gate asks (the installation token, a pull request's files and
 * reviews, recursive trees, team memberships, GraphQL through GitHub's published schema) and records the `modelci/promotion`
 * check runs it writes, with the time each arrived. Every request is counted by kind. Anything
 * else (an unknown route, a request GitHub's OpenAPI description refuses, a GraphQL error) is
 * answered as GitHub would refuse it and recorded in `problems`, so the bench can fail loudly.
 *
 * Base URLs are GitHub Enterprise Server's, as Probot builds them from GHE_HOST: REST under
 * `/api/v3`, GraphQL at `/api/graphql` (@octokit/graphql turns a `/api/v3` base URL into it);
 * `/graphql`, github.com's path, is answered too.
 *
 * Answers to reads are deterministic (the repository and the world do not change while it runs),
 * so each distinct read is computed and checked once and then replayed: the fake's own time stays
 * out of the App's latency as far as possible. `busyMs` says how much it spent anyway.
 */
import { execFileSync } from "node:child_process";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { checkBody, checkQuery } from "../test/helpers/check-request-shape.ts";
import { type GitHubWorld, type GraphqlReads, gitGraphqlRoot } from "../test/helpers/git-graphql-root.ts";
import { executeGitHubGraphql } from "../test/helpers/github-graphql.ts";
import { findOperation } from "../test/helpers/github-openapi.ts";

/** What a request was: the installation token, a REST read, a GraphQL query, a check run write, or none of these. */
export type RequestKind = "token" | "rest" | "graphql" | "check" | "unexpected";

export type RequestCounts = Record<RequestKind, number>;

/** A check run the App wrote: when its request body had arrived (performance.now()), and the body. */
export interface CheckWrite {
  at: number;
  body: {
    name?: string;
    head_sha?: string;
    status?: string;
    conclusion?: string;
    output?: { title?: string; summary?: string };
  };
}

export interface AnsweredRequest {
  kind: RequestKind;
  method: string;
  path: string;
  at: number;
  answeredAt: number;
}

export interface LoopbackGitHubOptions {
  /** The git repository the trees, files and GraphQL answers come from. */
  dir: string;
  /** Reviews, team members and commits' pull requests, for GraphQL. */
  world: GitHubWorld;
  /** Each pull request's base and head commits, by number, for its file list. */
  pulls: ReadonlyMap<number, { base: string; head: string }>;
  /** The repository's `owner/name`. */
  fullName: string;
}

export interface LoopbackGitHub {
  /** `127.0.0.1:port`, for GHE_HOST (with GHE_PROTOCOL=http). */
  readonly host: string;
  /** Requests so far, by kind. */
  counts(): RequestCounts;
  readonly checks: readonly CheckWrite[];
  readonly problems: readonly string[];
  /** Every request: when its body had arrived and when it was answered (performance.now()). */
  readonly requests: readonly AnsweredRequest[];
  /** Milliseconds spent answering requests, in all. */
  readonly busyMs: number;
  /** The next check run write; rejects after `timeoutMs`. */
  nextCheck(timeoutMs?: number): Promise<CheckWrite>;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body: string;
}

const git = (dir: string, ...args: string[]): string =>
  execFileSync("git", args, { cwd: dir, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });

const json = (status: number, value: unknown): Answer => ({ status, body: JSON.stringify(value) });

const NOT_FOUND = json(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parse(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function serveLoopbackGitHub(options: LoopbackGitHubOptions): Promise<LoopbackGitHub> {
  const { dir, world, pulls, fullName } = options;
  const repoPath = `/repos/${fullName}`;
  const counts: RequestCounts = { token: 0, rest: 0, graphql: 0, check: 0, unexpected: 0 };
  const checks: CheckWrite[] = [];
  const problems: string[] = [];
  const requests: AnsweredRequest[] = [];
  const waiting: ((check: CheckWrite) => void)[] = [];
  const replies = new Map<string, Answer>();
  const reads: GraphqlReads = { blobs: [], histories: [], teams: [] };
  let busyMs = 0;
  let port = 0;
  let nextCheckId = 1;

  /** Problems with a REST request by GitHub's OpenAPI description; empty when it fits. */
  function restProblems(method: string, path: string, query: URLSearchParams, body: unknown): string[] {
    const operation = findOperation(method, path);
    if ("problem" in operation) return [operation.problem];
    return [...checkQuery(operation, Object.fromEntries(query)), ...checkBody(operation, body)].map(
      (problem) => `${method} ${path}: ${problem}`,
    );
  }

  function tree(sha: string): Answer {
    const entries = git(dir, "ls-tree", "-r", "-l", "--full-tree", sha)
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => {
        const [meta = "", path = ""] = line.split("\t");
        const [mode, type, blob, size] = meta.split(/\s+/);
        const url = `http://${host()}/api/v3${repoPath}/git/blobs/${blob}`;
        return { path, mode, type, sha: blob, size: Number(size), url };
      });
    const url = `http://${host()}/api/v3${repoPath}/git/trees/${sha}`;
    return json(200, { sha, url, tree: entries, truncated: false });
  }

  function pullFiles(number: number): Answer {
    const pull = pulls.get(number);
    if (pull === undefined) return NOT_FOUND;
    const files = git(dir, "diff", "--name-only", "--no-renames", `${pull.base}...${pull.head}`)
      .split("\n")
      .filter((line) => line !== "")
      .map((filename) => ({
        sha: "0".repeat(40),
        filename,
        status: "modified",
        additions: 1,
        deletions: 1,
        changes: 2,
        blob_url: `https://github.com/${fullName}/blob/${pull.head}/${filename}`,
        raw_url: `https://github.com/${fullName}/raw/${pull.head}/${filename}`,
        contents_url: `http://${host()}/api/v3${repoPath}/contents/${filename}?ref=${pull.head}`,
      }));
    return json(200, files);
  }

  function teamMembership([, org = "", slug = "", user = ""]: RegExpMatchArray): Answer {
    const members = world.members.get(`@${org}/${slug}`.toLowerCase());
    if (!members?.has(user.toLowerCase())) return NOT_FOUND;
    const url = `http://${host()}/api/v3/orgs/${org}/teams/${slug}/memberships/${user}`;
    return json(200, { state: "active", role: "member", url });
  }

  async function graphql(text: string): Promise<Answer> {
    const result = await executeGitHubGraphql(parse(text), gitGraphqlRoot(dir, world, reads));
    for (const error of result.errors ?? []) problems.push(`POST graphql: ${error.message}`);
    const errors = result.errors?.map((error) => error.toJSON());
    return json(200, errors === undefined ? { data: result.data } : { data: result.data, errors });
  }

  /** A read: computed and checked the first time, replayed after. */
  async function read(key: string, answer: () => Answer | Promise<Answer>): Promise<Answer> {
    const known = replies.get(key);
    if (known !== undefined) return known;
    const fresh = await answer();
    // Only good answers are replayed; a refusal is computed (and recorded) again each time.
    if (fresh.status < 300 && problems.length === 0) replies.set(key, fresh);
    return fresh;
  }

  function recordCheck(body: unknown): Answer {
    const check: CheckWrite = { at: performance.now(), body: (body ?? {}) as CheckWrite["body"] };
    checks.push(check);
    for (const resolve of waiting.splice(0)) resolve(check);
    const id = nextCheckId++;
    return json(201, {
      id,
      node_id: `CR_${id}`,
      name: check.body.name,
      head_sha: check.body.head_sha,
      status: check.body.status,
      conclusion: check.body.conclusion,
      html_url: `https://github.com/${fullName}/runs/${id}`,
    });
  }

  async function answer(method: string, url: URL, text: string): Promise<[RequestKind, Answer]> {
    const key = `${method} ${url.pathname}${url.search}\n${text}`;
    if (method === "POST" && (url.pathname === "/api/graphql" || url.pathname === "/graphql")) {
      return ["graphql", await read(key, () => graphql(text))];
    }
    if (!url.pathname.startsWith("/api/v3/")) return ["unexpected", NOT_FOUND];
    const path = url.pathname.slice("/api/v3".length);
    const body = parse(text);
    const refused = await read(`check ${key}`, () => {
      const found = restProblems(method, path, url.searchParams, body);
      return found.length === 0 ? json(200, null) : json(422, { message: found.join("; ") });
    });
    if (refused.status !== 200) return ["unexpected", refused];

    if (method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
      const expires = "2099-01-01T00:00:00Z";
      const token = { token: "ghs_bench", expires_at: expires, permissions: {}, repository_selection: "all" };
      return ["token", json(201, token)];
    }
    if (method === "POST" && path === `${repoPath}/check-runs`) return ["check", recordCheck(body)];
    if (method === "GET") {
      const files = path.match(/^\/repos\/[^/]+\/[^/]+\/pulls\/(\d+)\/files$/);
      if (files && path.startsWith(`${repoPath}/`))
        return ["rest", await read(key, () => pullFiles(Number(files[1])))];
      const trees = path.match(/^\/repos\/[^/]+\/[^/]+\/git\/trees\/([0-9a-f]{40})$/);
      if (trees && path.startsWith(`${repoPath}/`) && url.searchParams.get("recursive") === "1")
        return ["rest", await read(key, () => tree(trees[1] ?? ""))];
      const reviews = path.match(/^\/repos\/[^/]+\/[^/]+\/pulls\/(\d+)\/reviews$/);
      if (reviews && path.startsWith(`${repoPath}/`))
        return ["rest", await read(key, () => json(200, world.reviews.get(Number(reviews[1])) ?? []))];
      const membership = path.match(/^\/orgs\/([^/]+)\/teams\/([^/]+)\/memberships\/([^/]+)$/);
      if (membership) return ["rest", await read(key, () => teamMembership(membership))];
    }
    return ["unexpected", NOT_FOUND];
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? "GET";
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const text = await readBody(request);
    const started = performance.now();
    const [kind, reply] = await answer(method, url, text);
    counts[kind]++;
    if (kind === "unexpected") problems.push(`unexpected request ${method} ${url.pathname}${url.search}`);
    response.writeHead(reply.status, { "content-type": "application/json; charset=utf-8" });
    response.end(reply.body);
    const answeredAt = performance.now();
    busyMs += answeredAt - started;
    requests.push({ kind, method, path: url.pathname, at: started, answeredAt });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      problems.push(`the loopback GitHub failed: ${String(error)}`);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const host = () => `127.0.0.1:${port}`;

  return {
    host: host(),
    counts: () => ({ ...counts }),
    checks,
    problems,
    requests,
    get busyMs() {
      return busyMs;
    },
    nextCheck(timeoutMs = 30_000) {
      return new Promise<CheckWrite>((resolve, reject) => {
        const timer = setTimeout(() => {
          const at = waiting.indexOf(done);
          if (at >= 0) waiting.splice(at, 1);
          reject(
            new Error(`no check run was written within ${timeoutMs} ms; problems: ${problems.join("; ")}`),
          );
        }, timeoutMs);
        const done = (check: CheckWrite) => {
          clearTimeout(timer);
          resolve(check);
        };
        waiting.push(done);
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

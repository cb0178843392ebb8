import nock from "nock";
import { checkBody, checkQuery } from "./check-request-shape.ts";
import { executeGitHubGraphql } from "./github-graphql.ts";
import { findOperation, type ResolvedOperation } from "./github-openapi.ts";

// Tests never reach the network; loopback stays open for servers a test starts itself.
nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/);

const listeners = new Set<(request: Request) => void>();

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";

/** `[status, json body, headers]`, or an Error to fail the request at the network level. */
export type Reply = [status: number, body?: unknown, headers?: Record<string, string>] | Error;

export interface Expectation {
  /** The exact JSON body (checked against the operation's schema), or a predicate on the parsed body. */
  body?: unknown;
  /** The exact query parameters (checked against the operation's parameters), or `true` for any. */
  query?: Record<string, string | number | boolean> | true;
  /** The answer, or a function of the request's JSON body that returns it (called once per request). */
  reply: Reply | ((body: unknown) => Reply);
  /** How many requests this expectation answers (default 1). */
  times?: number;
}

export interface GitHubApi {
  readonly baseUrl: string;
  readonly scope: nock.Scope;
  /**
   * Registers one expected request, after checking synchronously that GitHub's OpenAPI description
   * has `method path` (path relative to the base URL, no query) and that `body` and `query` fit it.
   */
  expect(method: HttpMethod, path: string, expectation: Expectation): GitHubApi;
  /**
   * Registers GraphQL requests (POST /graphql, or /api/graphql on GitHub Enterprise Server),
   * answered by running them against GitHub's GraphQL schema over `root`: a query that does not
   * fit the schema fails the test.
   */
  graphql(root: () => object, times?: number): GitHubApi;
  /** GraphQL requests answered with `reply` whatever they ask (a 5xx, a network error). */
  graphqlFailure(reply: Reply, times?: number): GitHubApi;
  /** The absolute URL of `path` under the base URL, for Link headers and `html_url`s. */
  url(path: string, query?: Record<string, string | number>): string;
  /** A Link header (RFC 8288) the way GitHub sends it, e.g. `link({ next: url, last: url })`. */
  link(relations: Partial<Record<"next" | "prev" | "first" | "last", string>>): string;
  /** Asserts every expectation was met, no request went unmatched, and every request body fit the schema. */
  done(): void;
}

/**
 * nock at the GitHub edge, checked against GitHub's official OpenAPI description: an endpoint GitHub
 * does not have, a body missing a required field or carrying one GitHub does not know, or an unknown
 * query parameter fails at `expect()`, before the code under test runs. Works for GitHub Enterprise
 * Server base URLs too (`http://127.0.0.1:8080/api/v3`).
 */
export function githubApi(baseUrl = "https://api.github.com"): GitHubApi {
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, "");
  const scope = nock(base.origin);
  const graphqlPath = `${prefix.replace(/\/v3$/, "")}/graphql`;
  const problems: string[] = [];
  const onNoMatch = (request: Request): void => {
    if (new URL(request.url).origin === base.origin)
      problems.push(`unexpected request ${request.method} ${request.url}`);
  };
  nock.emitter.on("no match", onNoMatch);
  listeners.add(onNoMatch);

  const api: GitHubApi = {
    baseUrl: base.href.replace(/\/+$/, ""),
    scope,
    expect(method, path, expectation) {
      const operation = operationFor(method, path, expectation);
      const { body, query, reply, times = 1 } = expectation;
      const matcher = typeof body === "function" ? (body as (body: unknown) => boolean) : body;
      const interceptor = scope.intercept(`${prefix}${path}`, method, matcher as nock.RequestBodyMatcher);
      if (query !== undefined) interceptor.query(query);
      interceptor.times(times);
      if (reply instanceof Error) {
        interceptor.replyWithError(reply);
        return api;
      }
      interceptor.reply(async (request: Request) => {
        const sent = await readJson(request);
        const found = checkBody(operation, sent).map((problem) => `${method} ${path}: ${problem}`);
        problems.push(...found);
        if (found.length > 0)
          return [422, { message: `request does not fit GitHub's API: ${found.join("; ")}` }];
        const answer = typeof reply === "function" ? reply(sent) : reply;
        if (answer instanceof Error) throw answer;
        const [status, json, headers] = answer;
        return [status, (json ?? "") as nock.ReplyBody, headers ?? {}];
      });
      return api;
    },
    graphql(root, times = 1) {
      scope
        .post(graphqlPath)
        .times(times)
        .reply(async (request: Request) => {
          const result = await executeGitHubGraphql(await readJson(request), root());
          // An error with GitHub's `type` is an answer the test set up; any other is a problem.
          const errors = (result.errors ?? []).map((error) => {
            const type = (error.originalError as { type?: unknown } | undefined)?.type;
            if (typeof type !== "string") problems.push(`POST /graphql: ${error.message}`);
            return typeof type === "string" ? { ...error.toJSON(), type } : error.toJSON();
          });
          const body = errors.length > 0 ? { data: result.data, errors } : { data: result.data };
          return [200, body as nock.ReplyBody];
        });
      return api;
    },
    graphqlFailure(reply, times = 1) {
      const interceptor = scope.post(graphqlPath).times(times);
      if (reply instanceof Error) interceptor.replyWithError(reply);
      else interceptor.reply(reply[0], (reply[1] ?? "") as nock.ReplyBody, reply[2] ?? {});
      return api;
    },
    url(path, query) {
      const pairs = Object.entries(query ?? {}).map(([k, v]): [string, string] => [k, String(v)]);
      const search = pairs.length > 0 ? `?${new URLSearchParams(pairs)}` : "";
      return `${base.origin}${prefix}${path}${search}`;
    },
    link(relations) {
      return Object.entries(relations)
        .map(([rel, url]) => `<${url}>; rel="${rel}"`)
        .join(", ");
    },
    done() {
      nock.emitter.off("no match", onNoMatch);
      listeners.delete(onNoMatch);
      const pending = scope.pendingMocks();
      const all = [...problems, ...pending.map((mock) => `expected request not made: ${mock}`)];
      if (all.length > 0) throw new Error(`githubApi(${baseUrl}):\n  ${all.join("\n  ")}`);
      if (!scope.isDone()) throw new Error(`githubApi(${baseUrl}): scope not done`);
    },
  };
  return api;
}

/** Removes every interceptor and pending request; call it in `afterEach`. */
export function resetGitHubApi(): void {
  for (const listener of listeners) nock.emitter.off("no match", listener);
  listeners.clear();
  nock.abortPendingRequests();
  nock.cleanAll();
}

function operationFor(method: HttpMethod, path: string, expectation: Expectation): ResolvedOperation {
  if (!path.startsWith("/")) throw new Error(`githubApi: path must start with "/": ${path}`);
  if (path.includes("?")) throw new Error(`githubApi: put the query of ${path} in \`query\`, not the path`);
  const operation = findOperation(method, path);
  if ("problem" in operation) throw new Error(`githubApi: ${operation.problem}`);
  const problems: string[] = [];
  if (expectation.body !== undefined && typeof expectation.body !== "function")
    problems.push(...checkBody(operation, expectation.body));
  if (expectation.query !== undefined && expectation.query !== true)
    problems.push(...checkQuery(operation, expectation.query));
  if (problems.length > 0)
    throw new Error(
      `githubApi: ${method} ${path} (${operation.operationId}) does not fit GitHub's API:\n  ${problems.join("\n  ")}`,
    );
  return operation;
}

async function readJson(request: Request): Promise<unknown> {
  const text = await request.clone().text();
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

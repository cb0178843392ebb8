import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { checkBody, checkQuery } from "./check-request-shape.ts";
import { findOperation } from "./github-openapi.ts";
import { listenOnLoopback } from "./listen-loopback.ts";

interface Comment {
  id: number;
  body: string;
}

interface CheckRun {
  id: number;
  name: string;
  head_sha: string;
  conclusion?: string;
  output?: { title?: string; summary?: string };
}

/**
 * A GitHub-compatible REST API on loopback, for running a bundled Action as a real child process
 * (nock cannot reach into another process). It keeps issue comments and check runs in memory,
 * pages comments like GitHub (Link headers), and checks every request against GitHub's OpenAPI
 * description: an endpoint GitHub does not have, or a body it would refuse, is recorded in
 * `problems` and answered 422.
 */
export class FakeGitHub {
  readonly comments = new Map<number, Comment[]>();
  readonly checkRuns: CheckRun[] = [];
  readonly requests: string[] = [];
  readonly problems: string[] = [];
  /** Answer 403 to every write, as GitHub does for a read-only token (fork pull requests). */
  readOnly = false;
  /** Answer 502 to every write of an issue comment, as an outage of that endpoint would. */
  failComments = false;
  private nextId = 1000;
  private server: Server | undefined;
  baseUrl = "";

  async start(): Promise<this> {
    ({ server: this.server, baseUrl: this.baseUrl } = await listenOnLoopback(
      (request, response) => this.handle(request, response),
      this.problems,
    ));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Adds `count` unrelated comments to an issue, before any test run. */
  seedComments(issue: number, count: number, body = "looks good"): void {
    const list = this.comments.get(issue) ?? [];
    for (let i = 0; i < count; i++) list.push({ id: this.nextId++, body: `${body} ${i}` });
    this.comments.set(issue, list);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const path = url.pathname.replace(/^\/api\/v3/, "");
    const method = request.method ?? "GET";
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const body: unknown = text === "" ? undefined : JSON.parse(text);
    this.requests.push(`${method} ${path}`);
    const operation = findOperation(method, path);
    if ("problem" in operation) return this.refuse(response, operation.problem);
    const query = Object.fromEntries(url.searchParams);
    const shape = [
      ...checkQuery(operation, query),
      ...(body === undefined ? [] : checkBody(operation, body)),
    ];
    if (shape.length > 0) return this.refuse(response, `${method} ${path}: ${shape.join("; ")}`);
    if (method !== "GET" && this.readOnly) {
      return this.send(response, 403, { message: "Resource not accessible by integration" });
    }
    if (method !== "GET" && this.failComments && /\/issues\/(\d+\/)?comments/.test(path)) {
      return this.send(response, 502, { message: "Server Error" });
    }
    return this.route(method, path, url, body as Record<string, unknown>, response);
  }

  private route(
    method: string,
    path: string,
    url: URL,
    body: Record<string, unknown>,
    response: ServerResponse,
  ): boolean {
    const issueComments = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(path);
    const comment = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(path);
    const checkRunsForRef = /^\/repos\/[^/]+\/[^/]+\/commits\/([^/]+)\/check-runs$/.exec(path);
    const checkRun = /^\/repos\/[^/]+\/[^/]+\/check-runs(?:\/(\d+))?$/.exec(path);
    if (issueComments && method === "GET") {
      const list = this.comments.get(Number(issueComments[1])) ?? [];
      const perPage = Number(url.searchParams.get("per_page") ?? 30);
      const page = Number(url.searchParams.get("page") ?? 1);
      const last = Math.max(1, Math.ceil(list.length / perPage));
      const headers: Record<string, string> = {};
      if (page < last) {
        const next = new URL(url);
        next.searchParams.set("page", String(page + 1));
        headers.link = `<${this.baseUrl}${path}${next.search}>; rel="next", <${this.baseUrl}${path}?per_page=${perPage}&page=${last}>; rel="last"`;
      }
      return this.send(response, 200, list.slice((page - 1) * perPage, page * perPage), headers);
    }
    if (issueComments && method === "POST") {
      const created = { id: this.nextId++, body: String(body.body) };
      const list = this.comments.get(Number(issueComments[1])) ?? [];
      list.push(created);
      this.comments.set(Number(issueComments[1]), list);
      return this.send(response, 201, created);
    }
    if (comment && method === "PATCH") {
      for (const list of this.comments.values()) {
        const found = list.find((c) => c.id === Number(comment[1]));
        if (found) {
          found.body = String(body.body);
          return this.send(response, 200, found);
        }
      }
      return this.send(response, 404, { message: "Not Found" });
    }
    if (checkRunsForRef && method === "GET") {
      const name = url.searchParams.get("check_name");
      const runs = this.checkRuns.filter(
        (r) => r.head_sha === checkRunsForRef[1] && (name === null || r.name === name),
      );
      return this.send(response, 200, { total_count: runs.length, check_runs: runs });
    }
    if (checkRun && method === "POST" && checkRun[1] === undefined) {
      const created = { id: this.nextId++, ...(body as object) } as CheckRun;
      this.checkRuns.push(created);
      return this.send(response, 201, created);
    }
    if (checkRun && method === "PATCH" && checkRun[1] !== undefined) {
      const found = this.checkRuns.find((r) => r.id === Number(checkRun[1]));
      if (!found) return this.send(response, 404, { message: "Not Found" });
      Object.assign(found, body);
      return this.send(response, 200, found);
    }
    return this.refuse(response, `${method} ${path}: exists at GitHub but this fake does not serve it`);
  }

  private refuse(response: ServerResponse, problem: string): boolean {
    this.problems.push(problem);
    return this.send(response, 422, { message: problem });
  }

  private send(
    response: ServerResponse,
    status: number,
    json: unknown,
    headers: Record<string, string> = {},
  ): boolean {
    response.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(json));
    return true;
  }
}

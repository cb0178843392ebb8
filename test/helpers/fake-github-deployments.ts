import { execFileSync } from "node:child_process";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { checkBody, checkQuery } from "./check-request-shape.ts";
import { executeGitHubGraphql } from "./github-graphql.ts";
import { findOperation } from "./github-openapi.ts";
import { listenOnLoopback } from "./listen-loopback.ts";

export interface FakeDeployment {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  /** What created it: "job" (seeded, as a job with `environment:` does) or the request body. */
  body: Record<string, unknown>;
  /** Oldest first. */
  statuses: Record<string, unknown>[];
}

/**
 * GitHub's Deployments API on loopback, for running the bundled deploy Action as a real child
 * process. Every request is checked against GitHub's OpenAPI description (@octokit/openapi); a
 * request GitHub would refuse is recorded in `problems` and answered 422. Lists come newest first,
 * as GitHub's do; a success status marks the environment's earlier deployments inactive unless
 * `auto_inactive` is false.
 */
export class FakeGitHubDeployments {
  readonly deployments: FakeDeployment[] = [];
  /** Releases the github-release driver created, with their uploaded assets' bytes. */
  readonly releases: {
    id: number;
    tag_name: string;
    body: Record<string, unknown>;
    assets: Map<string, Buffer>;
  }[] = [];
  readonly requests: string[] = [];
  readonly problems: string[] = [];
  private nextId = 500;
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

  /** A deployment as GitHub creates it for a job with `environment:`, before the job's steps run. */
  seedJobDeployment(sha: string, environment: string): FakeDeployment {
    const deployment = {
      id: this.nextId++,
      sha,
      ref: "main",
      environment,
      body: { by: "job" },
      statuses: [],
    };
    this.deployments.push(deployment);
    return deployment;
  }

  /** The states of a deployment's statuses, oldest first. */
  states(deployment: FakeDeployment): string[] {
    return deployment.statuses.map((s) => String(s.state));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const path = url.pathname.replace(/^\/api\/v3/, "").replace(/^\/uploads/, "");
    const method = request.method ?? "GET";
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const upload = /^\/repos\/[^/]+\/[^/]+\/releases\/(\d+)\/assets$/.exec(path);
    if (upload && method === "POST") {
      this.requests.push(`${method} ${path}`);
      const release = this.releases.find((r) => r.id === Number(upload[1]));
      const name = url.searchParams.get("name") ?? "";
      if (!release || name === "")
        return this.refuse(response, `upload to ${path} without a release or name`);
      release.assets.set(name, raw);
      return this.send(response, 201, { id: this.nextId++, name, size: raw.length });
    }
    const text = raw.toString("utf8");
    const body = (text === "" ? undefined : JSON.parse(text)) as Record<string, unknown> | undefined;
    this.requests.push(`${method} ${path}`);
    if (method === "POST" && /^(\/api)?\/graphql$/.test(url.pathname)) return this.graphql(body, response);
    const operation = findOperation(method, path);
    if ("problem" in operation) return this.refuse(response, operation.problem);
    const shape = [
      ...checkQuery(operation, Object.fromEntries(url.searchParams)),
      ...(body === undefined ? [] : checkBody(operation, body)),
    ];
    if (shape.length > 0) return this.refuse(response, `${method} ${path}: ${shape.join("; ")}`);
    return this.route(method, path, url, body ?? {}, response);
  }

  private route(
    method: string,
    path: string,
    url: URL,
    body: Record<string, unknown>,
    response: ServerResponse,
  ): boolean {
    const refs = /^\/repos\/[^/]+\/[^/]+\/git\/matching-refs\/(.+)$/.exec(path);
    if (refs && method === "GET") {
      const prefix = `refs/${decodeURIComponent(refs[1] ?? "")}`;
      const found = this.releases
        .map((r) => `refs/tags/${r.tag_name}`)
        .filter((ref) => ref.startsWith(prefix))
        .map((ref) => ({
          ref,
          node_id: "x",
          url: "",
          object: { type: "commit", sha: "0".repeat(40), url: "" },
        }));
      return this.send(response, 200, found);
    }
    const releases = /^\/repos\/([^/]+)\/([^/]+)\/releases$/.exec(path);
    if (releases && method === "POST") {
      const id = this.nextId++;
      this.releases.push({ id, tag_name: String(body.tag_name), body, assets: new Map() });
      const origin = this.baseUrl.replace(/\/api\/v3$/, "");
      return this.send(response, 201, {
        id,
        tag_name: body.tag_name,
        html_url: `https://github.example/${releases[1]}/${releases[2]}/releases/tag/${String(body.tag_name)}`,
        upload_url: `${origin}/uploads${path}/${id}/assets{?name,label}`,
      });
    }
    const compare = /^\/repos\/[^/]+\/[^/]+\/compare\/([^/]+)$/.exec(path);
    if (compare && method === "GET") {
      const basehead = decodeURIComponent(compare[1] ?? "");
      const [base = "", head = ""] = basehead.split("...");
      if (this.gitDir === undefined)
        return this.refuse(response, `compare ${basehead}: no gitDir set by the test`);
      const counts = execFileSync("git", ["rev-list", "--left-right", "--count", `${base}...${head}`], {
        cwd: this.gitDir,
        encoding: "utf8",
      });
      const [behind = 0, ahead = 0] = counts.trim().split(/\s+/).map(Number);
      const status =
        ahead === 0 && behind === 0
          ? "identical"
          : behind === 0
            ? "ahead"
            : ahead === 0
              ? "behind"
              : "diverged";
      return this.send(response, 200, {
        status,
        ahead_by: ahead,
        behind_by: behind,
        total_commits: ahead,
        commits: [],
        files: [],
      });
    }
    const list = /^\/repos\/[^/]+\/[^/]+\/deployments$/.exec(path);
    const statuses = /^\/repos\/[^/]+\/[^/]+\/deployments\/(\d+)\/statuses$/.exec(path);
    if (list && method === "GET") {
      const sha = url.searchParams.get("sha");
      const environment = url.searchParams.get("environment");
      const perPage = Number(url.searchParams.get("per_page") ?? 30);
      const found = this.deployments
        .filter(
          (d) => (sha === null || d.sha === sha) && (environment === null || d.environment === environment),
        )
        .reverse()
        .slice(0, perPage)
        .map((d) => this.view(d));
      return this.send(response, 200, found);
    }
    if (list && method === "POST") {
      const deployment: FakeDeployment = {
        id: this.nextId++,
        sha: String(body.ref),
        ref: String(body.ref),
        environment: String(body.environment ?? "production"),
        body,
        statuses: [],
      };
      this.deployments.push(deployment);
      return this.send(response, 201, this.view(deployment));
    }
    if (statuses) {
      const deployment = this.deployments.find((d) => d.id === Number(statuses[1]));
      if (!deployment) return this.send(response, 404, { message: "Not Found" });
      if (method === "GET") {
        const perPage = Number(url.searchParams.get("per_page") ?? 30);
        return this.send(response, 200, [...deployment.statuses].reverse().slice(0, perPage));
      }
      if (method === "POST") {
        if (body.state === "success" && body.auto_inactive !== false) {
          for (const other of this.deployments) {
            if (other === deployment || other.environment !== deployment.environment) continue;
            if (other.statuses.at(-1)?.state === "success")
              other.statuses.push({ id: this.nextId++, state: "inactive" });
          }
        }
        const status = { id: this.nextId++, ...body };
        deployment.statuses.push(status);
        return this.send(response, 201, status);
      }
    }
    return this.refuse(response, `${method} ${path}: exists at GitHub but this fake does not serve it`);
  }

  /** The repository the compare endpoint answers from, with real git (`base...head`, as GitHub counts). */
  gitDir: string | undefined;

  /** GraphQL `repository.deployments`, run against GitHub's published schema. */
  private async graphql(body: unknown, response: ServerResponse): Promise<boolean> {
    const deployments = (args: {
      environments?: string[];
      first?: number;
      orderBy?: { direction?: string };
    }) => {
      const matching = this.deployments.filter(
        (d) => args.environments === undefined || args.environments.includes(d.environment),
      );
      const ordered = args.orderBy?.direction === "DESC" ? [...matching].reverse() : matching;
      const nodes = ordered.slice(0, args.first ?? 100).map((d) => {
        const latest = d.statuses.at(-1);
        return {
          databaseId: d.id,
          commitOid: d.sha,
          latestStatus:
            latest === undefined
              ? null
              : {
                  state: String(latest.state).toUpperCase(),
                  description: (latest.description as string | undefined) ?? null,
                },
        };
      });
      return { nodes, totalCount: matching.length };
    };
    const result = await executeGitHubGraphql(body, { repository: () => ({ deployments }) });
    if (result.errors !== undefined && result.errors.length > 0) {
      return this.refuse(response, `POST /graphql: ${result.errors.map((e) => e.message).join("; ")}`);
    }
    return this.send(response, 200, { data: result.data });
  }

  private view(d: FakeDeployment): Record<string, unknown> {
    return {
      id: d.id,
      sha: d.sha,
      ref: d.ref,
      environment: d.environment,
      task: "deploy",
      payload: d.body.payload ?? {},
    };
  }

  private refuse(response: ServerResponse, problem: string): boolean {
    this.problems.push(problem);
    return this.send(response, 422, { message: problem });
  }

  private send(response: ServerResponse, status: number, json: unknown): boolean {
    response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(json));
    return true;
  }
}

import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { parse } from "yaml";

/**
 * A loopback stand-in for `modelci serve` that implements only the deploy contract: POST
 * /admin/reload re-reads deployments/<target>.yaml from `dir` and answers 200 with what it serves,
 * or 409 with the error and what still serves when `refuse` names a version it reads; GET
 * /v2/models/{m}/versions/{v}/ready answers 200 for a served version (unless in `notReady`).
 */
export class ServeContractServer {
  readonly reloads: { authorization: string | undefined; models: unknown }[] = [];
  serving: Record<string, { versions: { version: number; weight: number }[] }> = {};
  refuse: number | undefined;
  notReady = new Set<number>();
  private server: Server | undefined;
  port = 0;

  constructor(
    private readonly dir: string,
    private readonly target: string,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const send = (status: number, body: unknown) =>
        response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      request.resume();
      request.on("end", () => {
        if (request.method === "POST" && request.url === "/admin/reload") {
          const file = parse(readFileSync(join(this.dir, "deployments", `${this.target}.yaml`), "utf8"));
          this.reloads.push({ authorization: request.headers.authorization, models: file.models });
          const next: ServeContractServer["serving"] = {};
          for (const [model, served] of Object.entries(
            file.models as Record<
              string,
              { version?: number; canary?: { version: number; weight: number }[] }
            >,
          )) {
            next[model] = { versions: served.canary ?? [{ version: served.version ?? 0, weight: 100 }] };
          }
          const versions = Object.values(next).flatMap((m) => m.versions.map((v) => v.version));
          if (this.refuse !== undefined && versions.includes(this.refuse)) {
            return send(409, { error: `version ${this.refuse} failed to load`, serving: this.serving });
          }
          this.serving = next;
          return send(200, { reloaded: true, models: next });
        }
        const ready = /^\/v2\/models\/([^/]+)\/versions\/(\d+)\/ready$/.exec(request.url ?? "");
        if (request.method === "GET" && ready) {
          const version = Number(ready[2]);
          const served = this.serving[decodeURIComponent(ready[1] ?? "")]?.versions.some(
            (v) => v.version === version,
          );
          return send(served && !this.notReady.has(version) ? 200 : 503, {});
        }
        send(404, { error: "not found" });
      });
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/**
 * The `serve` driver: hands the target to a running `modelci serve`. The server re-reads
 * `deployments/<target>.yaml` from the working tree, so the driver makes sure the file's models
 * section holds the request's versions (a rollback, or a deploy of another commit, writes them, and
 * leaves them there: the server watches the file, so putting the old bytes back would swap the
 * server back to them), then POSTs /admin/reload and checks `GET /v2/models/{m}/versions/{v}/ready`
 * for each version with traffic.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseDocument } from "yaml";
import type { DeployDriver, DeployRequest, DriverContext } from "../../../core/deploy/deploy-driver.ts";
import { UserError } from "../../../core/errors.ts";
import type { Driver } from "../../../schemas/deployment.ts";

type ServeSettings = Extract<Driver, { kind: "serve" }>;

/** The models section a request stands for, as deployments/<target>.yaml writes it. */
function modelsSection(request: DeployRequest): Record<string, unknown> {
  const section: Record<string, unknown> = {};
  for (const { model, versions } of request.models) {
    section[model] =
      versions.length === 1 && versions[0]?.weight === 100
        ? { version: versions[0].version }
        : { canary: versions.map(({ version, weight }) => ({ version, weight })) };
  }
  return section;
}

async function call(url: string, init: RequestInit, what: string): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    if (cause?.code === "ECONNREFUSED") {
      throw new UserError(
        `no modelci serve is running at ${new URL(url).host} (${what}: connection refused); start it with \`modelci serve\``,
      );
    }
    throw new UserError(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Makes the working tree's target file hold the request's models; returns a function that puts the
 * file's bytes back (for a refused reload). A reload that succeeds leaves them written: the server
 * watches the file and serves what it says, so the file is the serving state.
 */
async function writeModelsToFile(
  request: DeployRequest,
  context: DriverContext,
): Promise<() => Promise<void>> {
  const file = join(context.dir, "deployments", `${request.target}.yaml`);
  const original = await readFile(file, "utf8").catch(() => undefined);
  if (original === undefined) throw new UserError(`serve driver: ${file} is not in the working tree`);
  const document = parseDocument(original);
  const wanted = modelsSection(request);
  if (JSON.stringify(document.toJS()?.models ?? {}) === JSON.stringify(wanted)) return async () => {};
  document.set("models", wanted);
  await writeFile(file, document.toString());
  context.log(
    `wrote the models of ${request.target} into deployments/${request.target}.yaml (the file modelci serve serves)`,
  );
  return () => writeFile(file, original);
}

export function serveDriver(settings: ServeSettings): DeployDriver {
  const base = `http://${settings.host.includes(":") ? `[${settings.host}]` : settings.host}:${settings.port}`;
  return {
    async deploy(request, context) {
      const token = context.env.MODELCI_SERVE_ADMIN_TOKEN;
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (token) headers.authorization = `Bearer ${token}`;
      const putBack = await writeModelsToFile(request, context);
      let response: Response;
      try {
        response = await call(
          `${base}/admin/reload`,
          { method: "POST", headers, body: JSON.stringify({ target: request.target }) },
          "POST /admin/reload",
        );
      } catch (error) {
        await putBack();
        throw error;
      }
      const text = await response.text();
      let answer: { error?: string; serving?: unknown } = {};
      try {
        answer = JSON.parse(text) as typeof answer;
      } catch {
        // not JSON: reported as text below
      }
      if (!response.ok) {
        await putBack();
        const serving =
          answer.serving === undefined ? "" : `; still serving ${JSON.stringify(answer.serving)}`;
        throw new UserError(
          `modelci serve refused the reload (${response.status}): ${answer.error ?? text}${serving}`,
        );
      }
      context.log(`POST ${base}/admin/reload: ${response.status} ${text.slice(0, 500)}`);
      return { url: base };
    },
    async ready(request, context) {
      for (const { model, versions } of request.models) {
        for (const { version, weight } of versions) {
          if (weight <= 0) continue;
          const path = `/v2/models/${encodeURIComponent(model)}/versions/${version}/ready`;
          const response = await call(`${base}${path}`, { method: "GET" }, `GET ${path}`);
          await response.body?.cancel();
          if (response.status !== 200) {
            throw new UserError(`readiness check failed: GET ${path} answered ${response.status}`);
          }
          context.log(`GET ${path}: ready`);
        }
      }
    },
  };
}

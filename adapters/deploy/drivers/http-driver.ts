/**
 * The `http` driver: POSTs the target as JSON (schemas/json/deploy-request.schema.json), signed with
 * HMAC-SHA256 over the raw body when `secret-env` names a variable: `X-Modelci-Signature-256:
 * sha256=<hex>`, as GitHub signs webhooks. Retries 5xx answers and network errors with exponential
 * backoff; any other answer that is not 2xx fails the deploy with the answer's body.
 */
import { createHmac, randomUUID } from "node:crypto";
import { buildRequestBody } from "../../../core/deploy/build-request-body.ts";
import type { DeployDriver } from "../../../core/deploy/deploy-driver.ts";
import { UserError } from "../../../core/errors.ts";
import type { Driver } from "../../../schemas/deployment.ts";

type HttpSettings = Extract<Driver, { kind: "http" }>;

export const SIGNATURE_HEADER = "x-modelci-signature-256";

/** `sha256=<hex>` of a body. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** Expands `${{ env.NAME }}` in a header value. */
function expandHeader(value: string, env: NodeJS.ProcessEnv): string {
  return value.replace(/\$\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_, name: string) => {
    const found = env[name];
    if (found === undefined) throw new UserError(`http driver: header names env.${name}, which is not set`);
    return found;
  });
}

export function httpDriver(settings: HttpSettings, options: { backoffMs?: number } = {}): DeployDriver {
  const backoffMs = options.backoffMs ?? 1000;
  return {
    async deploy(request, context) {
      const body = JSON.stringify(buildRequestBody(request));
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "user-agent": "modelci-deploy",
        "x-modelci-delivery": randomUUID(),
      };
      for (const [name, value] of Object.entries(settings.headers ?? {}))
        headers[name] = expandHeader(value, context.env);
      const secretName = settings["secret-env"];
      if (secretName !== undefined) {
        const secret = context.env[secretName];
        if (secret === undefined || secret === "") {
          throw new UserError(`http driver: secret-env names ${secretName}, which is not set`);
        }
        headers[SIGNATURE_HEADER] = signBody(body, secret);
      }
      const attempts = settings.retries + 1;
      for (let attempt = 1; ; attempt++) {
        let problem: string;
        try {
          const response = await fetch(settings.url, {
            method: "POST",
            headers,
            body,
            signal: AbortSignal.timeout(settings["timeout-seconds"] * 1000),
          });
          const text = (await response.text()).slice(0, 2000);
          if (response.ok) {
            context.log(`POST ${settings.url}: ${response.status}`);
            return {};
          }
          problem = `${response.status} ${response.statusText}: ${text}`;
          if (response.status < 500) throw new UserError(`POST ${settings.url} answered ${problem}`);
        } catch (error) {
          if (error instanceof UserError) throw error;
          problem =
            error instanceof Error
              ? ((error.cause as Error | undefined)?.message ?? error.message)
              : String(error);
        }
        if (attempt >= attempts) {
          throw new UserError(`POST ${settings.url} failed after ${attempts} attempts: ${problem}`);
        }
        const wait = backoffMs * 2 ** (attempt - 1);
        context.log(
          `POST ${settings.url}: ${problem}; retrying in ${wait} ms (attempt ${attempt + 1} of ${attempts})`,
        );
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    },
  };
}

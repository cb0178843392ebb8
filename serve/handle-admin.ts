/**
 * `POST /admin/reload`: the serve deploy driver's way to swap versions after it changed the
 * deployment file. Answers loopback clients only, and wants `Authorization: Bearer
 * $MODELCI_SERVE_ADMIN_TOKEN` when that variable is set.
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { RequestError } from "../core/serve/request-error.ts";
import { answer } from "./answer.ts";
import type { ServeContext } from "./context.ts";

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

export function isLoopback(request: IncomingMessage): boolean {
  const address = request.socket.remoteAddress ?? "";
  return LOOPBACK.has(address) || address.startsWith("127.");
}

/** Throws a 401 unless the request carries `Authorization: Bearer <token>`. */
export function checkBearer(request: IncomingMessage, token: string | undefined, what: string): void {
  if (token === undefined || token === "") return;
  const header = request.headers.authorization ?? "";
  const given = Buffer.from(header.startsWith("Bearer ") ? header.slice(7) : "");
  const wanted = Buffer.from(token);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    throw new RequestError(
      401,
      `${what} needs the header \`Authorization: Bearer <token>\` with the right token`,
    );
  }
}

export async function handleReload(
  context: ServeContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (!isLoopback(request)) throw new RequestError(403, "/admin/reload answers loopback clients only");
  checkBearer(request, context.adminToken, "/admin/reload (MODELCI_SERVE_ADMIN_TOKEN is set)");
  request.resume();
  const result = await context.reload();
  if (result.ok) {
    answer(response, 200, { reloaded: true, changed: result.changed, models: result.serving });
  } else {
    answer(response, result.phase === "load" ? 500 : 409, { error: result.error, serving: result.serving });
  }
}

import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "probot";
import { checkPayload } from "./check-payload.ts";
import { readCappedBody } from "./read-capped-body.ts";
import { verifySignature } from "./verify-signature.ts";

/** GitHub caps webhook payloads at 25 MB; nothing larger is a delivery. */
export const MAX_BODY_BYTES = 25 * 1024 * 1024;

/** How deliveries are bounded. */
export interface DeliveryLimits {
  /** Largest body accepted (413 above it). */
  maxBytes: number;
  /** Deliveries being read, verified or handled at once; more are answered 503. */
  maxInFlight: number;
  /** A verified delivery still being handled after this long is answered 202 (GitHub waits 10 s). */
  answerWithinMs: number;
}

export const DEFAULT_LIMITS: DeliveryLimits = {
  maxBytes: MAX_BODY_BYTES,
  maxInFlight: 16,
  answerWithinMs: 9000,
};

/** A verified, parsed delivery, for Probot. */
export interface Delivery {
  id: string;
  name: string;
  payload: unknown;
}

export interface DeliveryOptions {
  secret: string;
  receive(delivery: Delivery): Promise<void>;
  log: Logger;
  limits: DeliveryLimits;
}

function answer(
  response: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
) {
  if (response.headersSent) return;
  response.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
  response.end(`${text}\n`);
}

/** How long a refused request's connection stays open, unread, for its client to read the answer. */
const LINGER_MS = 5000;

/**
 * Answers before reading (the rest of) the body, then reads no more of it: the connection stays open
 * LINGER_MS, so the client can read the answer instead of a reset, and is then cut.
 */
function refuse(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
) {
  answer(response, status, text, headers);
  if (request.complete) return;
  // Stop reading: the client gets the answer while its bytes wait in the kernel, never in memory.
  request.socket.pause();
  const timer = setTimeout(() => request.socket.destroy(), LINGER_MS);
  timer.unref();
  request.once("end", () => clearTimeout(timer));
  request.once("close", () => clearTimeout(timer));
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * The webhook endpoint. In order, before anything reaches a handler: the event headers; the size
 * (413 from `Content-Length` before reading, or as soon as a streamed body passes the cap); the
 * bound on deliveries in flight (503); the HMAC-SHA256 signature over the raw bytes (401); only then
 * JSON (400) and the payload's schema ("ignored", 202). No delivery whose signature was not
 * verified is answered 2xx, and no answer carries an internal error's text.
 */
export function createDeliveryHandler(options: DeliveryOptions) {
  const { secret, receive, log, limits } = options;
  let inFlight = 0;
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== "POST")
      return refuse(request, response, 405, "webhooks are POSTed", { allow: "POST" });
    const name = header(request, "x-github-event");
    const id = header(request, "x-github-delivery");
    const signature = header(request, "x-hub-signature-256");
    if (name === undefined || id === undefined || signature === undefined)
      return refuse(
        request,
        response,
        400,
        "missing x-github-event, x-github-delivery or x-hub-signature-256",
      );
    const length = Number(request.headers["content-length"] ?? Number.NaN);
    if (length > limits.maxBytes)
      return refuse(
        request,
        response,
        413,
        `the body is over ${limits.maxBytes} bytes, GitHub's limit for a delivery`,
      );
    if (inFlight >= limits.maxInFlight)
      return refuse(request, response, 503, "too many deliveries in flight; try again later", {
        "retry-after": "5",
      });
    inFlight++;
    let handling: Promise<void> | undefined;
    try {
      const body = await readCappedBody(request, limits.maxBytes);
      if (body.kind === "aborted") return refuse(request, response, 400, "the body ended early");
      if (body.kind === "too-large")
        return refuse(
          request,
          response,
          413,
          `the body is over ${limits.maxBytes} bytes, GitHub's limit for a delivery`,
        );
      if (!verifySignature(secret, body.bytes, signature)) {
        log.warn(`delivery ${id} (${name}): the signature does not match; refused`);
        return answer(response, 401, "the signature does not match the body");
      }
      let payload: unknown;
      try {
        payload = JSON.parse(body.bytes.toString("utf8"));
      } catch {
        return answer(response, 400, "the body is not JSON");
      }
      const problem = checkPayload(name, payload);
      if (problem !== undefined) {
        log.warn(`delivery ${id} (${name}): ignored: ${problem}`);
        return answer(response, 202, `ignored: ${name} payload: ${problem}`);
      }
      handling = receive({ id, name, payload }).then(
        () => answer(response, 200, "ok"),
        (error: unknown) => {
          log.error({ err: error }, `delivery ${id} (${name}) failed`);
          answer(response, 500, `delivery ${id} failed; the App's log says why`);
        },
      );
      const timer = setTimeout(
        () => answer(response, 202, "accepted: still processing"),
        limits.answerWithinMs,
      );
      await handling.finally(() => clearTimeout(timer));
    } finally {
      inFlight--;
    }
  };
}

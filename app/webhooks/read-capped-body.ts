import type { IncomingMessage } from "node:http";

/** A request body, or how it went wrong: larger than the cap, or the client went away. */
export type CappedBody = { kind: "body"; bytes: Buffer } | { kind: "too-large" } | { kind: "aborted" };

/**
 * Reads a request body, holding at most `maxBytes` of it: the moment it passes the cap, reading
 * stops and the caller answers 413 and closes the connection. `Content-Length` is checked by the
 * caller before any byte is read; this bounds bodies without one (chunked) or that lie about it.
 */
export function readCappedBody(request: IncomingMessage, maxBytes: number): Promise<CappedBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: CappedBody) => {
      if (settled) return;
      settled = true;
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("error", onAbort);
      request.off("aborted", onAbort);
      if (result.kind !== "body") chunks.length = 0;
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) settle({ kind: "too-large" });
      else chunks.push(chunk);
    };
    const onEnd = () => settle({ kind: "body", bytes: Buffer.concat(chunks, size) });
    const onAbort = () => settle({ kind: "aborted" });
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("error", onAbort);
    request.on("aborted", onAbort);
  });
}

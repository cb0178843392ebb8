/**
 * Reads a request body up to a limit. Past the limit the rest is read and discarded (up to 64 MiB
 * more, then the connection is cut), so the client gets its 413 instead of a reset.
 */
import type { IncomingMessage } from "node:http";
import { RequestError } from "../core/serve/request-error.ts";

const DISCARD_BYTES = 64 * 1024 * 1024;

export function readBody(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers["content-length"] ?? Number.NaN);
    let over = Number.isFinite(declared) && declared > limit;
    const chunks: Buffer[] = [];
    let size = 0;
    const tooLarge = () =>
      new RequestError(413, `request body is larger than the limit of ${limit} bytes (driver.body-limit)`);
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      if (over) {
        chunks.length = 0;
        if (size > limit + DISCARD_BYTES) {
          reject(tooLarge());
          request.destroy();
        }
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => (over ? reject(tooLarge()) : resolve(Buffer.concat(chunks).toString("utf8"))));
    request.on("error", reject);
  });
}

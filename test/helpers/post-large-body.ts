import { connect } from "node:net";

export interface LargePost {
  /** Body bytes to offer (zeros), streamed 64 KiB at a time until the answer comes. */
  bytes: number;
  /** Send Content-Length (default) or stream the body chunked, without one. */
  chunked?: boolean;
  headers?: Record<string, string>;
}

export interface LargePostAnswer {
  status: number;
  body: string;
  /** Bytes of body written before the answer came. */
  sent: number;
}

const CHUNK = Buffer.alloc(64 * 1024);

/** The status and body of a complete HTTP/1.1 answer in `data`, if it is all there. */
function readAnswer(data: Buffer): { status: number; body: string } | undefined {
  const end = data.indexOf("\r\n\r\n");
  if (end < 0) return undefined;
  const head = data.subarray(0, end).toString("latin1");
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
  const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
  if (data.length < end + 4 + length) return undefined;
  return { status, body: data.subarray(end + 4, end + 4 + length).toString("utf8") };
}

/**
 * POSTs a large body the way a hostile client would, over a raw socket: it keeps writing until the
 * server answers, then stops and hangs up. A server may answer early and cut the connection (that
 * is what this tests for), so only a connection that ends without an answer is an error.
 */
export function postLargeBody(url: string, post: LargePost): Promise<LargePostAnswer> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let received = Buffer.alloc(0);
    let done = false;
    const socket = connect({ host: hostname, port: Number(port) });
    const finish = (error?: Error) => {
      if (done) return;
      const answer = readAnswer(received);
      if (answer === undefined && error === undefined) return;
      done = true;
      socket.destroy();
      if (answer !== undefined) resolve({ ...answer, sent });
      else reject(new Error(`${post.bytes} bytes, ${sent} sent, no answer: ${error?.message}`));
    };
    socket.on("data", (data: Buffer) => {
      received = Buffer.concat([received, data]);
      finish();
    });
    socket.on("error", (error) => finish(error));
    socket.on("close", () => finish(new Error("the connection closed")));
    const headers = {
      host: `${hostname}:${port}`,
      "content-type": "application/json",
      ...(post.chunked ? { "transfer-encoding": "chunked" } : { "content-length": String(post.bytes) }),
      ...post.headers,
    };
    const head = Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join("");
    const frame = (chunk: Buffer): Buffer[] =>
      post.chunked ? [Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")] : [chunk];
    const write = () => {
      while (!done && sent < post.bytes) {
        const chunk = CHUNK.subarray(0, Math.min(CHUNK.length, post.bytes - sent));
        sent += chunk.length;
        if (!socket.write(Buffer.concat(frame(chunk)))) {
          socket.once("drain", write);
          return;
        }
      }
      if (!done && post.chunked) socket.write("0\r\n\r\n");
    };
    socket.once("connect", () => {
      socket.write(`POST ${pathname} HTTP/1.1\r\n${head}\r\n`);
      write();
    });
  });
}

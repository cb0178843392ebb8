/** A fake GitHub's HTTP server on 127.0.0.1 (an ephemeral port), with its API base URL. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Listens; a request whose handler throws is answered 500 and recorded in `problems`. */
export async function listenOnLoopback(
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<unknown>,
  problems: string[],
): Promise<{ server: Server; baseUrl: string }> {
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      problems.push(String(error));
      response.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, baseUrl: `http://127.0.0.1:${port}/api/v3` };
}

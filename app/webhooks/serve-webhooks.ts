import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Probot } from "probot";
import { createDeliveryHandler, type DeliveryLimits } from "./handle-delivery.ts";

export interface ServeOptions {
  host: string;
  port: number;
  /** WEBHOOK_PATH: where GitHub POSTs deliveries. */
  path: string;
  secret: string;
  limits: DeliveryLimits;
}

/** The App as it listens. */
export interface RunningApp {
  host: string;
  port: number;
  stop(): Promise<void>;
}

/** A slow client holds a delivery slot at most this long (headers and body together). */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The App's HTTP server: `GET /ping` answers `PONG` (the image's health check), POSTs to the
 * webhook path go through the delivery handler, anything else is 404.
 */
export function serveWebhooks(probot: Probot, options: ServeOptions): Promise<RunningApp> {
  const log = probot.log.child({ name: "http" });
  const deliver = createDeliveryHandler({
    secret: options.secret,
    receive: (delivery) => probot.receive(delivery as Parameters<Probot["receive"]>[0]),
    log,
    limits: options.limits,
  });
  const server = createServer(
    { requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: 10_000 },
    (request, response) => {
      const path = (request.url ?? "").split("?")[0];
      if (path === options.path) {
        deliver(request, response).catch((error: unknown) => {
          log.error({ err: error }, "the webhook endpoint failed");
          if (!response.headersSent) response.writeHead(500, { connection: "close" }).end();
        });
        return;
      }
      if (request.method === "GET" && path === "/ping") {
        response.writeHead(200, { "content-type": "text/plain" }).end("PONG");
        return;
      }
      response.writeHead(404, { connection: "close" }).end();
    },
  );
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`port ${options.port} is in use; set PORT to another one`, { cause: error })
          : error,
      );
    });
    server.listen({ host: options.host, port: options.port }, () => {
      const address = server.address() as AddressInfo;
      log.info(`listening on http://${options.host}:${address.port}${options.path}`);
      resolve({
        host: address.address,
        port: address.port,
        stop: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}

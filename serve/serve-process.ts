/**
 * One serving process: loads the target, listens, reloads on a change of the deployment file,
 * and shuts down gracefully. With --workers, each worker runs this with IPC hooks in place of the
 * file watcher, the metrics registry and the log file (see serve/cluster.ts).
 */

import { watch } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { basename, dirname } from "node:path";
import type { Ort } from "../adapters/onnx/create-session.ts";
import { loadOnnxruntime } from "../adapters/onnx/load-onnxruntime.ts";
import { UserError } from "../core/errors.ts";
import { DEFAULT_MAX_JSON_DEPTH } from "../core/serve/parse-json-body.ts";
import type { ServeContext } from "./context.ts";
import { handleRequest } from "./handle-request.ts";
import { fileSink, InputLogger, type LogSink, logSalt } from "./input-log.ts";
import { createMetrics, type ServeMetrics } from "./metrics.ts";
import { ModelPool, type ReloadResult } from "./model-pool.ts";
import {
  DEFAULT_BODY_LIMIT,
  DEFAULT_HOST,
  DEFAULT_PORT,
  type ServeOptions,
  type ServerHandle,
} from "./options.ts";
import { readTarget, type TargetPlan } from "./read-target.ts";

/** How a worker process replaces the parts a cluster shares. */
export interface ProcessHooks {
  reload?: (local: () => Promise<ReloadResult>) => () => Promise<ReloadResult>;
  metricsText?: () => Promise<{ contentType: string; text: string }>;
  sink?: (path: string) => LogSink;
  /** Called with this process's metrics before it listens. */
  onMetrics?: (metrics: ServeMetrics) => void;
}

export interface ServingProcess extends ServerHandle {
  /** Reloads this process's models. */
  reloadLocal(): Promise<ReloadResult>;
  server: Server;
}

/** Port and host: the options, else the target's serve driver, else 8080 on 127.0.0.1. */
export function listenAddress(options: ServeOptions, plan: TargetPlan): { port: number; host: string } {
  const driver = plan.deployment.driver;
  return {
    port: options.port ?? (driver.kind === "serve" ? driver.port : DEFAULT_PORT),
    host: options.host ?? (driver.kind === "serve" ? driver.host : DEFAULT_HOST),
  };
}

export async function serveProcess(options: ServeOptions, hooks: ProcessHooks = {}): Promise<ServingProcess> {
  const env = options.env ?? process.env;
  const notice = options.notice ?? ((message: string) => process.stderr.write(`${message}\n`));
  const ort: Ort = await loadOnnxruntime();
  const metrics = createMetrics();
  hooks.onMetrics?.(metrics);
  const pool = new ModelPool(ort, () => readTarget(options.root, options.target, env), metrics);
  const first = await pool.reload();
  if (!first.ok) throw new UserError(first.error);
  const plan = () => pool.state?.plan as TargetPlan;

  const sinks = new Map<string, LogSink>();
  let logger: { plan: TargetPlan; key: string; value: InputLogger | undefined } | undefined;
  const currentLogger = (): InputLogger | undefined => {
    const current = plan();
    // the same plan (no reload since): the same logger, without building its key again
    if (logger?.plan === current) return logger.value;
    const { logPath, deployment } = current;
    const monitoring = deployment.monitoring;
    const key = JSON.stringify([logPath, monitoring?.sample, monitoring?.log]);
    if (logger?.key === key) {
      logger = { ...logger, plan: current };
      return logger.value;
    }
    let value: InputLogger | undefined;
    if (logPath !== undefined && monitoring !== undefined && monitoring.sample > 0) {
      let sink = sinks.get(logPath);
      if (sink === undefined) {
        sink = hooks.sink?.(logPath) ?? fileSink({ path: logPath, maxBytes: options.logMaxBytes });
        sinks.set(logPath, sink);
      }
      const hashed = monitoring.log?.hash ?? [];
      value = new InputLogger({
        sink,
        sample: monitoring.sample,
        policy: { exclude: new Set(monitoring.log?.exclude ?? []), hash: new Set(hashed) },
        salt: logSalt(env, notice, hashed.length > 0),
        onWritten: (rows, dropped) => {
          metrics.logRows.inc(rows);
          if (dropped > 0) metrics.logDropped.inc(dropped);
        },
      });
    }
    logger = { plan: current, key, value };
    return value;
  };

  const reloadLocal = async (): Promise<ReloadResult> => {
    const result = await pool.reload();
    if (!result.ok)
      notice(`modelci serve: reload failed, the previous versions keep serving: ${result.error}`);
    else if (result.changed) notice(`modelci serve: now serving ${JSON.stringify(result.serving)}`);
    return result;
  };
  const driver = plan().deployment.driver;
  const context: ServeContext = {
    ort,
    pool,
    metrics,
    logger: currentLogger,
    bodyLimit: (driver.kind === "serve" ? driver["body-limit"] : undefined) ?? DEFAULT_BODY_LIMIT,
    maxJsonDepth: DEFAULT_MAX_JSON_DEPTH,
    token: env.MODELCI_SERVE_TOKEN || undefined,
    adminToken: env.MODELCI_SERVE_ADMIN_TOKEN || undefined,
    reload: hooks.reload?.(reloadLocal) ?? reloadLocal,
    metricsText:
      hooks.metricsText ??
      (async () => ({ contentType: metrics.registry.contentType, text: await metrics.registry.metrics() })),
    closing: false,
  };

  const server = createServer({ keepAliveTimeout: 5000 }, (request, response) => {
    handleRequest(context, request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
    if (context.closing) response.on("finish", () => server.closeIdleConnections());
  });
  server.on("clientError", (_error, socket) => {
    if (socket.writable)
      socket.end(
        'HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\n\r\n{"error":"malformed HTTP request"}',
      );
  });
  const { port, host } = listenAddress(options, plan());
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new UserError(`port ${port} on ${host} is in use; pass --port`)
          : new UserError(`cannot listen on ${host}:${port}: ${error.message}`),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;

  const watcher = options.watch === false ? undefined : watchFile(plan().file, () => void context.reload());

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      context.closing = true;
      watcher?.close();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timeout = new Promise<void>((resolve) =>
        setTimeout(resolve, options.drainTimeoutMs ?? 10_000).unref(),
      );
      await Promise.race([stopped, timeout]);
      server.closeAllConnections();
      await pool.close();
      for (const sink of sinks.values()) await sink.close();
    })();
    return closed;
  };
  return { url, close, reload: context.reload, reloadLocal, server };
}

/** Calls `onChange` (debounced) when the file is written or replaced (editors rename over it). */
function watchFile(file: string, onChange: () => void): { close(): void } {
  let timer: NodeJS.Timeout | undefined;
  const name = basename(file);
  const watcher = watch(dirname(file), (_event, changed) => {
    if (changed !== null && changed !== name) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, 150);
  });
  watcher.on("error", () => {});
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}

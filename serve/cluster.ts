/**
 * `--workers N`: N processes (node:cluster) share the port. The primary loads no model: it forks
 * the workers, watches the deployment file, fans reloads out to every worker (answering the
 * worker that received `/admin/reload`), aggregates metrics with prom-client's AggregatorRegistry,
 * and is the one writer of the input log. A worker that dies is replaced.
 */
import cluster, { type Worker } from "node:cluster";
import { watch } from "node:fs";
import { basename, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { AggregatorRegistry } from "prom-client";
import { UserError } from "../core/errors.ts";
import { fileSink, type LogSink, logSalt } from "./input-log.ts";
import type { ReloadResult } from "./model-pool.ts";
import type { ServeOptions, ServerHandle } from "./options.ts";
import { readTarget } from "./read-target.ts";
import { listenAddress } from "./serve-process.ts";

export const WORKER_OPTIONS_ENV = "MODELCI_SERVE_WORKER";

/** Messages between primary and workers; `modelci` tells them from prom-client's own. */
export type ClusterMessage =
  | { modelci: "ready"; url: string }
  | { modelci: "failed"; error: string }
  | { modelci: "reload"; id: number }
  | { modelci: "reload-local"; id: number }
  | { modelci: "reloaded"; id: number; result: ReloadResult }
  | { modelci: "reload-done"; id: number; result: ReloadResult }
  | { modelci: "metrics"; id: number }
  | { modelci: "metrics-done"; id: number; contentType: string; text: string }
  | { modelci: "log"; path: string; lines: string[] }
  | { modelci: "log-dropped"; count: number }
  | { modelci: "shutdown" };

export async function startCluster(options: ServeOptions, count: number): Promise<ServerHandle> {
  const env = options.env ?? process.env;
  const notice = options.notice ?? ((message: string) => process.stderr.write(`${message}\n`));
  const plan = await readTarget(options.root, options.target, env);
  const { port, host } = listenAddress(options, plan);
  const aggregator = new AggregatorRegistry();
  const sinks = new Map<string, LogSink>();
  const workers = new Set<Worker>();
  let closing = false;
  let nextId = 0;
  const waiting = new Map<
    number,
    { results: ReloadResult[]; left: number; done(result: ReloadResult): void }
  >();

  cluster.setupPrimary({
    exec: fileURLToPath(new URL("./worker.js", import.meta.url)),
    args: [],
    execArgv: [],
  });
  // One salt for every worker, so a hashed value is the same whichever worker logged it.
  const salt = logSalt(env, notice, (plan.deployment.monitoring?.log?.hash.length ?? 0) > 0);
  const workerEnv = {
    ...env,
    MODELCI_SERVE_LOG_SALT: salt,
    [WORKER_OPTIONS_ENV]: JSON.stringify({
      ...options,
      env: undefined,
      notice: undefined,
      port,
      host,
      workers: 1,
    }),
  };

  const reloadAll = (): Promise<ReloadResult> =>
    new Promise((resolve) => {
      const id = nextId++;
      const live = [...workers];
      waiting.set(id, {
        results: [],
        left: live.length,
        done: (result) => {
          waiting.delete(id);
          resolve(result);
        },
      });
      for (const worker of live) worker.send({ modelci: "reload-local", id } satisfies ClusterMessage);
    });

  const onMessage = (worker: Worker, message: ClusterMessage) => {
    if (typeof message !== "object" || message === null || !("modelci" in message)) return;
    switch (message.modelci) {
      case "reload":
        void reloadAll().then((result) =>
          worker.send({ modelci: "reload-done", id: message.id, result } satisfies ClusterMessage),
        );
        return;
      case "reloaded": {
        const pending = waiting.get(message.id);
        if (pending === undefined) return;
        pending.results.push(message.result);
        if (--pending.left === 0) {
          const failed = pending.results.find((r) => !r.ok);
          pending.done(failed ?? (pending.results[0] as ReloadResult));
        }
        return;
      }
      case "metrics":
        aggregator.clusterMetrics().then(
          (text) =>
            worker.send({
              modelci: "metrics-done",
              id: message.id,
              contentType: aggregator.contentType,
              text,
            } satisfies ClusterMessage),
          (error: unknown) =>
            worker.send({
              modelci: "metrics-done",
              id: message.id,
              contentType: "text/plain",
              text: `# metrics unavailable: ${String(error)}\n`,
            } satisfies ClusterMessage),
        );
        return;
      case "log": {
        let sink = sinks.get(message.path);
        if (sink === undefined) {
          sink = fileSink({ path: message.path, maxBytes: options.logMaxBytes });
          sinks.set(message.path, sink);
        }
        const dropped = sink.write(message.lines);
        if (dropped > 0) worker.send({ modelci: "log-dropped", count: dropped } satisfies ClusterMessage);
        return;
      }
      default:
        return;
    }
  };

  const fork = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork(workerEnv);
      workers.add(worker);
      worker.on("message", (message: ClusterMessage) => {
        if (message?.modelci === "ready") resolve(message.url);
        else if (message?.modelci === "failed") reject(new UserError(message.error));
        else onMessage(worker, message);
      });
      worker.on("exit", (code) => {
        workers.delete(worker);
        reject(new UserError(`a worker exited with code ${code} before it was ready`));
        // A crashed worker is replaced.
        if (!closing) {
          notice(`modelci serve: worker ${worker.process.pid} exited (code ${code}); starting another`);
          fork().catch((error: unknown) => notice(`modelci serve: ${String(error)}`));
        }
      });
    });

  const shutdown = async () => {
    closing = true;
    watcher?.close();
    await Promise.all(
      [...workers].map(
        (worker) =>
          new Promise<void>((resolve) => {
            worker.once("exit", () => resolve());
            if (worker.isConnected()) worker.send({ modelci: "shutdown" } satisfies ClusterMessage);
            setTimeout(
              () => worker.process.kill("SIGKILL"),
              (options.drainTimeoutMs ?? 10_000) + 2000,
            ).unref();
          }),
      ),
    );
    for (const sink of sinks.values()) await sink.close();
  };

  let watcher: { close(): void } | undefined;
  let url: string;
  try {
    const urls = await Promise.all(Array.from({ length: count }, fork));
    url = urls[0] as string;
  } catch (error) {
    await shutdown();
    throw error;
  }
  if (options.watch !== false) {
    let timer: NodeJS.Timeout | undefined;
    const name = basename(plan.file);
    const fsWatcher = watch(dirname(plan.file), (_event, changed) => {
      if (changed !== null && changed !== name) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        void reloadAll().then((result) => {
          if (!result.ok)
            notice(`modelci serve: reload failed, the previous versions keep serving: ${result.error}`);
        });
      }, 150);
    });
    fsWatcher.on("error", () => {});
    watcher = {
      close() {
        clearTimeout(timer);
        fsWatcher.close();
      },
    };
  }
  let closed: Promise<void> | undefined;
  return { url, reload: reloadAll, close: () => (closed ??= shutdown()) };
}

/** A worker of `modelci serve --workers N`: one serving process whose shared parts go through the primary. */
import { AggregatorRegistry } from "prom-client";
import { describeError } from "../core/errors.ts";
import { type ClusterMessage, WORKER_OPTIONS_ENV } from "./cluster.ts";
import type { LogSink } from "./input-log.ts";
import type { ServeMetrics } from "./metrics.ts";
import type { ReloadResult } from "./model-pool.ts";
import type { ServeOptions } from "./options.ts";
import { type ServingProcess, serveProcess } from "./serve-process.ts";

const MAX_LOG_MESSAGES_IN_FLIGHT = 256;

function send(message: ClusterMessage, callback?: () => void): void {
  process.send?.(message, undefined, {}, () => callback?.());
}

export async function runWorker(): Promise<void> {
  const options = JSON.parse(process.env[WORKER_OPTIONS_ENV] ?? "{}") as ServeOptions;
  let nextId = 0;
  const replies = new Map<number, (message: ClusterMessage) => void>();
  const ask = (message: ClusterMessage & { id: number }) =>
    new Promise<ClusterMessage>((resolve) => {
      replies.set(message.id, resolve);
      send(message);
    });
  let metrics: ServeMetrics | undefined;
  let logsInFlight = 0;
  const sink = (path: string): LogSink => ({
    write(lines) {
      if (logsInFlight >= MAX_LOG_MESSAGES_IN_FLIGHT) return lines.length;
      logsInFlight++;
      send({ modelci: "log", path, lines: [...lines] }, () => logsInFlight--);
      return 0;
    },
    async close() {},
  });
  let serving: ServingProcess | undefined;
  process.on("message", (message: ClusterMessage) => {
    if (typeof message !== "object" || message === null || !("modelci" in message)) return;
    if (message.modelci === "reload-local") {
      const reply = (result: ReloadResult) => send({ modelci: "reloaded", id: message.id, result });
      if (serving) serving.reloadLocal().then(reply);
      else reply({ ok: false, error: "worker not started", serving: {}, phase: "plan" });
    } else if (message.modelci === "reload-done" || message.modelci === "metrics-done") {
      replies.get(message.id)?.(message);
      replies.delete(message.id);
    } else if (message.modelci === "log-dropped") {
      metrics?.logDropped.inc(message.count);
    } else if (message.modelci === "shutdown") {
      void stop();
    }
  });
  const stop = async () => {
    await serving?.close();
    process.exit(0);
  };
  // The primary coordinates shutdown; a worker whose primary is gone stops by itself.
  process.on("SIGINT", () => {});
  process.on("SIGTERM", () => {});
  process.on("disconnect", () => void stop());
  try {
    serving = await serveProcess(
      { ...options, watch: false },
      {
        onMetrics: (created) => {
          metrics = created;
          AggregatorRegistry.setRegistries([created.registry]);
          // Constructing one makes prom-client answer the primary's requests for this worker's metrics.
          new AggregatorRegistry();
        },
        reload: () => async () => {
          const reply = await ask({ modelci: "reload", id: nextId++ });
          return (reply as Extract<ClusterMessage, { modelci: "reload-done" }>).result;
        },
        metricsText: async () => {
          const reply = (await ask({ modelci: "metrics", id: nextId++ })) as Extract<
            ClusterMessage,
            { modelci: "metrics-done" }
          >;
          return { contentType: reply.contentType, text: reply.text };
        },
        sink,
      },
    );
    send({ modelci: "ready", url: serving.url });
  } catch (error) {
    send({ modelci: "failed", error: describeError(error) }, () => process.exit(1));
  }
}

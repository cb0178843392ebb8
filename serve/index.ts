/**
 * The prediction server (`modelci serve`): Open Inference Protocol v2 over HTTP on onnxruntime,
 * canary weights, hot swap, Prometheus metrics and sampled input logging. `startServer` is the one
 * door other entries (the CLI) use.
 */
import { startCluster } from "./cluster.ts";
import type { ServeOptions, ServerHandle } from "./options.ts";
import { serveProcess } from "./serve-process.ts";

export type { ReloadResult } from "./model-pool.ts";
export type { ServeOptions, ServerHandle } from "./options.ts";

/** Loads the target's versions and listens; resolves once every worker is ready. */
export async function startServer(options: ServeOptions): Promise<ServerHandle> {
  const workers = options.workers ?? 1;
  if (workers > 1) return startCluster(options, workers);
  const { url, close, reload } = await serveProcess(options);
  return { url, close, reload };
}

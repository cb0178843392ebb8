/** What every route handler shares: the pool, metrics, input logger, limits and tokens. */
import type { Ort } from "../adapters/onnx/create-session.ts";
import type { InputLogger } from "./input-log.ts";
import type { ServeMetrics } from "./metrics.ts";
import type { ModelPool, ReloadResult } from "./model-pool.ts";

export interface ServeContext {
  ort: Ort;
  pool: ModelPool;
  metrics: ServeMetrics;
  /** The input log of the current target, when it has `monitoring.current.path`. */
  logger(): InputLogger | undefined;
  bodyLimit: number;
  maxJsonDepth: number;
  /** MODELCI_SERVE_TOKEN: bearer token the inference and metadata endpoints require, when set. */
  token: string | undefined;
  /** MODELCI_SERVE_ADMIN_TOKEN: bearer token /admin/reload requires, when set. */
  adminToken: string | undefined;
  /** A reload of the whole server (every worker, with --workers). */
  reload(): Promise<ReloadResult>;
  /** The Prometheus exposition (aggregated across workers, with --workers). */
  metricsText(): Promise<{ contentType: string; text: string }>;
  /** True once the server is shutting down: readiness turns false. */
  closing: boolean;
}

/** The header whose value routes a request to a canary version deterministically. */
export const ROUTING_HEADER = "x-routing-key";
/** The response header naming the version that answered. */
export const VERSION_HEADER = "x-model-version";

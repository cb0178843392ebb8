import type { ReloadResult } from "./model-pool.ts";

/** Options of `startServer`, as `modelci serve` passes them. */
export interface ServeOptions {
  /** The repository folder (where modelci.yaml is). */
  root: string;
  /** The deployment target to serve (`deployments/<target>.yaml`). */
  target: string;
  /** Overrides the target's `driver.port` (serve driver), default 8080; 0 picks a free port. */
  port?: number | undefined;
  /** Overrides the target's `driver.host`, default 127.0.0.1. */
  host?: string | undefined;
  /** Worker processes sharing the port (node:cluster); 1 or undefined serves from this process. */
  workers?: number | undefined;
  /** Reload when the deployment file changes (default true). */
  watch?: boolean | undefined;
  /** Most time SIGTERM or close() waits for in-flight requests, in ms (default 10,000). */
  drainTimeoutMs?: number | undefined;
  /** Rotate the input log at this size in bytes (default 64 MiB). */
  logMaxBytes?: number | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  /** One-line notices: reloads, failures, warnings (default: stderr). */
  notice?: ((message: string) => void) | undefined;
}

/** A running server. */
export interface ServerHandle {
  /** Reloads the deployment file and swaps versions (every worker); what SIGHUP does. */
  reload(): Promise<ReloadResult>;
  /** `http://host:port`. */
  url: string;
  /** Stops accepting, finishes in-flight requests (up to the drain timeout), releases every session. */
  close(): Promise<void>;
}

export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_BODY_LIMIT = 16 * 1024 * 1024;

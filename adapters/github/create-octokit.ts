import { Octokit } from "@octokit/rest";
import { httpErrorOf } from "./classify-github-error.ts";

export interface OctokitOptions {
  /** A token: GITHUB_TOKEN, an installation token or a PAT. Omit it for anonymous reads. */
  token?: string;
  /** REST API root; defaults to GITHUB_API_URL (set by Actions, GHES included), then https://api.github.com. */
  baseUrl?: string;
  userAgent?: string;
  /** Retries after a 5xx, a network error or a secondary rate limit (default 3). */
  retries?: number;
  /** Milliseconds to wait before retry `attempt` (1-based); tests pass `() => 0`. */
  retryDelayMs?: (attempt: number, retryAfterMs: number | undefined) => number;
  /** Where Octokit logs; by default only warnings (failed requests surface as the errors thrown). */
  log?: OctokitLog;
  env?: NodeJS.ProcessEnv;
}

export interface OctokitLog {
  debug: (message: string) => void;
  info: (message: string) => void;
  warn: (message: string) => void;
  error: (message: string) => void;
}

const ignore = (): void => {};
const QUIET_LOG: OctokitLog = { debug: ignore, info: ignore, warn: console.warn, error: ignore };

/** Exponential backoff (1 s, 2 s, 4 s…), or what GitHub asked for in Retry-After, whichever is longer. */
export function defaultRetryDelayMs(attempt: number, retryAfterMs: number | undefined): number {
  return Math.max(retryAfterMs ?? 0, 1000 * 2 ** (attempt - 1));
}

/** An Octokit for GitHub or GitHub Enterprise Server that retries transient failures itself. */
export function createOctokit(options: OctokitOptions = {}): Octokit {
  const env = options.env ?? process.env;
  const baseUrl = (options.baseUrl ?? env.GITHUB_API_URL ?? "https://api.github.com").replace(/\/+$/, "");
  const octokit = new Octokit({
    ...(options.token ? { auth: options.token } : {}),
    baseUrl,
    userAgent: options.userAgent ?? "modelci",
    log: options.log ?? QUIET_LOG,
  });
  const retries = options.retries ?? 3;
  const delayMs = options.retryDelayMs ?? defaultRetryDelayMs;
  octokit.hook.wrap("request", async (request, requestOptions) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await request(requestOptions);
      } catch (error) {
        const retryAfterMs = retryableAfter(error);
        if (retryAfterMs === undefined || attempt > retries) throw error;
        const wait = delayMs(attempt, retryAfterMs === 0 ? undefined : retryAfterMs);
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  });
  return octokit;
}

/**
 * Whether a failed request is worth repeating, and the wait GitHub asked for (0 when it named none):
 * server errors and network failures (Octokit reports both as 5xx), and secondary rate limits
 * (403/429 with Retry-After or that message). Primary rate limits wait up to an hour: not retried.
 */
function retryableAfter(error: unknown): number | undefined {
  const http = httpErrorOf(error);
  if (!http) return undefined;
  if (http.status >= 500 && http.status !== 501) return 0;
  if (http.status !== 403 && http.status !== 429) return undefined;
  const headers = http.response?.headers ?? {};
  const retryAfter = Number(headers["retry-after"]);
  if (Number.isFinite(retryAfter) && retryAfter >= 0 && headers["retry-after"] !== undefined)
    return retryAfter * 1000;
  // GitHub: without Retry-After, wait at least a minute after a secondary rate limit.
  return /secondary rate limit/i.test(http.message) ? 60_000 : undefined;
}

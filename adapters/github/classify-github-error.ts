import { UserError } from "../../core/errors.ts";

/** What an Octokit RequestError carries (duck-typed: @octokit/request-error is not a direct dependency). */
export interface HttpErrorLike {
  status: number;
  message: string;
  request?: { method?: string; url?: string };
  response?: { status: number; headers: Record<string, string | number | undefined>; data?: unknown };
}

export type GitHubErrorKind =
  | "read-only"
  | "unauthorized"
  | "forbidden"
  | "not-found"
  | "invalid"
  | "rate-limited"
  | "network"
  | "server"
  | "other";

export interface ClassifiedGitHubError {
  kind: GitHubErrorKind;
  /** HTTP status, when GitHub answered. */
  status?: number;
  /** One plain sentence for a log or a failed job. */
  message: string;
  /** `METHOD url` of the request that failed, when known. */
  request?: string;
}

export const READ_ONLY_MESSAGE =
  "the token cannot write to this repository (pull requests from forks get a read-only token; " +
  "otherwise grant the workflow `permissions: { pull-requests: write, checks: write }`)";

/** The Octokit HTTP error in `error` or its `cause` chain (adapters wrap errors with context). */
export function httpErrorOf(error: unknown): HttpErrorLike | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const candidate = current as Partial<HttpErrorLike> & { name?: string; cause?: unknown };
    if (candidate.name === "HttpError" && typeof candidate.status === "number")
      return candidate as HttpErrorLike;
    current = candidate.cause;
  }
  return undefined;
}

/** Whether GitHub refused a write because the token may only read (fork pull requests, missing permissions). */
export function isReadOnlyError(error: unknown): boolean {
  return classifyGitHubError(error).kind === "read-only";
}

/** Turns what Octokit threw into a kind and a plain message. */
export function classifyGitHubError(error: unknown): ClassifiedGitHubError {
  const http = httpErrorOf(error);
  if (!http) return { kind: "other", message: error instanceof Error ? error.message : String(error) };
  const method = (http.request?.method ?? "GET").toUpperCase();
  const request = http.request?.url ? `${method} ${http.request.url}` : undefined;
  const base = { status: http.status, ...(request ? { request } : {}) };
  const said = githubMessage(http);
  const response = http.response;
  if (!response) {
    const host = http.request?.url ? new URL(http.request.url).origin : "GitHub";
    return {
      kind: "network",
      ...(request ? { request } : {}),
      message: `could not reach ${host}: ${http.message}`,
    };
  }
  const status = http.status;
  if (status === 401)
    return { kind: "unauthorized", ...base, message: `GitHub rejected the token (401 ${said})` };
  if ((status === 403 || status === 429) && isRateLimited(http))
    return {
      kind: "rate-limited",
      ...base,
      message: `GitHub's rate limit was hit (${status} ${said})${resetsAt(http)}`,
    };
  const write = method !== "GET" && method !== "HEAD";
  if ((status === 403 || status === 404) && write)
    return { kind: "read-only", ...base, message: `${READ_ONLY_MESSAGE} (${status} ${said})` };
  if (status === 403)
    return { kind: "forbidden", ...base, message: `the token may not read this (403 ${said})` };
  if (status === 404)
    return {
      kind: "not-found",
      ...base,
      message: `not found (404): it does not exist, or the token cannot see it${request ? ` [${request}]` : ""}`,
    };
  if (status === 422)
    return { kind: "invalid", ...base, message: `GitHub rejected the request (422 ${said})` };
  if (status >= 500)
    return { kind: "server", ...base, message: `GitHub failed (${status} ${said}); try again later` };
  return { kind: "other", ...base, message: `GitHub answered ${status}: ${said}` };
}

/** A UserError that says what was being done and why GitHub refused, keeping the original as `cause`. */
export function githubUserError(error: unknown, doing: string): UserError {
  return new UserError(`${doing}: ${classifyGitHubError(error).message}`, { cause: error });
}

/** GitHub's own words: `message`, plus each validation error of a 422. */
function githubMessage(http: HttpErrorLike): string {
  const data = http.response?.data as { message?: unknown; errors?: unknown } | string | undefined;
  if (typeof data === "string" && data.trim() !== "") return data.trim();
  if (!data || typeof data !== "object" || typeof data.message !== "string") return http.message;
  const details = Array.isArray(data.errors)
    ? data.errors.map((e) =>
        typeof e === "string" ? e : ((e as { message?: string }).message ?? JSON.stringify(e)),
      )
    : [];
  return details.length > 0 ? `${data.message}: ${details.join("; ")}` : data.message;
}

function isRateLimited(http: HttpErrorLike): boolean {
  const headers = http.response?.headers ?? {};
  return (
    String(headers["x-ratelimit-remaining"]) === "0" ||
    headers["retry-after"] !== undefined ||
    /rate limit/i.test(githubMessage(http))
  );
}

function resetsAt(http: HttpErrorLike): string {
  const reset = Number(http.response?.headers["x-ratelimit-reset"]);
  return Number.isFinite(reset) && reset > 0 ? `; it resets at ${new Date(reset * 1000).toISOString()}` : "";
}

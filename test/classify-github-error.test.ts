import { afterEach, describe, expect, it } from "vitest";
import { classifyGitHubError, isReadOnlyError } from "../adapters/github/classify-github-error.ts";
import { createOctokit } from "../adapters/github/create-octokit.ts";
import { truncateMarkdown } from "../adapters/github/truncate-markdown.ts";
import { githubApi, type HttpMethod, type Reply, resetGitHubApi } from "./helpers/github-api.ts";

afterEach(resetGitHubApi);

const REPO = "/repos/acme/weather";

/** What Octokit throws for one real request (a fitting body for writes) answered by `reply`. */
async function failure(method: HttpMethod, path: string, reply: Reply): Promise<unknown> {
  const body = path.endsWith("/check-runs")
    ? { name: "modelci/metrics", head_sha: "a".repeat(40) }
    : { body: "x" };
  const write = method !== "GET";
  const api = githubApi().expect(method, path, { ...(write ? { body } : {}), reply });
  const octokit = createOctokit({ token: "t", env: {}, retries: 0 });
  const error = await octokit.request(`${method} ${path}`, write ? body : {}).catch((e: unknown) => e);
  api.done();
  return error;
}

describe("classifyGitHubError", () => {
  it("reads a 403 or 404 on a write as a read-only token", async () => {
    const forbidden = await failure("PATCH", `${REPO}/issues/comments/1`, [
      403,
      { message: "Resource not accessible" },
    ]);
    expect(classifyGitHubError(forbidden)).toMatchObject({
      kind: "read-only",
      status: 403,
      request: "PATCH https://api.github.com/repos/acme/weather/issues/comments/1",
    });
    expect(isReadOnlyError(forbidden)).toBe(true);
    const missing = await failure("POST", `${REPO}/issues/1/comments`, [404, { message: "Not Found" }]);
    expect(classifyGitHubError(missing).message).toMatch(/^the token cannot write to this repository/);
  });

  it("reads a 404 on a read as not found, not as read-only", async () => {
    const error = await failure("GET", `${REPO}/issues/1`, [404, { message: "Not Found" }]);
    expect(classifyGitHubError(error).kind).toBe("not-found");
    expect(isReadOnlyError(error)).toBe(false);
  });

  it("names a bad token", async () => {
    const error = await failure("GET", REPO, [401, { message: "Bad credentials" }]);
    expect(classifyGitHubError(error)).toMatchObject({
      kind: "unauthorized",
      message: "GitHub rejected the token (401 Bad credentials)",
    });
  });

  it("passes GitHub's validation message through", async () => {
    const data = {
      message: "Validation Failed",
      errors: [{ resource: "CheckRun", code: "invalid", message: "bad sha" }],
    };
    const error = await failure("POST", `${REPO}/check-runs`, [422, data]);
    expect(classifyGitHubError(error).message).toBe(
      "GitHub rejected the request (422 Validation Failed: bad sha)",
    );
  });

  it("tells a primary rate limit from a read-only token, with the reset time", async () => {
    const headers = { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000000" };
    const error = await failure("POST", `${REPO}/issues/1/comments`, [
      403,
      { message: "API rate limit exceeded" },
      headers,
    ]);
    expect(classifyGitHubError(error)).toMatchObject({ kind: "rate-limited" });
    expect(classifyGitHubError(error).message).toContain("2023-11-14T22:13:20.000Z");
    expect(isReadOnlyError(error)).toBe(false);
  });

  it("reports a network failure without an HTTP status", async () => {
    const error = await failure("GET", REPO, new Error("getaddrinfo ENOTFOUND"));
    expect(classifyGitHubError(error)).toMatchObject({ kind: "network" });
    expect(classifyGitHubError(error).message).toMatch(/^could not reach https:\/\/api\.github\.com: /);
  });

  it("leaves errors that are not GitHub's as they are", () => {
    expect(classifyGitHubError(new TypeError("boom"))).toEqual({ kind: "other", message: "boom" });
    expect(isReadOnlyError("nope")).toBe(false);
  });
});

describe("truncateMarkdown", () => {
  it("returns text within the limit unchanged", () => {
    expect(truncateMarkdown("short", 10)).toBe("short");
  });

  it("cuts at a line boundary and closes an open fence and <details>", () => {
    const text = `<details>\n\n\`\`\`\n${"line\n".repeat(100)}`;
    const cut = truncateMarkdown(text, 200, "(cut)");
    expect(cut.length).toBeLessThanOrEqual(200);
    expect(cut).toMatch(/line\n```\n<\/details>\n\n\(cut\)$/);
  });

  it("never splits a surrogate pair", () => {
    const cut = truncateMarkdown("😀".repeat(100), 51, "…");
    expect(cut.length).toBeLessThanOrEqual(51);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

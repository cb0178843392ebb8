import { afterEach, describe, expect, it } from "vitest";
import { isReadOnlyError } from "../adapters/github/classify-github-error.ts";
import { createOctokit } from "../adapters/github/create-octokit.ts";
import { findStickyComment, stickyMarker } from "../adapters/github/find-sticky-comment.ts";
import { upsertCheckRun } from "../adapters/github/upsert-check-run.ts";
import { stickyCommentBody, upsertStickyComment } from "../adapters/github/upsert-sticky-comment.ts";
import { UserError } from "../core/errors.ts";
import { githubApi, resetGitHubApi } from "./helpers/github-api.ts";

afterEach(resetGitHubApi);

const octokit = (baseUrl?: string) =>
  createOctokit({ token: "test-token", retryDelayMs: () => 0, env: {}, ...(baseUrl ? { baseUrl } : {}) });
const COMMENTS = "/repos/acme/weather/issues/12/comments";
const target = { owner: "acme", repo: "weather", issueNumber: 12, key: "metrics" };
const marker = stickyMarker("metrics");
const comment = (id: number, body: string) => ({ id, body, user: { login: "github-actions[bot]" } });
const others = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => comment(from + i, `looks good ${from + i}`));

describe("sticky comment", () => {
  it("finds the marker on page 3 of 3, following the Link headers", async () => {
    const api = githubApi();
    const page = (n: number) => api.url(COMMENTS, { per_page: 100, page: n });
    const link = api.link({ next: page(2), last: page(3) });
    api
      .expect("GET", COMMENTS, { query: { per_page: 100 }, reply: [200, others(1, 100), { link }] })
      .expect("GET", COMMENTS, {
        query: { per_page: 100, page: 2 },
        reply: [200, others(101, 100), { link: api.link({ prev: page(1), next: page(3), last: page(3) }) }],
      })
      .expect("GET", COMMENTS, {
        query: { per_page: 100, page: 3 },
        reply: [
          200,
          [comment(201, "hi"), comment(202, `old\n${marker}`)],
          { link: api.link({ prev: page(2) }) },
        ],
      });
    expect(await findStickyComment(octokit(), target)).toEqual({ id: 202, body: `old\n${marker}` });
    api.done();
  });

  it("prefers the newest of several marked comments, and ignores other keys' markers", async () => {
    const body = (text: string, key = "metrics") => `${text}\n${stickyMarker(key)}`;
    const api = githubApi().expect("GET", COMMENTS, {
      query: { per_page: 100 },
      reply: [
        200,
        [comment(5, body("first")), comment(9, body("second")), comment(11, body("drift", "drift"))],
      ],
    });
    expect(await findStickyComment(octokit(), target)).toEqual({ id: 9, body: body("second") });
    api.done();
  });

  it("creates the comment when none exists, then updates it in place: a second run adds no comment", async () => {
    const first = stickyCommentBody("## Metrics\nf1 0.71", "metrics");
    const second = stickyCommentBody("## Metrics\nf1 0.74", "metrics");
    expect(first).toBe(`## Metrics\nf1 0.71\n\n${marker}`);
    const api = githubApi()
      .expect("GET", COMMENTS, { query: { per_page: 100 }, reply: [200, others(1, 3)] })
      .expect("POST", COMMENTS, { body: { body: first }, reply: [201, comment(40, first)] })
      .expect("GET", COMMENTS, {
        query: { per_page: 100 },
        reply: [200, [...others(1, 3), comment(40, first)]],
      })
      .expect("PATCH", "/repos/acme/weather/issues/comments/40", {
        body: { body: second },
        reply: [200, comment(40, second)],
      });
    const client = octokit();
    expect(await upsertStickyComment(client, { ...target, body: "## Metrics\nf1 0.71" })).toEqual({
      id: 40,
      action: "created",
    });
    expect(await upsertStickyComment(client, { ...target, body: "## Metrics\nf1 0.74" })).toEqual({
      id: 40,
      action: "updated",
    });
    api.done();
  });

  it("writes nothing when the body is unchanged (GitHub's CRLF line endings included)", async () => {
    const stored = stickyCommentBody("## Metrics\nsame", "metrics").replaceAll("\n", "\r\n");
    const api = githubApi().expect("GET", COMMENTS, {
      query: { per_page: 100 },
      reply: [200, [comment(7, stored)]],
    });
    expect(await upsertStickyComment(octokit(), { ...target, body: "## Metrics\nsame" })).toEqual({
      id: 7,
      action: "unchanged",
    });
    api.done();
  });

  it("keeps the comment under GitHub's 65,536 characters, marker included", () => {
    const body = stickyCommentBody(`| metric | value |\n${"| f1 | 0.7 |\n".repeat(10_000)}`, "metrics");
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.endsWith(marker)).toBe(true);
    expect(body).toContain("truncated");
  });

  it("explains a 403 on create as a read-only token (fork pull requests)", async () => {
    const api = githubApi()
      .expect("GET", COMMENTS, { query: { per_page: 100 }, reply: [200, []] })
      .expect("POST", COMMENTS, {
        body: () => true,
        reply: [403, { message: "Resource not accessible by integration", status: "403" }],
      });
    const error = await upsertStickyComment(octokit(), { ...target, body: "report" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(
      /^cannot comment on acme\/weather#12: the token cannot write to this repository \(pull requests from forks get a read-only token/,
    );
    expect((error as Error).message).toContain("Resource not accessible by integration");
    expect(isReadOnlyError(error)).toBe(true);
    api.done();
  });

  it("rejects a key that could break out of the HTML comment", () => {
    expect(() => stickyMarker("a --> b")).toThrow(UserError);
  });
});

describe("retries", () => {
  it("retries a 502 and succeeds", async () => {
    const api = githubApi()
      .expect("GET", COMMENTS, { query: { per_page: 100 }, reply: [502, { message: "Server Error" }] })
      .expect("GET", COMMENTS, { query: { per_page: 100 }, reply: [200, [comment(3, marker)]] });
    expect(await findStickyComment(octokit(), target)).toEqual({ id: 3, body: marker });
    api.done();
  });

  it("retries a secondary rate limit, honouring Retry-After through the delay function", async () => {
    const waits: (number | undefined)[] = [];
    const client = createOctokit({
      token: "t",
      env: {},
      retryDelayMs: (_, after) => {
        waits.push(after);
        return 0;
      },
    });
    const limited = { message: "You have exceeded a secondary rate limit. Please wait a few minutes." };
    const api = githubApi()
      .expect("GET", COMMENTS, { query: { per_page: 100 }, reply: [403, limited, { "retry-after": "7" }] })
      .expect("GET", COMMENTS, { query: { per_page: 100 }, reply: [200, []] });
    expect(await findStickyComment(client, target)).toBeUndefined();
    expect(waits).toEqual([7000]);
    api.done();
  });

  it("gives up after 3 retries of a network failure, saying GitHub could not be reached", async () => {
    const api = githubApi().expect("GET", COMMENTS, {
      query: { per_page: 100 },
      reply: new Error("socket hang up"),
      times: 4,
    });
    await expect(findStickyComment(octokit(), target)).rejects.toThrow(
      /cannot read the comments of acme\/weather#12: could not reach https:\/\/api\.github\.com/,
    );
    api.done();
  });

  it("does not retry a 422", async () => {
    const api = githubApi()
      .expect("GET", COMMENTS, { query: { per_page: 100 }, reply: [200, []] })
      .expect("POST", COMMENTS, {
        body: () => true,
        reply: [422, { message: "Validation Failed", errors: [{ message: "body is too long" }] }],
      });
    await expect(upsertStickyComment(octokit(), { ...target, body: "x" })).rejects.toThrow(
      /GitHub rejected the request \(422 Validation Failed: body is too long\)/,
    );
    api.done();
  });
});

describe("check run", () => {
  const SHA = "0123456789abcdef0123456789abcdef01234567";
  const LIST = `/repos/acme/weather/commits/${SHA}/check-runs`;
  const query = { check_name: "modelci/metrics", per_page: 100 };
  const report = {
    owner: "acme",
    repo: "weather",
    name: "modelci/metrics",
    headSha: SHA,
    conclusion: "failure" as const,
    title: "1 gate failed",
    summary: "f1_macro 0.68 < 0.70",
  };
  const output = { title: report.title, summary: report.summary };

  it("creates the check run when the commit has none", async () => {
    const api = githubApi()
      .expect("GET", LIST, { query, reply: [200, { total_count: 0, check_runs: [] }] })
      .expect("POST", "/repos/acme/weather/check-runs", {
        body: { name: report.name, head_sha: SHA, status: "completed", conclusion: "failure", output },
        reply: [201, { id: 99, html_url: "https://github.com/acme/weather/runs/99" }],
      });
    expect(await upsertCheckRun(octokit(), report)).toEqual({
      id: 99,
      action: "created",
      url: "https://github.com/acme/weather/runs/99",
    });
    api.done();
  });

  it("updates the newest check run of that name on a re-run", async () => {
    const runs = [
      { id: 5, name: "modelci/metrics" },
      { id: 8, name: "modelci/metrics" },
    ];
    const api = githubApi()
      .expect("GET", LIST, { query, reply: [200, { total_count: 2, check_runs: runs }] })
      .expect("PATCH", "/repos/acme/weather/check-runs/8", {
        body: { status: "completed", conclusion: "success", output, details_url: "https://ci.example/1" },
        reply: [200, { id: 8, html_url: null }],
      });
    const result = await upsertCheckRun(octokit(), {
      ...report,
      conclusion: "success",
      detailsUrl: "https://ci.example/1",
    });
    expect(result).toEqual({ id: 8, action: "updated", url: undefined });
    api.done();
  });

  it("cuts the summary and text safely to GitHub's 65,535 characters", async () => {
    const table = `<details><summary>all runs</summary>\n\n\`\`\`\n${"run 0.7\n".repeat(20_000)}`;
    const sent: { output: { summary: string; text: string } }[] = [];
    const api = githubApi()
      .expect("GET", LIST, { query, reply: [200, { total_count: 0, check_runs: [] }] })
      .expect("POST", "/repos/acme/weather/check-runs", {
        body: (body: { output: { summary: string; text: string } }) => sent.push(body) > 0,
        reply: [201, { id: 1, html_url: "https://github.com/acme/weather/runs/1" }],
      });
    await upsertCheckRun(octokit(), { ...report, summary: table, text: table });
    api.done(); // the helper also checked the body against the description's maxLength
    const { summary, text } = sent[0]?.output ?? { summary: "", text: "" };
    expect(summary.length).toBeLessThanOrEqual(65_535);
    expect(summary.length).toBeGreaterThan(65_000);
    expect(summary).toMatch(/run 0\.7\n```\n<\/details>\n\n_… truncated/);
    expect(text).toBe(summary);
  });

  it("works against a GitHub Enterprise Server base URL from GITHUB_API_URL", async () => {
    const ghes = "http://127.0.0.1:8443/api/v3";
    const api = githubApi(ghes)
      .expect("GET", LIST, { query, reply: [200, { total_count: 0, check_runs: [] }] })
      .expect("POST", "/repos/acme/weather/check-runs", { body: () => true, reply: [201, { id: 2 }] });
    const client = createOctokit({ token: "t", env: { GITHUB_API_URL: ghes }, retryDelayMs: () => 0 });
    expect(await upsertCheckRun(client, report)).toMatchObject({ id: 2, action: "created" });
    api.done();
  });
});

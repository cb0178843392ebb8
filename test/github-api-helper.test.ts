import { afterEach, describe, expect, it } from "vitest";
import { githubApi, resetGitHubApi } from "./helpers/github-api.ts";

afterEach(resetGitHubApi);

const GHES = "http://127.0.0.1:8080/api/v3";

describe("githubApi: requests are checked against GitHub's OpenAPI description", () => {
  it("rejects an endpoint GitHub does not have, naming the closest one", () => {
    const api = githubApi();
    expect(() =>
      api.expect("POST", "/repos/o/r/issues/1/commentz", { body: { body: "hi" }, reply: [201, {}] }),
    ).toThrow(
      /no such endpoint; did you mean POST \/repos\/\{owner\}\/\{repo\}\/issues\/\{issue_number\}\/comments\?/,
    );
  });

  it("rejects a method the endpoint does not take", () => {
    expect(() =>
      githubApi().expect("PUT", "/repos/o/r/issues/1/comments", { body: { body: "hi" }, reply: [200, {}] }),
    ).toThrow(
      /GitHub has \/repos\/\{owner\}\/\{repo\}\/issues\/\{issue_number\}\/comments for GET, POST only/,
    );
  });

  it("rejects a path parameter of the wrong type", () => {
    expect(() => githubApi().expect("GET", "/repos/o/r/issues/abc/comments", { reply: [200, []] })).toThrow(
      /no such endpoint/,
    );
  });

  it("rejects a check run without its required name and head_sha", () => {
    const api = githubApi();
    const call = () =>
      api.expect("POST", "/repos/o/r/check-runs", {
        body: { status: "completed", conclusion: "success" },
        reply: [201, { id: 1 }],
      });
    expect(call).toThrow(/checks\/create/);
    expect(call).toThrow(/body\.name: required field missing/);
    expect(call).toThrow(/body\.head_sha: required field missing/);
  });

  it("rejects a body field GitHub does not know", () => {
    expect(() =>
      githubApi().expect("POST", "/repos/o/r/issues/1/comments", {
        body: { body: "hi", sticky: true },
        reply: [201, { id: 1 }],
      }),
    ).toThrow(/body\.sticky: unknown field \(known: body\)/);
  });

  it("rejects nested mistakes: an enum value, an over-long summary, an unknown output field", () => {
    const check = (body: unknown) => () =>
      githubApi().expect("POST", "/repos/o/r/check-runs", { body, reply: [201, { id: 1 }] });
    const base = { name: "modelci/metrics", head_sha: "a".repeat(40) };
    expect(check({ ...base, conclusion: "passed" })).toThrow(/body\.conclusion: "passed" is not one of/);
    expect(check({ ...base, output: { title: "t", summary: "x".repeat(65_536) } })).toThrow(
      /body\.output\.summary: 65536 characters, over the limit of 65535/,
    );
    expect(check({ ...base, output: { title: "t", summary: "s", colour: "red" } })).toThrow(
      /body\.output\.colour: unknown field/,
    );
  });

  it("applies anyOf branches: completing a check run needs a conclusion", () => {
    const update = (body: unknown) => () =>
      githubApi().expect("PATCH", "/repos/o/r/check-runs/5", { body, reply: [200, { id: 5 }] });
    expect(update({ status: "completed" })).toThrow(/body\.conclusion: required field missing/);
    expect(update({ status: "completed", conclusion: "success" })).not.toThrow();
  });

  it("rejects unknown and missing query parameters", () => {
    expect(() =>
      githubApi().expect("GET", "/repos/o/r/issues/1/comments", {
        query: { per_page: 100, pagesize: 3 },
        reply: [200, []],
      }),
    ).toThrow(/query\.pagesize: not a parameter of issues\/list-comments/);
    expect(() =>
      githubApi().expect("GET", "/repos/o/r/commits/abc/check-runs", {
        query: { filter: "newest" },
        reply: [200, {}],
      }),
    ).toThrow(/query\.filter: "newest" is not one of latest, all/);
    expect(() =>
      githubApi().expect("GET", "/search/issues", { query: { per_page: 1 }, reply: [200, {}] }),
    ).toThrow(/query\.q: required by search\/issues-and-pull-requests/);
  });

  it("accepts real requests and answers them", async () => {
    const api = githubApi()
      .expect("GET", "/repos/o/r/issues/1/comments", {
        query: { per_page: 100 },
        reply: [200, [{ id: 1, body: "hi" }]],
      })
      .expect("POST", "/repos/o/r/issues/1/comments", { body: { body: "hi" }, reply: [201, { id: 2 }] })
      .expect("GET", "/repos/o/r/contents/docs/guide/readme.md", {
        query: { ref: "main" },
        reply: [200, {}],
      });
    const list = await fetch(api.url("/repos/o/r/issues/1/comments", { per_page: 100 }));
    expect(await list.json()).toEqual([{ id: 1, body: "hi" }]);
    const created = await fetch(api.url("/repos/o/r/issues/1/comments"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ body: "hi" }),
    });
    expect(created.status).toBe(201);
    await fetch(api.url("/repos/o/r/contents/docs/guide/readme.md", { ref: "main" }));
    api.done();
  });

  it("works under a GitHub Enterprise Server base URL", async () => {
    const api = githubApi(GHES).expect("PATCH", "/repos/o/r/issues/comments/7", {
      body: { body: "new" },
      reply: [200, { id: 7, body: "new" }],
    });
    expect(api.url("/repos/o/r")).toBe(`${GHES}/repos/o/r`);
    const response = await fetch(`${GHES}/repos/o/r/issues/comments/7`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ body: "new" }),
    });
    expect(await response.json()).toEqual({ id: 7, body: "new" });
    api.done();
    expect(() => githubApi(GHES).expect("GET", "/repos/o/r/nope", { reply: [200, {}] })).toThrow(
      /no such endpoint/,
    );
  });

  it("checks bodies the code actually sent when the expectation used a predicate", async () => {
    const api = githubApi().expect("POST", "/repos/o/r/check-runs", {
      body: () => true,
      reply: [201, { id: 1 }],
    });
    const response = await fetch(api.url("/repos/o/r/check-runs"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "x" }),
    });
    expect(response.status).toBe(422);
    expect(() => api.done()).toThrow(/body\.head_sha: required field missing/);
  });

  it("done() fails on an expectation never met and on an unexpected request", async () => {
    const api = githubApi().expect("GET", "/repos/o/r", { reply: [200, {}] });
    expect(() => api.done()).toThrow(
      /expected request not made: GET https:\/\/api\.github\.com:443\/repos\/o\/r/,
    );
    resetGitHubApi();
    const other = githubApi().expect("GET", "/repos/o/r", { reply: [200, {}] });
    const response = await fetch(other.url("/repos/o/other"));
    expect(response.status).toBe(501);
    expect(() => other.done()).toThrow(/unexpected request GET https:\/\/api\.github\.com\/repos\/o\/other/);
  });

  it("keeps the network closed", async () => {
    await expect(fetch("https://example.com/")).rejects.toThrow();
  });

  it("formats Link headers the way GitHub does", () => {
    const api = githubApi();
    expect(api.link({ next: api.url("/x", { page: 2 }), last: api.url("/x", { page: 3 }) })).toBe(
      '<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=3>; rel="last"',
    );
  });
});

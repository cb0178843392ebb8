import { createHash } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { createArtifactStore, fetchArtifact } from "../adapters/stores/create-artifact-store.ts";
import { githubReleaseStore } from "../adapters/stores/github-release-store.ts";
import { localArtifactPath, localStore } from "../adapters/stores/local-store.ts";
import { parseRemoteUrl } from "../adapters/stores/resolve-github-repository.ts";
import { UserError } from "../core/errors.ts";
import { ArtifactSlotTakenError } from "../core/registry/artifact-store.ts";
import { parseArtifactUri } from "../core/registry/artifact-uri.ts";
import { githubApi, resetGitHubApi } from "./helpers/github-api.ts";
import { findOperation } from "./helpers/github-openapi.ts";
import { REPO_ROOT } from "./helpers/temp-repo.ts";

afterEach(resetGitHubApi);

const MODEL = join(REPO_ROOT, "test/fixtures/models/weather.onnx");
const OTHER = join(REPO_ROOT, "test/fixtures/models/weather-temp-max.onnx");
const BYTES = readFileSync(MODEL);
const SHA = createHash("sha256").update(BYTES).digest("hex");
const OTHER_SHA = createHash("sha256").update(readFileSync(OTHER)).digest("hex");
const target = { model: "weather", version: 3 };

async function refusal(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a refusal");
}

describe("local store", () => {
  it("stores content-addressed, read-only, atomically; storing again is harmless", async () => {
    const folder = mkdtempSync(join(tmpdir(), "modelci-store-"));
    const store = localStore(folder);
    const stored = await store.put(MODEL, target);
    expect(stored).toEqual({ uri: `local:sha256:${SHA}`, sha256: SHA, size: BYTES.length });
    const path = localArtifactPath(folder, SHA);
    expect(path).toBe(join(folder, "sha256", SHA.slice(0, 2), SHA));
    expect(readFileSync(path)).toEqual(BYTES);
    expect(statSync(path).mode & 0o222).toBe(0);
    expect(await store.put(MODEL, { model: "weather", version: 4 })).toEqual(stored);
    expect(await store.get(stored.uri, SHA)).toBe(path);
    expect(await store.get(`local:${SHA}`, SHA)).toBe(path);
  });

  it("refuses tampered bytes naming both digests, a URI for other bytes, and a missing artifact", async () => {
    const folder = mkdtempSync(join(tmpdir(), "modelci-store-"));
    const store = localStore(folder);
    const { uri } = await store.put(MODEL, target);
    const path = localArtifactPath(folder, SHA);
    chmodSync(path, 0o644);
    writeFileSync(path, Buffer.concat([BYTES, Buffer.from([0])]));
    const tampered = await refusal(store.get(uri, SHA));
    expect(tampered).toBeInstanceOf(UserError);
    expect(tampered.message).toMatch(
      new RegExp(`^artifact ${uri} is corrupt or was replaced: expected sha256 ${SHA}, found [a-f0-9]{64} `),
    );
    expect((await refusal(store.get(uri, OTHER_SHA))).message).toContain(
      `but the version file expects ${OTHER_SHA}`,
    );
    expect((await refusal(store.get(`local:sha256:${OTHER_SHA}`, OTHER_SHA))).message).toMatch(
      /is not in the local store/,
    );
    expect((await refusal(store.put(join(folder, "nope.onnx"), target))).message).toMatch(
      /no such artifact file/,
    );
  });

  it("is what the registry builds for `local`, with artifacts.path relative to the repository", async () => {
    const dir = mkdtempSync(join(tmpdir(), "modelci-store-"));
    const context = { dir, config: { artifacts: { store: "local" as const, path: "store" } }, env: {} };
    const store = await createArtifactStore("local", context);
    const stored = await store.put(MODEL, target);
    expect(await fetchArtifact(stored, context)).toBe(join(dir, "store/sha256", SHA.slice(0, 2), SHA));
  });
});

describe("artifact URIs", () => {
  it("parses both kinds and explains others", () => {
    expect(parseArtifactUri("release:weather@v3/model.onnx")).toEqual({
      kind: "github-release",
      tag: "weather@v3",
      model: "weather",
      version: 3,
      file: "model.onnx",
    });
    expect(() => parseArtifactUri("s3://bucket/x")).toThrow(/unknown artifact URI "s3:\/\/bucket\/x"/);
    expect(parseRemoteUrl("git@github.com:acme/weather.git")).toEqual({ owner: "acme", repo: "weather" });
    expect(parseRemoteUrl("https://ghe.example.com/acme/weather")).toEqual({
      owner: "acme",
      repo: "weather",
    });
  });
});

describe("github-release store", () => {
  const RELEASE = "/repos/acme/weather/releases";
  const TAG = `${RELEASE}/tags/weather%40v3`;
  const cache = () => mkdtempSync(join(tmpdir(), "modelci-cache-"));
  const release = (uploads: string, assets: unknown[] = []) => ({
    id: 17,
    tag_name: "weather@v3",
    upload_url: `${uploads}/repos/acme/weather/releases/17/assets{?name,label}`,
    assets,
  });

  /** The upload endpoint is not api.github.com's, so it is mocked directly; its route is still GitHub's. */
  function expectUpload(origin: string, path: string, reply: unknown) {
    const operation = findOperation("POST", "/repos/acme/weather/releases/17/assets");
    expect("problem" in operation ? operation.problem : operation.operationId).toBe(
      "repos/upload-release-asset",
    );
    let body: Buffer | undefined;
    let query: Record<string, string> | undefined;
    const scope = nock(origin)
      .matchHeader("content-type", "application/octet-stream")
      .post(path, (sent) => {
        body = Buffer.isBuffer(sent) ? sent : Buffer.from(String(sent), "hex");
        return true;
      })
      .query((q) => {
        query = q as Record<string, string>;
        return true;
      })
      .reply(201, reply as nock.Body);
    return { scope, sent: () => ({ body, query }) };
  }

  it("creates the release on tag MODEL@vN, uploads to its upload_url, and downloads verified bytes", async () => {
    const api = githubApi()
      .expect("GET", TAG, { reply: [404, { message: "Not Found" }] })
      .expect("POST", RELEASE, {
        body: {
          tag_name: "weather@v3",
          name: "weather v3",
          body: "Model weather, version 3, registered by modelci. See models/weather/versions/3.yaml.",
          make_latest: "false",
        },
        reply: [201, release("https://uploads.github.com")],
      })
      .expect("GET", TAG, {
        reply: [200, release("https://uploads.github.com", [{ id: 99, name: "weather.onnx" }])],
      })
      .expect("GET", "/repos/acme/weather/releases/assets/99", {
        reply: [302, "", { location: "https://objects.githubusercontent.com/release-asset/99" }],
      });
    const upload = expectUpload("https://uploads.github.com", "/repos/acme/weather/releases/17/assets", {
      id: 99,
      name: "weather.onnx",
    });
    const objects = nock("https://objects.githubusercontent.com").get("/release-asset/99").reply(200, BYTES);
    const folder = cache();
    const store = githubReleaseStore({ owner: "acme", repo: "weather", token: "t", cacheFolder: folder });
    const stored = await store.put(MODEL, target);
    expect(stored).toEqual({ uri: "release:weather@v3/weather.onnx", sha256: SHA, size: BYTES.length });
    expect(upload.sent().body?.equals(BYTES)).toBe(true);
    expect(upload.sent().query?.name).toBe("weather.onnx");
    const path = await store.get(stored.uri, SHA);
    expect(readFileSync(path)).toEqual(BYTES);
    // A second read is served from the verified cache, with no request.
    expect(await store.get(stored.uri, SHA)).toBe(path);
    api.done();
    expect(upload.scope.isDone()).toBe(true);
    expect(objects.isDone()).toBe(true);
  });

  it("works against GitHub Enterprise Server: API base URL and its own upload URL", async () => {
    const base = "https://ghe.example.com/api/v3";
    const api = githubApi(base).expect("GET", TAG, {
      reply: [200, release("https://ghe.example.com/api/uploads")],
    });
    const upload = expectUpload(
      "https://ghe.example.com",
      "/api/uploads/repos/acme/weather/releases/17/assets",
      {
        id: 5,
        name: "weather.onnx",
      },
    );
    const store = await createArtifactStore("github-release", {
      dir: cache(),
      config: { artifacts: { store: "github-release", path: ".modelci/artifacts" } },
      env: { GITHUB_TOKEN: "t", GITHUB_API_URL: base, GITHUB_REPOSITORY: "acme/weather" },
    });
    expect((await store.put(MODEL, target)).uri).toBe("release:weather@v3/weather.onnx");
    api.done();
    expect(upload.scope.isDone()).toBe(true);
  });

  it("reuses an asset with the same digest, and reports a slot taken by other bytes", async () => {
    const same = [{ id: 1, name: "weather.onnx", digest: `sha256:${SHA}` }];
    const other = [{ id: 1, name: "weather.onnx", digest: `sha256:${OTHER_SHA}` }];
    const api = githubApi()
      .expect("GET", TAG, { reply: [200, release("https://uploads.github.com", same)] })
      .expect("GET", TAG, { reply: [200, release("https://uploads.github.com", other)] });
    const store = githubReleaseStore({ owner: "acme", repo: "weather", token: "t", cacheFolder: cache() });
    expect((await store.put(MODEL, target)).sha256).toBe(SHA);
    const taken = await refusal(store.put(MODEL, target));
    expect(taken).toBeInstanceOf(ArtifactSlotTakenError);
    expect(taken.message).toBe(
      `release weather@v3 already has weather.onnx with sha256 ${OTHER_SHA}, not ${SHA}`,
    );
    api.done();
  });

  it("refuses a downloaded asset whose sha256 differs, and keeps nothing of it", async () => {
    const api = githubApi()
      .expect("GET", TAG, {
        reply: [200, release("https://uploads.github.com", [{ id: 7, name: "weather.onnx" }])],
      })
      .expect("GET", "/repos/acme/weather/releases/assets/7", { reply: [200, "not the model"] });
    const folder = cache();
    const store = githubReleaseStore({ owner: "acme", repo: "weather", token: "t", cacheFolder: folder });
    const error = await refusal(store.get("release:weather@v3/weather.onnx", SHA));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(
      new RegExp(
        `^artifact release:weather@v3/weather.onnx is corrupt or was replaced: expected sha256 ${SHA}, found `,
      ),
    );
    expect(() => statSync(localArtifactPath(folder, SHA))).toThrow();
    api.done();
  });

  it("explains a missing token, release and asset, and GitHub's refusals, in one line", async () => {
    const context = {
      dir: cache(),
      config: { artifacts: { store: "github-release" as const, path: "a" } },
      env: { GITHUB_REPOSITORY: "acme/weather" },
    };
    expect((await refusal(createArtifactStore("github-release", context))).message).toMatch(
      /needs GITHUB_TOKEN/,
    );
    const api = githubApi()
      .expect("GET", TAG, { reply: [404, { message: "Not Found" }] })
      .expect("GET", TAG, { reply: [200, release("https://uploads.github.com")] })
      .expect("GET", TAG, { reply: [404, { message: "Not Found" }] })
      .expect("POST", RELEASE, {
        body: () => true,
        reply: [403, { message: "Resource not accessible by integration" }],
      });
    const store = githubReleaseStore({ owner: "acme", repo: "weather", token: "t", cacheFolder: cache() });
    expect((await refusal(store.get("release:weather@v3/weather.onnx", SHA))).message).toBe(
      "artifact release:weather@v3/weather.onnx: acme/weather has no release weather@v3",
    );
    expect((await refusal(store.get("release:weather@v3/weather.onnx", SHA))).message).toBe(
      "artifact release:weather@v3/weather.onnx: release weather@v3 of acme/weather has no asset weather.onnx",
    );
    const refused = await refusal(store.put(MODEL, target));
    expect(refused).toBeInstanceOf(UserError);
    expect(refused.message).toMatch(/^creating release weather@v3 in acme\/weather: .*403/);
    expect(refused.message).not.toContain("\n");
    api.done();
  });
});

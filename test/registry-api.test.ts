import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { digestDataPath } from "../adapters/files/hash-file.ts";
import { registerRun } from "../adapters/pipeline/register-run.ts";
import { localStore } from "../adapters/stores/local-store.ts";
import { ArtifactSlotTakenError, type ArtifactStore } from "../core/registry/artifact-store.ts";
import { githubApi, resetGitHubApi } from "./helpers/github-api.ts";
import { editFile, runCli } from "./helpers/temp-repo.ts";
import { copyRepo, RUNS, readManifest, runIds, trainWeather } from "./helpers/trained-weather.ts";

afterEach(resetGitHubApi);

let trained = "";
beforeAll(() => {
  trained = trainWeather();
}, 120_000);

describe("registerRun (what npm start and the Actions call)", () => {
  it("gives concurrent registrations in one process distinct numbers", async () => {
    const dir = copyRepo(trained);
    const ids = runIds(dir).slice(0, 3);
    const registered = await Promise.all(
      ids.map((id) => registerRun({ dir, model: "weather", run: join(dir, RUNS, id) })),
    );
    expect(registered.map((r) => r.version).sort()).toEqual([1, 2, 3]);
    for (const r of registered) expect(r.value["run-id"]).toBe(r.run.runId);
    expect(runCli(["validate", "--root", dir]).code).toBe(0);
  });

  it("moves to the next number when the store's place for a version holds other bytes", async () => {
    const dir = copyRepo(trained);
    const local = localStore(join(dir, ".modelci/artifacts"));
    const store: ArtifactStore = {
      ...local,
      async put(file, target) {
        if (target.version === 1)
          throw new ArtifactSlotTakenError(target, "release weather@v1 already has model.onnx");
        return local.put(file, target);
      },
    };
    const warnings: string[] = [];
    const [id = ""] = runIds(dir);
    const registered = await registerRun({
      dir,
      model: "weather",
      run: join(dir, RUNS, id),
      store,
      warn: (m) => warnings.push(m),
      now: () => new Date("2026-03-03T10:00:00.123Z"),
    });
    expect(registered).toMatchObject({
      version: 2,
      file: "models/weather/versions/2.yaml",
      metricsFrom: "evaluation",
    });
    expect(registered.value.created).toBe("2026-03-03T10:00:00Z");
    expect(warnings).toEqual(["release weather@v1 already has model.onnx; trying version 2"]);
  });

  it("stores the artifact as a GitHub release asset with --store release", async () => {
    const dir = copyRepo(trained);
    const [id = ""] = runIds(dir);
    const manifest = readManifest(dir, id);
    const model = readFileSync(join(dir, RUNS, id, "outputs/out/model.onnx"));
    const api = githubApi()
      .expect("GET", "/repos/acme/weather/releases/tags/weather%40v1", {
        reply: [404, { message: "Not Found" }],
      })
      .expect("POST", "/repos/acme/weather/releases", {
        body: (body: unknown) => (body as { tag_name: string }).tag_name === "weather@v1",
        reply: [
          201,
          {
            id: 3,
            upload_url: "https://uploads.github.com/repos/acme/weather/releases/3/assets{?name,label}",
            assets: [],
          },
        ],
      });
    api.expect("GET", "/repos/acme/weather/releases/tags/weather%40v1", {
      // the reference profile goes to the same release, beside the model
      reply: [
        200,
        {
          id: 3,
          upload_url: "https://uploads.github.com/repos/acme/weather/releases/3/assets{?name,label}",
          assets: [{ id: 8, name: "model.onnx" }],
        },
      ],
    });
    let uploaded: Buffer | undefined;
    let profile: unknown;
    const uploads = nock("https://uploads.github.com")
      .post("/repos/acme/weather/releases/3/assets", (body) => {
        uploaded = Buffer.from(String(body), "hex");
        return true;
      })
      .query((query) => query.name === "model.onnx")
      .reply(201, { id: 8, name: "model.onnx" })
      .post("/repos/acme/weather/releases/3/assets", (body) => {
        // nock hands over a body that reads as JSON already parsed
        profile = typeof body === "string" ? JSON.parse(Buffer.from(body, "hex").toString("utf8")) : body;
        return true;
      })
      .query((query) => query.name === "reference-profile.json")
      .reply(201, { id: 9, name: "reference-profile.json" });
    const registered = await registerRun({
      dir,
      model: "weather",
      run: `weather-logreg/${id}`,
      storeKind: "github-release",
      env: { GITHUB_TOKEN: "t", GITHUB_REPOSITORY: "acme/weather", GITHUB_API_URL: "https://api.github.com" },
    });
    expect(registered.value.artifact).toEqual({
      uri: "release:weather@v1/model.onnx",
      sha256: manifest.outputs.model?.sha256,
      size: model.length,
      format: "onnx",
    });
    expect(uploaded?.equals(model)).toBe(true);
    expect(registered.value.reference?.uri).toBe("release:weather@v1/reference-profile.json");
    expect((profile as { format: string }).format).toBe("modelci-reference-profile/1");
    api.done();
    expect(uploads.isDone()).toBe(true);
    expect(runCli(["validate", "--root", dir]).code).toBe(0);
  });

  it("profiles the data the run recorded: every file of a folder, or nothing for a non-table", async () => {
    const dir = copyRepo(trained);
    const [a = "", b = "", c = ""] = runIds(dir);
    const single = await registerRun({ dir, model: "weather", run: join(dir, RUNS, a) });
    const [header = "", ...rows] = readFileSync(join(dir, "data/train.csv"), "utf8").trimEnd().split("\n");
    mkdirSync(join(dir, "data/parts"));
    writeFileSync(join(dir, "data/parts/1.csv"), `${[header, ...rows.slice(0, 300)].join("\n")}\n`);
    writeFileSync(join(dir, "data/parts/2.csv"), `${[header, ...rows.slice(300)].join("\n")}\n`);
    writeFileSync(join(dir, "data/notes.txt"), "not a table\n");
    /** Makes the run's manifest record `path` as its training data, as `modelci train` would have. */
    const record = async (id: string, path: string) => {
      const digest = await digestDataPath(dir, path);
      editFile(join(dir, RUNS, id, "manifest.json"), (text) =>
        JSON.stringify({ ...JSON.parse(text), data: { ...JSON.parse(text).data, train: digest } }),
      );
    };
    await record(b, "data/parts");
    const parts = await registerRun({ dir, model: "weather", run: join(dir, RUNS, b) });
    expect(parts.value.profile).toEqual(single.value.profile);
    expect(parts.value.data.train?.path).toBe("data/parts");
    await record(c, "data/notes.txt");
    const warnings: string[] = [];
    const none = await registerRun({
      dir,
      model: "weather",
      run: join(dir, RUNS, c),
      warn: (m) => warnings.push(m),
    });
    expect(none.value.profile).toBeUndefined();
    expect(warnings).toEqual([
      "data/notes.txt is not a table modelci can profile (CSV, JSON Lines or Parquet), so the version gets no reference profile",
    ]);
    expect(runCli(["validate", "--root", dir]).code).toBe(0);
  });
});

import { spawn } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { publishNewFile } from "../adapters/files/publish-new-file.ts";
import { readModelInfo } from "../adapters/onnx/read-model-info.ts";
import { fetchArtifact } from "../adapters/stores/create-artifact-store.ts";
import { localArtifactPath } from "../adapters/stores/local-store.ts";
import { parseDeclaration } from "../core/declarations/parse-declaration.ts";
import { versionSchema } from "../schemas/version.ts";
import { CLI, editFile, git, runCli, STACK_TRACE } from "./helpers/temp-repo.ts";
import {
  copyRepo,
  RUNS,
  readEvaluation,
  readManifest,
  runIds,
  trainWeather,
} from "./helpers/trained-weather.ts";

let trained = "";
beforeAll(() => {
  trained = trainWeather();
}, 120_000);

const versionFile = (dir: string, n: number) => join(dir, "models/weather/versions", `${n}.yaml`);
const readVersion = (dir: string, n: number) => {
  const parsed = parseDeclaration("version", `${n}.yaml`, readFileSync(versionFile(dir, n)));
  if (!parsed.ok) throw new Error(parsed.diagnostics.map((d) => d.message).join("; "));
  return parsed.value;
};

/** Runs the CLI and expects a one-line refusal with exit code 1. */
function refused(args: string[]): string {
  const result = runCli(args);
  expect(result.code, result.stdout + result.stderr).toBe(1);
  expect(result.stderr).not.toMatch(STACK_TRACE);
  expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  return result.stderr.trim();
}

describe("modelci register", () => {
  it("registers the best run with provenance, evaluation metrics, signature and a training-data profile", async () => {
    const dir = copyRepo(trained);
    const result = runCli(["register", "weather", "--root", dir, "--run", "weather-logreg", "--best"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const evaluations = runIds(dir).map((id) => ({
      id,
      f1: readEvaluation(dir, id).metrics.f1_macro as number,
    }));
    const best = evaluations.reduce((a, b) => (b.f1 > a.f1 || (b.f1 === a.f1 && b.id < a.id) ? b : a));
    expect(result.stdout).toContain(`✓ registered weather v1 from run weather-logreg/${best.id}`);

    const text = readFileSync(versionFile(dir, 1), "utf8");
    const [first, second] = text.split("\n");
    expect(first).toBe(
      "# yaml-language-server: $schema=https://raw.githubusercontent.com/modelci/modelci/main/schemas/json/version.schema.json",
    );
    expect(second).toMatch(/^# Written by `modelci register` from run weather-logreg\//);
    const version = versionSchema.parse(readVersion(dir, 1));
    const manifest = readManifest(dir, best.id);
    const evaluation = readEvaluation(dir, best.id);
    expect(version).toMatchObject({
      version: 1,
      commit: git(dir, "rev-parse", "HEAD"),
      experiment: "weather-logreg",
      "run-id": best.id,
      params: manifest.params,
      "self-reported": false,
      artifact: {
        uri: `local:sha256:${manifest.outputs.model?.sha256}`,
        sha256: manifest.outputs.model?.sha256,
        size: manifest.outputs.model?.size,
        format: "onnx",
      },
    });
    expect(version.data.train).toEqual({
      path: "data/train.csv",
      sha256: manifest.data.train?.sha256,
      size: manifest.data.train?.size,
    });
    expect(version.metrics.f1_macro).toBe(evaluation.metrics.f1_macro);
    expect(Object.keys(version.metrics)).toEqual(
      Object.entries(evaluation.metrics)
        .filter(([, v]) => typeof v === "number")
        .map(([k]) => k),
    );
    expect(Date.parse(version.created)).toBeGreaterThan(Date.now() - 120_000);

    const { info } = await readModelInfo(join(dir, RUNS, best.id, "outputs/out/model.onnx"));
    expect(version.signature).toEqual({
      inputs: [{ name: "features", type: "float32", shape: ["N", 7] }],
      outputs: [{ name: "probabilities", type: "float32", shape: ["N", 5] }],
    });
    expect(Object.keys(version.profile?.features ?? {})).toEqual(info.features);
    expect(version.profile?.rows).toBe(731);
    expect(version.profile?.features.temp_max).toMatchObject({
      kind: "numeric",
      count: 731,
      missing: 0,
      min: -1.1,
      max: 34.4,
      quantiles: [-1.1, 6.7, 8.9, 10.6, 12.8, 14.4, 17.2, 20, 22.8, 26.1, 34.4], // numpy.quantile
    });

    const stored = localArtifactPath(join(dir, ".modelci/artifacts"), version.artifact.sha256);
    expect(readFileSync(stored)).toEqual(readFileSync(join(dir, RUNS, best.id, "outputs/out/model.onnx")));
    const validate = runCli(["validate", "--root", dir]);
    expect(validate.stdout).toContain("✓ valid: 1 experiment, 1 model, 1 version, 2 deployment targets");
    const context = {
      dir,
      config: { artifacts: { store: "local" as const, path: ".modelci/artifacts" } },
      env: {},
    };
    expect(await fetchArtifact(version.artifact, context)).toBe(stored);
  });

  it("numbers versions max + 1, takes a run folder, manifest or EXPERIMENT/RUN-ID, and never overwrites", async () => {
    const dir = copyRepo(trained);
    const [a = "", b = "", c = ""] = runIds(dir);
    const args = ["register", "weather", "--root", dir, "--run"];
    expect(runCli([...args, join(dir, RUNS, a)]).code).toBe(0);
    expect(runCli([...args, join(dir, RUNS, b, "manifest.json")]).code).toBe(0);
    expect(readVersion(dir, 2)["run-id"]).toBe(b);
    // A gap is kept: the next number follows the highest file, valid or not.
    const five = readFileSync(versionFile(dir, 2), "utf8").replace("version: 2", "version: 5");
    writeFileSync(versionFile(dir, 5), five);
    const json = runCli([...args, `weather-logreg/${c}`, "--json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      model: "weather",
      version: 6,
      file: "models/weather/versions/6.yaml",
    });
    expect(readFileSync(versionFile(dir, 5), "utf8")).toBe(five);
    // The version file is created only if absent: an existing one is left as it was.
    const before = readFileSync(versionFile(dir, 1), "utf8");
    expect(await publishNewFile(versionFile(dir, 1), "version: 99\n")).toBe(false);
    expect(readFileSync(versionFile(dir, 1), "utf8")).toBe(before);
  });

  it("gives two concurrent registrations two different numbers", async () => {
    const dir = copyRepo(trained);
    const [a = "", b = ""] = runIds(dir);
    const register = (run: string) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [
          CLI,
          "register",
          "weather",
          "--root",
          dir,
          "--run",
          join(dir, RUNS, run),
        ]);
        let stderr = "";
        child.stderr.on("data", (chunk) => {
          stderr += chunk;
        });
        child.on("close", (code) => resolve({ code, stderr }));
      });
    const results = await Promise.all([register(a), register(b)]);
    expect(results).toEqual([
      { code: 0, stderr: "" },
      { code: 0, stderr: "" },
    ]);
    const registered = [readVersion(dir, 1)["run-id"], readVersion(dir, 2)["run-id"]].sort();
    expect(registered).toEqual([a, b].sort());
    expect(existsSync(versionFile(dir, 3))).toBe(false);
  });

  it("takes the training metrics, marked self-reported, when the run was not evaluated", () => {
    const dir = copyRepo(trained);
    const [id = ""] = runIds(dir);
    rmSync(join(dir, RUNS, id, "evaluation.json"));
    expect(runCli(["register", "weather", "--root", dir, "--run", join(dir, RUNS, id)]).code).toBe(0);
    const version = readVersion(dir, 1);
    expect(version.metrics).toEqual(readManifest(dir, id).metrics);
    expect(version["self-reported"]).toBe(true);
  });

  it("refuses an unknown model, a failed run, a changed model file or data, and a missing manifest", () => {
    const dir = copyRepo(trained);
    const [a = "", b = "", c = ""] = runIds(dir);
    const run = (id: string) => join(dir, RUNS, id);
    expect(refused(["register", "wether", "--root", dir, "--run", run(a)])).toBe(
      'modelci register: no model "wether" (did you mean "weather"?); declared: weather',
    );
    editFile(join(run(a), "manifest.json"), (text) =>
      text.replace(
        '"status": "succeeded"',
        '"status": "failed",\n  "reason": "the command exited with code 1"',
      ),
    );
    expect(refused(["register", "weather", "--root", dir, "--run", run(a)])).toBe(
      `modelci register: run weather-logreg/${a} failed: the command exited with code 1; only a succeeded run can be registered`,
    );
    appendFileSync(join(run(b), "outputs/out/model.onnx"), "x");
    expect(refused(["register", "weather", "--root", dir, "--run", run(b)])).toMatch(
      new RegExp(
        `^modelci register: run weather-logreg/${b}: .*model.onnx no longer matches its manifest \\(sha256 [a-f0-9]{64} recorded, [a-f0-9]{64} now\\)`,
      ),
    );
    mkdirSync(join(dir, "empty"));
    expect(refused(["register", "weather", "--root", dir, "--run", join(dir, "empty")])).toMatch(
      /has no manifest\.json; is it a run folder written by `modelci train`\?$/,
    );
    expect(refused(["register", "weather", "--root", dir, "--run", "weather-logreg/nope"])).toMatch(
      /^modelci register: no run at weather-logreg\/nope: /,
    );
    expect(refused(["register", "weather", "--root", dir, "--run", "weather-lgreg", "--best"])).toMatch(
      /no experiment "weather-lgreg" \(did you mean "weather-logreg"\?\)/,
    );
    appendFileSync(join(dir, "data/train.csv"), "2013-12-31,0,1,1,1,0,0,1,sun\n");
    expect(refused(["register", "weather", "--root", dir, "--run", run(c)])).toMatch(
      /data\.train data\/train\.csv changed since run weather-logreg\/.+ trained on it/,
    );
    expect(runCli(["register", "weather", "--root", dir]).code).toBe(2);
    expect(existsSync(join(dir, "models/weather/versions"))).toBe(false);
  });

  it("leaves no version file behind when writing it fails after the artifact was stored", () => {
    const dir = copyRepo(trained);
    const [id = ""] = runIds(dir);
    writeFileSync(join(dir, "models/weather/versions"), "not a folder\n");
    expect(refused(["register", "weather", "--root", dir, "--run", join(dir, RUNS, id)])).toMatch(
      /^modelci register: cannot write models\/weather\/versions\/1\.yaml: /,
    );
    const sha = readManifest(dir, id).outputs.model?.sha256 ?? "";
    expect(existsSync(localArtifactPath(join(dir, ".modelci/artifacts"), sha))).toBe(true);
    expect(readFileSync(join(dir, "models/weather/versions"), "utf8")).toBe("not a folder\n");
  });

  it("refuses to use a registered artifact whose stored bytes were tampered with", async () => {
    const dir = copyRepo(trained);
    const [id = ""] = runIds(dir);
    expect(runCli(["register", "weather", "--root", dir, "--run", join(dir, RUNS, id)]).code).toBe(0);
    const { artifact } = readVersion(dir, 1);
    const stored = localArtifactPath(join(dir, ".modelci/artifacts"), artifact.sha256);
    rmSync(stored);
    writeFileSync(stored, "evil");
    const context = {
      dir,
      config: { artifacts: { store: "local" as const, path: ".modelci/artifacts" } },
      env: {},
    };
    await expect(fetchArtifact(artifact, context)).rejects.toThrow(
      `artifact ${artifact.uri} is corrupt or was replaced: expected sha256 ${artifact.sha256}, found `,
    );
  });
});

describe("runs of an earlier plan (issue: stale run folders were reused)", () => {
  /** A copy of a run folder under another run id, as an earlier sweep would have left it. */
  function plantRun(dir: string, from: string, runId: string, f1: number): void {
    const target = join(dir, RUNS, runId);
    cpSync(join(dir, RUNS, from), target, { recursive: true });
    editFile(join(target, "manifest.json"), (text) => {
      const manifest = JSON.parse(text);
      return JSON.stringify({ ...manifest, "run-id": runId, params: { ...manifest.params, lr: 9 } });
    });
    editFile(join(target, "evaluation.json"), (text) => {
      const result = JSON.parse(text);
      return JSON.stringify({
        ...result,
        run: { ...result.run, "run-id": runId },
        metrics: { ...result.metrics, f1_macro: f1 },
      });
    });
  }

  it("register --best ranks only the current sweep's runs at the current commit", () => {
    const dir = copyRepo(trained);
    const [a = ""] = runIds(dir);
    plantRun(dir, a, "lr-9_l2-0.001", 0.99);
    const result = runCli(["register", "weather", "--root", dir, "--run", "weather-logreg", "--best"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toContain("lr-9_l2-0.001");
    expect(result.stderr).toContain("warning: skipping 1 run folder of weather-logreg not planned at commit");
    expect(result.stderr).toContain("lr-9_l2-0.001 (not a run of the experiment's current sweep)");
    // After a new commit, no run was trained at the current commit: refused, not an old run.
    writeFileSync(join(dir, "NOTES.md"), "a change\n");
    git(dir, "add", "NOTES.md");
    git(dir, "commit", "-q", "--no-gpg-sign", "-m", "notes");
    const after = runCli(["register", "weather", "--root", dir, "--run", "weather-logreg", "--best"]);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain("(trained at commit ");
    expect(after.stderr.trimEnd().split("\n").at(-1)).toMatch(
      /^modelci register: no succeeded run of weather-logreg's current sweep was trained at commit [0-9a-f]{7}; train it again/,
    );
  });

  it("refuses a byte-identical artifact as a new version unless --force", () => {
    const dir = copyRepo(trained);
    const [a = ""] = runIds(dir);
    const args = ["register", "weather", "--root", dir, "--run", join(dir, RUNS, a)];
    expect(runCli(args).code).toBe(0);
    expect(refused(args)).toMatch(
      /^modelci register: run weather-logreg\/\S+: its model file is byte-identical to weather v1 \(sha256 [0-9a-f]{12}\), which is already registered; pass --force/,
    );
    expect(existsSync(versionFile(dir, 2))).toBe(false);
    const forced = runCli([...args, "--force"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toContain("weather v1 has the same artifact");
    expect(readVersion(dir, 2).artifact.sha256).toBe(readVersion(dir, 1).artifact.sha256);
  });

  it("modelci run removes the run folders of an earlier sweep before training the new one", () => {
    const dir = copyRepo(trained);
    const before = runIds(dir);
    editFile(join(dir, "experiments/weather-logreg.yaml"), (text) =>
      text
        .replace(/sweep:\n {2}lr: \[0\.1, 0\.5\]\n {2}l2: \[[^\]]*\]/, "sweep:\n  lr: [0.3]")
        .replace("epochs: 300", "epochs: 20"),
    );
    git(dir, "commit", "-q", "--no-gpg-sign", "-am", "new sweep");
    const result = runCli(["run", "--root", dir, "--quiet"]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`removed 6 run folders of an earlier sweep: ${before.join(", ")}`);
    expect(runIds(dir)).toEqual(["lr-0.3"]);
    const registered = runCli(["register", "weather", "--root", dir, "--run", "weather-logreg", "--best"]);
    expect(registered.code, registered.stderr).toBe(0);
    expect(registered.stdout).toContain("from run weather-logreg/lr-0.3");
  });
});

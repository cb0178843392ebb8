import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runManifestSchema } from "../schemas/run-manifest.ts";
import { runAction } from "./helpers/run-action.ts";
import { commitAll, runCli, STACK_TRACE, tempDir } from "./helpers/temp-repo.ts";

/** A toy trainer whose behaviour a param picks: ok, fail, hang, no-metrics, bad-metrics. */
const TOY_TRAINER = `
import { mkdirSync, writeFileSync } from "node:fs";
const [mode, lr] = process.argv.slice(2);
console.log("training with lr " + lr);
console.error("args " + JSON.stringify(process.argv.slice(2)));
if (mode === "fail") { console.log("diverged"); process.exit(3); }
if (mode === "hang") setInterval(() => {}, 1000);
else {
  mkdirSync("out", { recursive: true });
  writeFileSync("out/model.bin", "weights " + lr);
  if (mode === "bad-metrics") writeFileSync("out/metrics.json", JSON.stringify({ accuracy: "high" }));
  else if (mode !== "no-metrics") writeFileSync("out/metrics.json", JSON.stringify({ accuracy: 0.5 + Number(lr) }));
}
`;

function toyRepo(extra = ""): string {
  const dir = tempDir();
  mkdirSync(join(dir, "experiments"));
  mkdirSync(join(dir, "models/toy"), { recursive: true });
  mkdirSync(join(dir, "data"));
  writeFileSync(join(dir, "toy.mjs"), TOY_TRAINER);
  writeFileSync(join(dir, "data/train.csv"), "x,y\n1,2\n");
  writeFileSync(
    join(dir, "experiments/toy.yaml"),
    `model: toy
command: node toy.mjs \${{ params.mode }} \${{ params.lr }}
params: { mode: ok, lr: 0.1 }
sweep: { lr: [0.1, 0.2] }
data: { train: data/train.csv }
inputs: [toy.mjs]
outputs: { model: out/model.bin, metrics: out/metrics.json }
${extra}`,
  );
  writeFileSync(
    join(dir, "models/toy/model.yaml"),
    "task: classification\nowners: [alice]\nprimary-metric: accuracy\n",
  );
  commitAll(dir);
  return dir;
}

function manifestOf(dir: string, runId: string) {
  return runManifestSchema.parse(
    JSON.parse(readFileSync(join(dir, ".modelci/runs/toy", runId, "manifest.json"), "utf8")),
  );
}

describe("modelci train", () => {
  it("trains every sweep run and records a manifest with digests, metrics and the commit", () => {
    const dir = toyRepo();
    const result = runCli(["train", "toy", "--root", dir]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("▶ toy [1/2] lr-0.1: node toy.mjs ok 0.1");
    expect(result.stdout).toContain("  │ training with lr 0.2");
    expect(result.stdout).toContain("2 of 2 runs succeeded");
    const manifest = manifestOf(dir, "lr-0.2");
    expect(manifest).toMatchObject({
      experiment: "toy",
      "run-id": "lr-0.2",
      status: "succeeded",
      params: { mode: "ok", lr: 0.2 },
      argv: ["node", "toy.mjs", "ok", "0.2"],
      dirty: false,
      metrics: { accuracy: 0.7 },
      "exit-code": 0,
    });
    expect(manifest.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(manifest.outputs.model).toMatchObject({ path: "out/model.bin", size: "weights 0.2".length });
    expect(manifest.data.train).toMatchObject({ path: "data/train.csv", size: 8, files: 1 });
    expect(readFileSync(join(dir, ".modelci/runs/toy/lr-0.1/outputs/out/model.bin"), "utf8")).toBe(
      "weights 0.1",
    );
  });

  it("passes a param with shell syntax as one literal argument", () => {
    const dir = toyRepo();
    const marker = join(dir, "pwned");
    const result = runCli([
      "train",
      "toy",
      "--root",
      dir,
      "--run-id",
      "lr-0.1",
      "--param",
      `mode=ok; touch ${marker}`,
    ]);
    expect(result.stdout).toContain(`args ${JSON.stringify([`ok; touch ${marker}`, "0.1"])}`);
    expect(existsSync(marker)).toBe(false);
  });

  it("records a failing command as failed with its exit code and last lines, and exits 1", () => {
    const dir = toyRepo();
    const result = runCli([
      "train",
      "toy",
      "--root",
      dir,
      "--param",
      "mode=fail",
      "--param",
      "lr=0.3",
      "--json",
    ]);
    expect(result.code).toBe(1);
    const [manifest] = JSON.parse(result.stdout);
    expect(manifest).toMatchObject({ "run-id": "default", status: "failed", "exit-code": 3 });
    expect(manifest.reason).toMatch(/exited with code 3/);
    expect(manifest["log-tail"]).toContain("diverged");
    expect(result.stderr).toContain("✗ default failed");
  });

  it("kills a run that passes its timeout and records it as timed out", () => {
    const dir = toyRepo("timeout-minutes: 0.02\n");
    const result = runCli(["train", "toy", "--root", dir, "--run-id", "lr-0.1", "--param", "mode=hang"]);
    expect(result.code).toBe(1);
    expect(manifestOf(dir, "lr-0.1")).toMatchObject({ status: "timed-out", "exit-code": null });
  });

  it("fails a run whose metrics file is missing or invalid, and never counts an output an earlier run wrote", () => {
    const dir = toyRepo();
    expect(runCli(["train", "toy", "--root", dir, "--run-id", "lr-0.1"]).code).toBe(0);
    const missing = runCli([
      "train",
      "toy",
      "--root",
      dir,
      "--run-id",
      "lr-0.1",
      "--param",
      "mode=no-metrics",
    ]);
    expect(missing.code).toBe(1);
    expect(manifestOf(dir, "lr-0.1").reason).toMatch(/out\/metrics\.json/);
    const invalid = runCli([
      "train",
      "toy",
      "--root",
      dir,
      "--run-id",
      "lr-0.2",
      "--param",
      "mode=bad-metrics",
    ]);
    expect(invalid.code).toBe(1);
    expect(manifestOf(dir, "lr-0.2").reason).toBe(
      'metrics file out/metrics.json: "accuracy" must be a finite number, got "high"',
    );
  });

  it("never reads or writes outside the root: `..` in a path, a data symlink, an output symlink", () => {
    // An artifact path with "..": refused at validation, nothing copied out of the run folder.
    const dotdot = toyRepo();
    const outside = tempDir();
    writeFileSync(join(outside, "outside.txt"), "secret\n");
    const experiment = join(dotdot, "experiments/toy.yaml");
    writeFileSync(
      experiment,
      readFileSync(experiment, "utf8").replace(
        "metrics: out/metrics.json }",
        `metrics: out/metrics.json, artifacts: ["../../../../outside.txt"] }`,
      ),
    );
    const refused = runCli(["train", "toy", "--root", dotdot, "--run-id", "lr-0.1"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'experiments/toy.yaml:7:73: outputs.artifacts[0]: must be a relative path inside the root, with "/" separators and no ".", ".." or empty parts (like data/train.csv), got "../../../../outside.txt"',
    );
    expect(existsSync(join(dotdot, ".modelci/runs"))).toBe(false);

    // A data file that is a symbolic link out of the root: refused before it is read or hashed.
    const linked = toyRepo();
    rmSync(join(linked, "data/train.csv"));
    symlinkSync(join(outside, "outside.txt"), join(linked, "data/train.csv"));
    const data = runCli(["train", "toy", "--root", linked, "--run-id", "lr-0.1"]);
    expect(data.code).toBe(1);
    expect(data.stderr).toContain(
      `modelci train: experiments/toy.yaml: data.train: data path data/train.csv leads outside ${linked} (to ${outside}/outside.txt) through a symbolic link`,
    );
    expect(data.stderr + data.stdout).not.toContain("secret");
    expect(data.stderr).not.toMatch(STACK_TRACE);

    // An output that the command made a symbolic link out of the root: not hashed, not copied.
    const output = toyRepo();
    writeFileSync(
      join(output, "toy.mjs"),
      `import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
mkdirSync("out", { recursive: true });
symlinkSync(${JSON.stringify(join(outside, "outside.txt"))}, "out/model.bin");
writeFileSync("out/metrics.json", "{}");
`,
    );
    const link = runCli(["train", "toy", "--root", output, "--run-id", "lr-0.1"]);
    expect(link.code).toBe(1);
    expect(link.stderr).toContain("outputs.model out/model.bin leads outside");
    expect(existsSync(join(output, ".modelci/runs/toy/lr-0.1/outputs/out/model.bin"))).toBe(false);
  });

  it("explains a missing command, an unknown run, an unknown param and an unknown experiment", () => {
    const dir = toyRepo();
    const cases: [string[], RegExp][] = [
      [
        ["toy", "--run-id", "lr-0.3"],
        /no run "lr-0\.3" \(did you mean "lr-0\.1"\?\); the runs are: lr-0\.1, lr-0\.2/,
      ],
      [
        ["toy", "--param", "epochs=3"],
        /--param epochs: not a param of this experiment; its params: mode, lr/,
      ],
      [["nope"], /no experiment "nope"; declared: toy/],
    ];
    for (const [args, message] of cases) {
      const result = runCli(["train", ...args, "--root", dir]);
      expect(result.code, args.join(" ")).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(STACK_TRACE);
    }
    const noCommand = toyRepo();
    writeFileSync(
      join(noCommand, "experiments/toy.yaml"),
      readFileSync(join(noCommand, "experiments/toy.yaml"), "utf8").replace(
        "node toy.mjs",
        "no-such-trainer",
      ),
    );
    const result = runCli(["train", "toy", "--root", noCommand, "--run-id", "lr-0.1"]);
    expect(result.code).toBe(1);
    expect(manifestOf(noCommand, "lr-0.1")).toMatchObject({
      status: "failed",
      reason: expect.stringMatching(/command not found: no-such-trainer/),
    });
  });
});

describe("actions/train", () => {
  it("trains one matrix run, sets outputs, and says it cannot upload off a runner", () => {
    const dir = toyRepo();
    const result = runAction("train", { experiment: "toy", "run-id": "lr-0.2" }, { cwd: dir });
    expect(result.stdout).not.toContain("::error");
    expect(result.code).toBe(0);
    expect(result.outputs).toEqual({
      status: "succeeded",
      "run-dir": ".modelci/runs/toy/lr-0.2",
      manifest: ".modelci/runs/toy/lr-0.2/manifest.json",
      model: ".modelci/runs/toy/lr-0.2/outputs/out/model.bin",
      "artifact-name": "modelci-run-toy-lr-0.2",
      metrics: '{"accuracy":0.7}',
    });
    expect(result.stdout).toContain("::notice::Not on a GitHub Actions runner");
    expect(result.stdout).toContain("::group::train toy lr-0.2: node toy.mjs ok 0.2");
  });

  it("fails the step when the run fails, and on bad inputs", () => {
    const dir = toyRepo();
    const failed = runAction(
      "train",
      { experiment: "toy", "run-id": "lr-0.1", params: '{"mode": "fail"}', upload: "false" },
      { cwd: dir },
    );
    expect(failed.code).toBe(1);
    expect(failed.outputs.status).toBe("failed");
    expect(failed.stdout).toMatch(/::error::lr-0\.1 failed: /);
    const bad = runAction("train", { experiment: "toy", params: "[1]" }, { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(
      '::error::input "params": must be a JSON object such as {"epochs": 10}, got [1]',
    );
  });
});

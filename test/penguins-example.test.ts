/**
 * examples/penguins: a Python trainer (scikit-learn, exported with the `onnx` package) that goes
 * through modelci's pipeline for real: train, evaluate with onnxruntime, compare with the champion.
 * It needs Debian's python3-sklearn and python3-onnx at /usr/bin/python3, which `.ci/run`
 * installs exactly as the example's README tells a user to.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { evaluationResultSchema } from "../schemas/evaluation-result.ts";
import { CLI, REPO_ROOT, STACK_TRACE } from "./helpers/temp-repo.ts";

const PYTHON = "/usr/bin/python3";
const example = join(REPO_ROOT, "examples/penguins");
const probe = spawnSync(PYTHON, ["-c", "import numpy, sklearn, onnx"], { encoding: "utf8" });
const missing =
  probe.status === 0
    ? undefined
    : `${PYTHON} lacks numpy, scikit-learn or onnx (${(probe.stderr || String(probe.error)).trim().split("\n").pop()}); run: apt-get install -y python3-sklearn python3-onnx`;
if (missing) console.warn(`skipping examples/penguins: ${missing}`);

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(missing !== undefined)("examples/penguins (Python trainer)", () => {
  it("has data files that scripts/prepare_data.py regenerates byte for byte", () => {
    const out = mkdtempSync(join(tmpdir(), "modelci-penguins-"));
    temps.push(out);
    const result = spawnSync(PYTHON, ["scripts/prepare_data.py", "--out", out], {
      cwd: example,
      encoding: "utf8",
    });
    expect(result.stderr).toBe("");
    for (const file of ["train.csv", "eval.csv"]) {
      expect(readFileSync(join(out, file), "utf8")).toBe(readFileSync(join(example, "data", file), "utf8"));
    }
  });

  it("trains in Python, evaluates with onnxruntime and compares with the champion", () => {
    // `python3` in the experiment's command is Debian's: /usr/bin comes first on PATH.
    const result = spawnSync(process.execPath, [CLI, "run", "--root", "examples/penguins", "--quiet"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1", PATH: `/usr/bin${delimiter}${process.env.PATH ?? ""}` },
    });
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.stdout).toContain("✓ 1 run trained and evaluated");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("champion: penguins version 1 (production)");
    expect(result.stdout).toMatch(/\n✓ penguins: pass — f1_macro /);
    const best = /★ best run of penguins-logreg: (\S+) \(f1_macro ([\d.]+)\)/.exec(result.stdout);
    expect(best?.[1]).toBe("default");
    const evaluation = evaluationResultSchema.parse(
      JSON.parse(
        readFileSync(join(example, ".modelci/runs/penguins-logreg/default/evaluation.json"), "utf8"),
      ),
    );
    expect(evaluation.metrics.accuracy).toBeGreaterThan(0.95);
    // The model declares its features and classes, so evaluate needed no --features or --classes.
    expect(evaluation["self-reported"] === false && evaluation.features).toEqual([
      "beak_length_mm",
      "beak_depth_mm",
      "flipper_length_mm",
      "body_mass_g",
      "island_biscoe",
      "island_dream",
      "island_torgersen",
      "sex_female",
      "sex_male",
    ]);
    expect(evaluation["self-reported"] === false && evaluation.classes).toEqual([
      "Adelie",
      "Chinstrap",
      "Gentoo",
    ]);
    expect(evaluation["self-reported"] === false && evaluation.baseline?.model.sha256).toMatch(
      /^[0-9a-f]{64}$/,
    );
  });
});

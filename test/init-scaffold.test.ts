import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeData, scaffoldFiles } from "../core/scaffold-files.ts";
import { runCli, tempDir } from "./helpers/temp-repo.ts";

describe("modelci init's files", () => {
  it("keeps the artifact store in git and ignores the run folders and trainer outputs", () => {
    const dir = tempDir();
    const init = runCli(["init", dir, "--template", "python", "--model", "churn"]);
    expect(init.code).toBe(0);
    for (const file of ["train.py", "requirements.txt", ".github/workflows/models.yml", "data/eval.csv"]) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    expect(existsSync(join(dir, "train.js"))).toBe(false);
    expect(init.stdout).toMatch(
      /Next:\n {2}cd .+\n {2}pip install -r requirements\.txt.*\n {2}git init.*\n {2}npx modelci run/,
    );
    execFileSync("git", ["init", "-q"], { cwd: dir });
    const paths = [".modelci/runs/churn/default/manifest.json", "out/model.onnx", "artifacts/sha256/ab/abcd"];
    for (const path of paths) {
      mkdirSync(join(dir, path, ".."), { recursive: true });
      writeFileSync(join(dir, path), "x");
    }
    const ignored = spawnSync("git", ["check-ignore", ...paths], { cwd: dir, encoding: "utf8" });
    expect(ignored.stdout.trim().split("\n")).toEqual(paths.slice(0, 2));
  });

  it("points the store at artifacts/, names the template's trainer, and calls the reusable workflow", () => {
    const node = scaffoldFiles({ model: "m", task: "classification", owner: "a" });
    expect(node["modelci.yaml"]).toContain("artifacts: { store: local, path: artifacts }");
    expect(node["experiments/m.yaml"]).toContain("command: node train.js --task classification");
    const python = scaffoldFiles({ model: "m", task: "regression", owner: "a", template: "python" });
    expect(python["experiments/m.yaml"]).toContain("command: python3 train.py --task regression");
    expect(python[".github/workflows/models.yml"]).toMatch(
      /uses: modelci\/modelci\/\.github\/workflows\/modelci\.yml@v1\n[\s\S]*setup: "pip install -r requirements.txt"/,
    );
  });

  it("makes the same small data set every time, with every class present", () => {
    const table = makeData("classification", 240, 1);
    expect(makeData("classification", 240, 1)).toBe(table);
    const labels = table
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split(",")[3]);
    expect(labels).toHaveLength(240);
    for (const label of ["a", "b", "c"]) {
      expect(labels.filter((l) => l === label).length).toBeGreaterThan(30);
    }
  });

  it("refuses an unknown template", () => {
    const result = runCli(["init", tempDir(), "--template", "rust"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--template/);
  });
});

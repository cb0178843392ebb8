import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluationResultSchema } from "../schemas/evaluation-result.ts";
import { runManifestSchema } from "../schemas/run-manifest.ts";
import { REPO_ROOT, runCli, tempDir } from "./helpers/temp-repo.ts";

describe("modelci run (npm start's first step)", () => {
  it("validates, plans, trains and evaluates the weather example, and names the best run", () => {
    const reportFile = join(tempDir(), "report.md");
    const result = runCli(["run", "--root", "examples/weather", "--quiet", "--report", reportFile]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("✓ validated examples/weather");
    expect(result.stdout).toContain("✓ planned 6 runs of 1 experiment");
    expect(result.stdout).toContain("✓ 6 runs trained and evaluated");
    expect(result.stdout).toContain("champion: weather version 1 (production)");
    // The terminal gets plain text; the Markdown a pull request gets goes to --report.
    expect(result.stdout).not.toMatch(/<!--|```|\| --- |\*\*|<details>/);
    expect(result.stdout).toContain("comparison with the champion: 1 model: 1 pass");
    expect(result.stdout).toMatch(/\n✓ weather: pass — f1_macro 0\.\d+ vs 0\.\d+/);
    expect(result.stdout).toMatch(
      /\n {2}✓ {2}f1_macro ↑ +0\.\d+ +0\.\d+ +[−+]?0\.\d+ +\S+…\S+ +regression ≤ 0\.02\n/,
    );
    expect(result.stdout).toContain("  results: examples/weather/.modelci/runs/<experiment>/<run-id>/");
    expect(result.stdout).toContain(
      "  the best run of weather-logreg is byte-identical to weather v1: nothing new to register",
    );
    const markdown = readFileSync(reportFile, "utf8");
    expect(markdown).toContain("<!-- modelci-report:default -->");
    expect(markdown).toMatch(/### weather\n\n✅ \*\*pass\*\* — f1_macro/);
    const best = /★ best run of weather-logreg: (\S+) \(f1_macro ([\d.]+)\); model (\S+)/.exec(result.stdout);
    expect(best).not.toBeNull();
    const [, runId = "", f1 = "", model = ""] = best ?? [];
    expect(existsSync(join(REPO_ROOT, model))).toBe(true);
    const runDir = join(REPO_ROOT, "examples/weather/.modelci/runs/weather-logreg", runId);
    const manifest = runManifestSchema.parse(JSON.parse(readFileSync(join(runDir, "manifest.json"), "utf8")));
    const evaluation = evaluationResultSchema.parse(
      JSON.parse(readFileSync(join(runDir, "evaluation.json"), "utf8")),
    );
    expect(manifest.status).toBe("succeeded");
    expect(evaluation.metrics.f1_macro).toBeCloseTo(Number(f1), 3);
    expect(evaluation.metrics.accuracy).toBeGreaterThan(0.8);
    expect(evaluation["self-reported"] === false && evaluation.baseline?.model.sha256).toMatch(
      /^[0-9a-f]{64}$/,
    );
    // The best run really has the highest f1_macro of the sweep.
    const rows = result.stdout.split("\n").filter((line) => / lr-[\d.]+_l2-[\d.]+ +evaluated/.test(line));
    expect(rows).toHaveLength(6);
    const scores = rows.map((line) => Number(line.trim().replace(/^★\s+/, "").split(/\s+/)[2]));
    expect(Math.max(...scores)).toBeCloseTo(Number(f1), 3);
  });
});

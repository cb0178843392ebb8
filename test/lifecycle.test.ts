/**
 * `npm start` (scripts/lifecycle.ts) for real: run, register, deploy to a `modelci serve` it starts,
 * replay 2015, drift check; all in a throwaway copy, which is gone afterwards with the server.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./helpers/temp-repo.ts";

const EXAMPLE_FILES = ["deployments/staging.yaml", "experiments/weather-logreg.yaml"];

describe("npm start (scripts/lifecycle.ts)", () => {
  it("trains, registers v2, deploys it to modelci serve, replays 2015 and reports the drifted features", () => {
    const example = (file: string) => readFileSync(join(REPO_ROOT, "examples/weather", file), "utf8");
    const before = EXAMPLE_FILES.map(example);
    const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/lifecycle.ts"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
      timeout: 120_000,
    });
    const out = result.stdout;
    expect(result.status, `${out}\n${result.stderr}`).toBe(0);
    expect(out).toContain("✓ weather: pass — f1_macro 0.448 vs 0.442");
    expect(out).toContain("✓ registered weather v2\n");
    expect(out).toMatch(/^✓ deployed to staging \(modelci serve at http:\/\/127\.0\.0\.1:\d+\)$/m);
    expect(out).toContain("✓ replayed 365 rows of 2015 (answered by weather v2;");
    expect(out).toMatch(/^ {2}DRIFT +temp_max /m);
    expect(out).toMatch(/drifted: temp_max, temp_min, the predictions/);
    expect(out).toContain("next:");
    // The copy and its server are gone; the repository's example is as it was.
    const copy = /^copied examples\/weather to (\S+) /m.exec(out)?.[1] ?? "";
    expect(copy).not.toBe("");
    expect(existsSync(copy)).toBe(false);
    expect(EXAMPLE_FILES.map(example)).toEqual(before);
  }, 120_000);
});

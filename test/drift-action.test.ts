/**
 * actions/drift (its bundled dist) on the weather example's production target, against a
 * GitHub-compatible API on loopback: job summary with the per-feature table and Mermaid charts,
 * the `drifted` output, the result JSON, a failed `modelci/drift` check run on the commit, and a
 * failed step.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readDriftResult } from "../core/retrain/drift-evidence.ts";
import { readDriftCheckText } from "../core/retrain/read-drift-check.ts";
import { targetDriftResultSchema } from "../schemas/drift-result.ts";
import { FakeGitHub } from "./helpers/fake-github-server.ts";
import { runActionAsync } from "./helpers/run-action.ts";
import { STACK_TRACE, tempDir } from "./helpers/temp-repo.ts";

const SHA = "d".repeat(40);
let github: FakeGitHub;

beforeEach(async () => {
  github = await new FakeGitHub().start();
});
afterEach(async () => {
  await github.stop();
});

describe("actions/drift", () => {
  it("reports the weather example's 2015 drift: summary, output, result file, check run, failed step", async () => {
    const dir = tempDir("examples/weather");
    const result = await runActionAsync(
      "drift",
      { target: "production", "github-token": "test-token" },
      {
        cwd: dir,
        env: { GITHUB_API_URL: github.baseUrl, GITHUB_REPOSITORY: "acme/weather", GITHUB_SHA: SHA },
      },
    );
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.outputs.drifted).toBe("true");
    expect(result.summary).toContain("weather v1 on production: drift");
    expect(result.summary).toMatch(/\| temp_max \| 🔴 drift \| ks \| ks_p_value 0\.002456 \| < 0\.05 \|/);
    expect(result.summary).toContain("```mermaid\nxychart-beta");
    const json = targetDriftResultSchema.parse(
      JSON.parse(readFileSync(join(dir, result.outputs.result as string), "utf8")),
    );
    expect(json.models.weather?.dataset.verdict).toBe("drift");
    expect(github.checkRuns).toHaveLength(1);
    expect(github.checkRuns[0]).toMatchObject({
      name: "modelci/drift",
      head_sha: SHA,
      conclusion: "failure",
    });
    // The App opens retraining pull requests from exactly this check run's text.
    const text = readDriftCheckText((github.checkRuns[0] as { output?: { text?: string } }).output?.text);
    expect(text.ok && readDriftResult(text.value)).toMatchObject({
      ok: true,
      drifted: [{ target: "production", model: "weather", version: 1 }],
    });
    expect(result.stdout).toContain("::error::modelci drift: drift in weather on production");
    expect(result.code).toBe(1);
    expect(github.problems).toEqual([]);
  });
});

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderGateError } from "../app/gate/render-gate-output.ts";
import { endSentence } from "../core/format/end-sentence.ts";
import { formatDuration } from "../core/format/format-duration.ts";
import { runCli, STACK_TRACE, tempDir } from "./helpers/temp-repo.ts";

const WEATHER = "test/fixtures/models/weather.onnx";
const EVAL = "examples/weather/data/eval.csv";

describe("durations for people", () => {
  it("formats milliseconds, seconds, minutes and hours without float noise", () => {
    expect(formatDuration(415.70990599999993)).toBe("416 ms");
    expect(formatDuration(4_210.5)).toBe("4.2 s");
    expect(formatDuration(59_990)).toBe("1 min");
    expect(formatDuration(125_400)).toBe("2 min 5 s");
    expect(formatDuration(3_780_000)).toBe("1 h 3 min");
    expect(formatDuration(Number.NaN)).toBe("an unknown time");
  });
});

describe("messages end with one period", () => {
  it("does not double a period GitHub's message already has", () => {
    expect(endSentence("use the REST API.")).toBe("use the REST API.");
    expect(endSentence("not found")).toBe("not found.");
    const { summary } = renderGateError(
      new Error("GraphQL is not available on this server; use the REST API."),
    );
    expect(summary).toContain("use the REST API.\n");
    expect(summary).not.toContain("..");
  });
});

describe("command-line values", () => {
  it("reads a negative number as the option's value and says what is wrong with it", () => {
    const run = runCli([
      "evaluate",
      "--model",
      WEATHER,
      "--data",
      EVAL,
      "--label",
      "weather",
      "--resamples",
      "-5",
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('modelci evaluate: --resamples must be an integer >= 1, got "-5"\n');
  });

  it("refuses --out into a folder, or under a file, in one plain line", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "results"));
    writeFileSync(join(dir, "a-file"), "x");
    const base = ["evaluate", "--model", WEATHER, "--data", EVAL, "--label", "weather", "--resamples", "10"];
    const folder = runCli([...base, "--out", `${join(dir, "missing")}/`]);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toContain("that is a folder; name the file to write, such as");
    expect(folder.stderr).toContain("missing/evaluation.json");
    const existing = runCli([...base, "--out", join(dir, "results")]);
    expect(existing.stderr).toContain("that is a folder");
    const underFile = runCli([...base, "--out", join(dir, "a-file", "x.json")]);
    expect(underFile.code).toBe(1);
    expect(underFile.stderr).toContain(`${join(dir, "a-file")} is a file, not a folder`);
    for (const run of [folder, existing, underFile]) {
      expect(run.stderr).not.toMatch(/ENOENT|EEXIST|EISDIR|ENOTDIR/);
      expect(run.stderr).not.toMatch(STACK_TRACE);
    }
  });
});

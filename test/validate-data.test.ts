import { existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readRunOutputs } from "../adapters/pipeline/read-run-outputs.ts";
import { compareRunOutputs } from "../core/compare/compare-run-outputs.ts";
import { readHeaderNames } from "../core/data/read-header-names.ts";
import { commitAll, editFile, git, REPO_ROOT, runCli, STACK_TRACE, tempDir } from "./helpers/temp-repo.ts";

const EXPERIMENT = "experiments/weather-logreg.yaml";

/** The weather example with one run of a short sweep, committed. */
function weatherRepo(edit: (text: string) => string = (text) => text): string {
  const dir = tempDir("examples/weather");
  editFile(join(dir, EXPERIMENT), (text) =>
    edit(
      text
        .replace(/sweep:\n {2}lr: \[[^\]]*\]\n {2}l2: \[[^\]]*\]\n/, "")
        .replace("epochs: 300", "epochs: 5"),
    ),
  );
  symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"));
  writeFileSync(join(dir, ".gitignore"), "node_modules\n.modelci/\nout/\n");
  commitAll(dir, "weather example");
  return dir;
}

describe("header names", () => {
  it("reads CSV and JSON Lines headers from the first bytes only", () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    expect(readHeaderNames(bytes('a,"b,c",d\n1,2,3'), "csv", false)).toEqual(["a", "b,c", "d"]);
    expect(readHeaderNames(bytes("a,b"), "csv", false)).toBeUndefined();
    expect(readHeaderNames(bytes("a,b"), "csv", true)).toEqual(["a", "b"]);
    expect(readHeaderNames(bytes('\n{"x": 1, "y": "q"}\n{'), "jsonl", false)).toEqual(["x", "y"]);
  });
});

describe("modelci validate checks what train and evaluate will read", () => {
  it("reports a data path that does not exist, and a label or feature not in the header, with hints", () => {
    const dir = weatherRepo((text) =>
      text
        .replace("train: data/train.csv", "train: data/trian.csv")
        .replace("label: weather", "label: weathr")
        .replace("features: [precipitation,", "features: [precipitaton,"),
    );
    for (const ref of [[], ["--ref", "HEAD"]]) {
      const result = runCli(["validate", "--root", dir, ...ref]);
      expect(result.code).toBe(1);
      expect(result.stderr).not.toMatch(STACK_TRACE);
      const source = ref.length === 0 ? "working tree" : "commit ";
      expect(result.stdout).toContain(
        `${EXPERIMENT}:8:10: data.train: data/trian.csv does not exist in the ${source}`,
      );
      expect(result.stdout).toContain(
        '(did you mean "data/train.csv"?); if a command writes it at run time, declare it with `produced: true`',
      );
      expect(result.stdout).toMatch(
        /experiments\/weather-logreg\.yaml:11:12: data\.eval\.label: column "weathr" is not in the header of data\/eval\.csv \(did you mean "weather"\?\); its columns: /,
      );
      expect(result.stdout).toContain(
        'experiments/weather-logreg.yaml:12:16: data.eval.features[0]: column "precipitaton" is not in the header of data/eval.csv (did you mean "precipitation"?)',
      );
    }
  });

  it("does not check a path declared `produced: true`, and train names the declaration of a missing path", () => {
    const dir = weatherRepo((text) =>
      text.replace("train: data/train.csv", "train: { path: data/made-by-a-step.csv, produced: true }"),
    );
    const valid = runCli(["validate", "--root", dir]);
    expect(valid.stdout + valid.stderr).not.toContain("made-by-a-step");
    expect(valid.code, valid.stdout).toBe(0);
    editFile(join(dir, EXPERIMENT), (text) =>
      text.replace("{ path: data/made-by-a-step.csv, produced: true }", "data/trian.csv"),
    );
    git(dir, "commit", "-q", "--no-gpg-sign", "-am", "typo");
    const train = runCli(["train", "weather-logreg", "--root", dir]);
    expect(train.code).toBe(1);
    expect(train.stderr).toMatch(
      /^modelci train: experiments\/weather-logreg\.yaml: data\.train: .*data\/trian\.csv.*; fix the path, or declare it `produced: true`/,
    );
  });

  it("carries the reason of a failed evaluation into the report", async () => {
    const dir = weatherRepo((text) => text.replace("label: weather", "label: weathr"));
    const result = runCli(["run", "--root", dir, "--quiet"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /\n {2}✗ run default trained, but its evaluation failed: .*no label column "weathr"/,
    );
    expect(result.stdout).not.toContain("has no evaluation result");
    // compare finds the reason in the run folder, as the report Action does.
    const runs = join(dir, ".modelci/runs");
    const [runId] =
      readFileSync(join(runs, "weather-logreg", "default", "manifest.json"), "utf8").match(
        /"run-id": "[^"]+"/,
      ) ?? [];
    expect(runId).toBe('"run-id": "default"');
    expect(existsSync(join(runs, "weather-logreg", "default", "evaluation-error.json"))).toBe(true);
    const outputs = await readRunOutputs([runs]);
    expect(outputs.failures).toHaveLength(1);
    const { loadValidProject } = await import("../adapters/pipeline/load-valid-project.ts");
    const [model] = compareRunOutputs(
      await loadValidProject(dir),
      outputs.results,
      outputs.manifests,
      undefined,
      outputs.failures,
    );
    expect(model?.verdict).toBe("error");
    expect(model?.errors.join("\n")).toMatch(
      /run default trained, but its evaluation failed: .*no label column "weathr"/,
    );
  });
});

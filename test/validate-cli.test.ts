import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import packageJson from "../package.json" with { type: "json" };
import { commitAll, editFile, runCli, STACK_TRACE, tempDir } from "./helpers/temp-repo.ts";

const EXPERIMENT = "experiments/weather-logreg.yaml";
const ALLOWED =
  "; allowed here: model, description, command, params, sweep, data, inputs, runs-on, outputs, evaluate, env, timeout-minutes";

/** The example with one unknown field added after line 3; returns the folder and that field's line. */
function exampleWithUnknownField(): { dir: string; line: number } {
  const dir = tempDir("examples/weather");
  editFile(join(dir, EXPERIMENT), (text) => {
    const lines = text.split("\n");
    lines.splice(3, 0, "learning_rate: 0.3");
    return lines.join("\n");
  });
  return { dir, line: 4 };
}

describe("modelci validate", () => {
  it("accepts the weather example", () => {
    const result = runCli(["validate", "--root", "examples/weather"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^✓ valid: 1 experiment, 1 model, \d+ versions?, 2 deployment targets in examples\/weather/m,
    );
  });

  it("points at an unknown field with file:line:col and exits 1", () => {
    const { dir, line } = exampleWithUnknownField();
    const result = runCli(["validate", "--root", dir]);
    expect(result.code).toBe(1);
    expect(result.stdout.split("\n")[0]).toBe(
      `${EXPERIMENT}:${line}:1: learning_rate: unknown field${ALLOWED}`,
    );
    expect(result.stdout).toContain("✗ 1 error, 0 warnings");
  });

  it("gives a did-you-mean hint for a close field name", () => {
    const dir = tempDir("examples/weather");
    editFile(join(dir, EXPERIMENT), (text) => text.replace("timeout-minutes:", "timeout-minute:"));
    const result = runCli(["validate", "--root", dir]);
    expect(result.stdout).toMatch(/timeout-minute: unknown field \(did you mean "timeout-minutes"\?\)/);
  });

  it("prints JSON with --format json", () => {
    const { dir, line } = exampleWithUnknownField();
    const result = runCli(["validate", "--root", dir, "--format", "json"]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ valid: false, errors: 1, warnings: 0 });
    expect(report.diagnostics[0]).toEqual({
      severity: "error",
      file: EXPERIMENT,
      line,
      col: 1,
      field: "learning_rate",
      message: `unknown field${ALLOWED}`,
    });
  });

  it("prints workflow commands with --format github, with paths relative to the working directory", () => {
    const result = runCli(["validate", "--root", "examples/weather", "--format", "github"]);
    expect(result.code).toBe(0);
    const { dir, line } = exampleWithUnknownField();
    const failed = runCli(["validate", "--root", ".", "--format", "github"], dir);
    expect(failed.code).toBe(1);
    expect(failed.stdout.split("\n")[0]).toBe(
      `::error file=${EXPERIMENT},line=${line},col=1,title=modelci%3A learning_rate::learning_rate: unknown field${ALLOWED}`,
    );
  });

  it("reads a git revision with --ref, not the working tree", () => {
    const dir = tempDir("examples/weather");
    commitAll(dir);
    editFile(join(dir, EXPERIMENT), (text) => text.replace("model: weather", "model: wether"));
    const head = runCli(["validate", "--root", dir, "--ref", "HEAD"]);
    expect(head.code).toBe(0);
    expect(head.stdout).toContain("(commit ");
    const tree = runCli(["validate", "--root", dir]);
    expect(tree.code).toBe(1);
    expect(tree.stdout.split("\n")[0]).toBe(
      `${EXPERIMENT}:3:8: model: model "wether" is not declared (no models/wether/model.yaml) (did you mean "weather"?)`,
    );
  });

  it("reports an unknown revision and a folder that is not a repository clearly", () => {
    const dir = tempDir("examples/weather");
    const notRepo = runCli(["validate", "--root", dir, "--ref", "HEAD"]);
    expect(notRepo.code).toBe(1);
    expect(notRepo.stderr).toMatch(/not inside a git repository/);
    commitAll(dir);
    const unknown = runCli(["validate", "--root", dir, "--ref", "no-such-branch"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('modelci validate: unknown git revision "no-such-branch"\n');
  });

  it("keeps warnings from failing unless --strict", () => {
    const dir = tempDir("examples/weather");
    editFile(join(dir, EXPERIMENT), (text) =>
      text.replace("  l2: [0.0001", "  depth: [2, 3]\n  l2: [0.0001"),
    );
    const lenient = runCli(["validate", "--root", dir]);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain(
      `${EXPERIMENT}:9:3: warning: sweep.depth: is swept but the command never uses it`,
    );
    const strict = runCli(["validate", "--root", dir, "--strict"]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain("(--strict)");
  });

  it("exits 2 on usage errors, without a stack trace", () => {
    for (const args of [
      ["validate", "--format", "xml"],
      ["validate", "--bogus"],
      ["frobnicate"],
      ["validate", "extra"],
      [],
    ]) {
      const result = runCli(args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stdout + result.stderr).not.toMatch(STACK_TRACE);
    }
    expect(runCli(["validate", "--format", "xml"]).stderr).toBe(
      'modelci validate: --format must be one of text, json, github; got "xml"\n',
    );
    expect(runCli(["validate", "--root", "/no/such/dir"]).stderr).toBe(
      "modelci validate: --root /no/such/dir: no such folder\n",
    );
  });

  it("fails a folder with no declarations, even without --strict, and refuses a --root that is a file", () => {
    const empty = tempDir();
    const result = runCli(["validate", "--root", empty]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      ".:1:1: no declarations found: searched experiments/, models/ and deployments/ (working tree); check --root\n" +
        `✗ 1 error, 0 warnings: 0 experiments, 0 models, 0 versions, 0 deployment targets in ${empty} (working tree)\n`,
    );
    const file = join(empty, "notes.txt");
    writeFileSync(file, "not a folder\n");
    for (const command of ["validate", "train x", "plan --base HEAD"]) {
      const refused = runCli([...command.split(" "), "--root", file]);
      expect(refused.code, command).toBe(2);
      expect(refused.stderr).toBe(`modelci ${command.split(" ")[0]}: --root ${file}: not a folder\n`);
    }
  });

  it("has --help for every command and --version", () => {
    const overview = runCli(["--help"]);
    expect(overview.code).toBe(0);
    const commands = [...overview.stdout.matchAll(/^ {2}([a-z-]+) {2,}/gm)].map((m) => m[1] as string);
    expect(commands).toEqual(expect.arrayContaining(["validate", "init"]));
    for (const command of commands) {
      const help = runCli([command, "--help"]);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: modelci ${command}`));
    }
    expect(runCli(["--version"]).stdout).toBe(`${packageJson.version}\n`);
  });
});

describe("modelci init", () => {
  it("scaffolds a repository that validates, and never overwrites a file", () => {
    const dir = tempDir();
    const first = runCli(["init", dir, "--model", "churn", "--owner", "@acme/ml"]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("11 files created");
    const validate = runCli(["validate", "--root", dir, "--strict"]);
    expect(validate.stdout).toContain("✓ valid: 1 experiment, 1 model, 0 versions, 2 deployment targets");
    expect(validate.code).toBe(0);
    const model = join(dir, "models/churn/model.yaml");
    expect(readFileSync(model, "utf8").split("\n")[0]).toMatch(
      /^# yaml-language-server: \$schema=.+model\.schema\.json$/,
    );
    writeFileSync(model, "# mine\n");
    const second = runCli(["init", dir, "--model", "churn"]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`kept     ${model} (exists)`);
    expect(second.stdout).toContain("0 files created");
    expect(readFileSync(model, "utf8")).toBe("# mine\n");
  });

  it("refuses a bad model name", () => {
    const result = runCli(["init", tempDir(), "--model", "Bad Name"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--model "Bad Name": use lowercase letters/);
  });
});

import { readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commitAll, REPO_ROOT, runCli, tempDir } from "./helpers/temp-repo.ts";

/** The shell commands of docs/cli.md's "by hand" block, with `\` continuations joined. */
function documentedCommands(): string[][] {
  const doc = readFileSync(join(REPO_ROOT, "docs/cli.md"), "utf8");
  const section = doc.slice(doc.indexOf("## Train, evaluate, compare by hand"));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  return block
    .replaceAll("\\\n", " ")
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.startsWith("#"))
    .map((line) => line.trim().split(/\s+/));
}

/** examples/weather before its first version: no versions, nothing deployed. */
function freshWeather(): string {
  const dir = tempDir("examples/weather");
  rmSync(join(dir, "models/weather/versions"), { recursive: true, force: true });
  rmSync(join(dir, "artifacts"), { recursive: true, force: true });
  writeFileSync(
    join(dir, "modelci.yaml"),
    readFileSync(join(dir, "modelci.yaml"), "utf8").replace("path: artifacts", "path: .modelci/artifacts"),
  );
  for (const target of ["staging", "production"]) {
    const path = join(dir, "deployments", `${target}.yaml`);
    writeFileSync(path, readFileSync(path, "utf8").replace(/^models: .*$/m, "models: {}"));
  }
  symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"));
  writeFileSync(join(dir, ".gitignore"), "node_modules\n.modelci/\nout/\n");
  commitAll(dir, "weather example");
  return dir;
}

describe("docs/cli.md: train, evaluate, compare by hand", () => {
  it("runs every documented command as written, and compare reports the run it trained", () => {
    const commands = documentedCommands();
    expect(commands.map((argv) => argv.slice(0, 2).join(" "))).toEqual([
      "modelci validate",
      "modelci train",
      "modelci evaluate",
      "modelci compare",
      "modelci register",
    ]);
    const dir = freshWeather();
    const outputs: string[] = [];
    for (const [program, ...args] of commands) {
      expect(program).toBe("modelci");
      const result = runCli(args, dir);
      expect(result.code, `${args.join(" ")}\n${result.stdout}\n${result.stderr}`).toBe(0);
      outputs.push(result.stdout);
    }
    const report = outputs[3] ?? "";
    expect(report).toContain("**1 model: 1 no champion**");
    expect(report).toContain("run lr-0.5_l2-0.001");
    expect(report.replace("modelci-report:default", "")).not.toContain("default");
    expect(report).not.toContain("has no evaluation result");
    expect(report).not.toContain("two results");
    expect(outputs[4]).toContain("✓ registered weather v1 from run weather-logreg/lr-0.5_l2-0.001");
  });
});

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runAction } from "./helpers/run-action.ts";
import { commitAll, copyFromRepo, editFile, STACK_TRACE, tempDir } from "./helpers/temp-repo.ts";

describe("actions/validate", () => {
  it("passes on a valid repository and sets its outputs", () => {
    const workspace = tempDir();
    const repo = join(workspace, "ml");
    copyFromRepo("examples/weather", repo);
    commitAll(workspace);
    const result = runAction("validate", { root: "ml" }, { cwd: workspace });
    expect(result.stdout).not.toContain("::error");
    expect(result.code).toBe(0);
    expect(result.outputs).toEqual({ valid: "true", errors: "0", warnings: "0" });
  });

  it("annotates errors at their workspace path and fails the step", () => {
    const workspace = tempDir();
    const repo = join(workspace, "ml");
    copyFromRepo("examples/weather", repo);
    commitAll(workspace);
    editFile(join(repo, "models/weather/model.yaml"), (text) =>
      text.replace("task: classification", "task: clasification"),
    );
    const result = runAction("validate", { root: "ml" }, { cwd: workspace });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '::error title=modelci%3A task,file=ml/models/weather/model.yaml,line=4,col=7::task: expected one of "classification", "regression", got "clasification" (did you mean "classification"?)',
    );
    expect(result.stdout).toContain("::error::modelci validate: 1 error(s), 0 warning(s) in ml");
    expect(result.outputs).toEqual({ valid: "false", errors: "1", warnings: "0" });
    expect(result.stdout + result.stderr).not.toMatch(STACK_TRACE);

    const atHead = runAction("validate", { root: "ml", ref: "HEAD" }, { cwd: workspace });
    expect(atHead.code).toBe(0);
    expect(atHead.outputs.valid).toBe("true");
  });

  it("fails clearly on a bad input", () => {
    const workspace = tempDir("examples/weather");
    const result = runAction("validate", { strict: "maybe" }, { cwd: workspace });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('::error::input "strict": expected one of "true", "false", got "maybe"');
  });
});

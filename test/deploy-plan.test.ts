import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { FileSource } from "../core/declarations/file-source.ts";
import type { Project } from "../core/declarations/project.ts";
import { describeMismatch, fitDescription } from "../core/deploy/describe-status.ts";
import { planDeploy } from "../core/deploy/plan-deploy.ts";
import { validateProject } from "../core/rules/validate-project.ts";
import { versionYaml } from "./helpers/promotion-repo.ts";
import { REPO_ROOT } from "./helpers/temp-repo.ts";

const MODEL = readFileSync(join(REPO_ROOT, "examples/weather/models/weather/model.yaml"), "utf8").replace(
  /^retrain: .*$/m,
  "",
);

/** A project from in-memory files: versions 7 and 8 registered, and the given targets. */
async function project(targets: Record<string, string>): Promise<Project> {
  const files = new Map<string, string>([
    ["models/weather/model.yaml", MODEL],
    ["models/weather/versions/7.yaml", versionYaml(7)],
    ["models/weather/versions/8.yaml", versionYaml(8)],
    ...Object.entries(targets).map(([name, text]) => [`deployments/${name}.yaml`, text] as [string, string]),
  ]);
  const source: FileSource = {
    label: "memory",
    listFiles: async (dir) => [...files.keys()].filter((p) => p.startsWith(`${dir}/`)).sort(),
    readFile: async (path) => (files.has(path) ? new TextEncoder().encode(files.get(path)) : undefined),
  };
  const validation = await validateProject(source);
  expect(validation.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return validation.project;
}

const target = (models: string, driver = "{ kind: command, run: ./deploy }", extra = "") =>
  `models: ${models}\ndriver: ${driver}\n${extra}`;

describe("planDeploy", () => {
  it("deploys only changed targets, with what they served before as the rollback", async () => {
    const before = await project({
      production: target("{ weather: { version: 7 } }"),
      staging: target("{ weather: { version: 8 } }"),
    });
    const after = await project({
      production: target("{ weather: { canary: [{ version: 7, weight: 90 }, { version: 8, weight: 10 }] } }"),
      staging: target("{ weather: { version: 8 } }", undefined, "rollback: { auto: true }\n"),
    });
    const plan = planDeploy(before, after);
    expect(plan.unchanged).toEqual(["staging"]);
    expect(plan.targets).toHaveLength(1);
    const [production] = plan.targets;
    expect(production).toMatchObject({
      target: "production",
      environment: "production",
      changes: ["weather 7 → 7 (90%) + 8 (10%)"],
      previous: [{ model: "weather", versions: [expect.objectContaining({ version: 7, weight: 100 })] }],
    });
    expect(
      production?.models[0]?.versions.map((v) => [v.version, v.weight, v.artifact.sha256.length]),
    ).toEqual([
      [7, 90, 64],
      [8, 10, 64],
    ]);
  });

  it("deploys a target whose driver changed, skips one whose monitoring changed, and lists removed targets", async () => {
    const before = await project({
      a: target("{ weather: { version: 7 } }"),
      b: target("{}"),
      gone: target("{}"),
    });
    const after = await project({
      a: target("{ weather: { version: 7 } }", "{ kind: serve, port: 9000 }"),
      b: target("{}", undefined, 'monitoring: { schedule: "0 6 * * *", current: { path: x.jsonl } }\n'),
    });
    const plan = planDeploy(before, after);
    expect(plan.targets.map((t) => [t.target, t.changes, t.previous])).toEqual([
      ["a", ["driver or environment changed"], undefined],
    ]);
    expect(plan.unchanged).toEqual(["b"]);
    expect(plan.removed).toEqual(["gone"]);
  });

  it("re-deploys one unchanged target when forced, and refuses an unknown one", async () => {
    const now = await project({ production: target("{ weather: { version: 8 } }") });
    expect(planDeploy(now, now, { only: "production", force: true }).targets[0]?.changes).toEqual([
      "re-deploy",
    ]);
    expect(planDeploy(now, now, { only: "production" }).targets).toEqual([]);
    expect(() => planDeploy(now, now, { only: "prod" })).toThrow(
      'no deployment target "prod" (targets: production)',
    );
  });
});

describe("status descriptions", () => {
  it("fit GitHub's 140 characters, and a mismatch names both digests' starts", () => {
    expect([...fitDescription("x".repeat(300))]).toHaveLength(140);
    const text = describeMismatch("a-very-long-model-name-for-testing", 12, "a".repeat(64), "b".repeat(64));
    expect(text.length).toBeLessThanOrEqual(140);
    expect(text).toContain("bbbbbbbbbbbbbbbb…, expected aaaaaaaaaaaaaaaa…");
  });
});

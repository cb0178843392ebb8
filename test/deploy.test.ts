import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runDeploy } from "../adapters/deploy/run-deploy.ts";
import { changeTarget, deployRepo, driverCalls } from "./helpers/deploy-repo.ts";
import { runCli, STACK_TRACE } from "./helpers/temp-repo.ts";

async function deploy(dir: string, before: string | undefined, after = "HEAD", only?: string) {
  const lines: string[] = [];
  const errors: string[] = [];
  const run = await runDeploy({
    dir,
    before,
    after,
    only,
    env: { PATH: process.env.PATH ?? "" },
    log: (line) => lines.push(line),
    error: (line) => errors.push(line),
  });
  return { run, log: lines.join("\n"), errors };
}

const served = (dir: string) => readFileSync(join(dir, "served/production/deploy.log"), "utf8");

describe("modelci deploy", () => {
  it("deploys exactly the target a commit changed, through its command driver (the real CLI)", () => {
    const repo = deployRepo();
    const after = changeTarget(repo.dir, "production", "{ weather: { version: 2 } }");
    const result = runCli([
      "deploy",
      "--target",
      "production",
      "--before",
      repo.base,
      "--after",
      after,
      "--root",
      repo.dir,
    ]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("production (environment production, command driver): weather 1 → 2");
    expect(result.stdout).toContain(`verified weather 2: sha256 ${repo.sha[2]}`);
    expect(result.stdout).toContain("production: success: Deployed weather 2");
    // The example's script copied the verified bytes and logged the deploy.
    expect(readFileSync(join(repo.dir, "served/production/weather-v2.onnx"))).toEqual(
      readFileSync(join(repo.dir, "artifacts/sha256", repo.sha[2].slice(0, 2), repo.sha[2])),
    );
    expect(served(repo.dir)).toMatch(/deploy production at [0-9a-f]{12}: weather 2 \(100%/);
    expect(existsSync(join(repo.dir, "served/staging"))).toBe(false);

    const dry = runCli(["deploy", "--before", repo.base, "--after", after, "--root", repo.dir, "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("weather 1 → 2");
    expect(dry.stdout).toContain("unchanged, not touched: staging");
    expect(served(repo.dir).trim().split("\n")).toHaveLength(1);

    const bad = runCli(["deploy", "--target", "nope", "--root", repo.dir]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('no deployment target "nope" (targets: production, staging)');
    expect(bad.stderr).not.toMatch(STACK_TRACE);
  });

  it("rolls back through the same driver when the driver fails, and says to which versions", async () => {
    const repo = deployRepo("node scripts/test-driver.js fail-new");
    changeTarget(repo.dir, "production", "{ weather: { version: 2 } }");
    const { run, log } = await deploy(repo.dir, repo.base);
    const [outcome] = run.outcomes;
    expect(outcome).toMatchObject({ state: "failure", result: "rolled-back" });
    expect(outcome?.description).toMatch(
      /^Rolled back to weather 1: deploy of weather 2 failed: node failed \(exit code 3\)/,
    );
    expect(outcome?.description.length).toBeLessThanOrEqual(140);
    expect(log).toContain("weather 2 did not start: out of memory");
    const calls = driverCalls(repo.dir);
    expect(calls.map((c) => [c.MODELCI_MODEL_WEATHER_VERSION, c.MODELCI_ROLLBACK])).toEqual([
      ["2", "false"],
      ["1", "true"],
    ]);
    expect(served(repo.dir)).toMatch(/rollback production at [0-9a-f]{12}: weather 1 /);
    expect(existsSync(join(repo.dir, "served/production/weather-v2.onnx"))).toBe(false);
  });

  it("reports a rollback that fails too, loudly", async () => {
    const repo = deployRepo("node scripts/test-driver.js fail-all");
    changeTarget(repo.dir, "production", "{ weather: { version: 2 } }");
    const { run, errors } = await deploy(repo.dir, repo.base);
    expect(run.outcomes[0]).toMatchObject({ state: "failure", result: "rollback-failed" });
    expect(run.outcomes[0]?.description).toMatch(/^ROLLBACK FAILED \(to weather 1\)/);
    expect(errors.join("\n")).toContain(
      "ROLLBACK FAILED: production may be serving neither weather 2 nor weather 1",
    );
    expect(driverCalls(repo.dir)).toHaveLength(2);
  });

  it("never hands the driver an artifact whose sha256 differs; the log has both digests in full", async () => {
    const repo = deployRepo("node scripts/test-driver.js ok");
    changeTarget(repo.dir, "production", "{ weather: { version: 2 } }");
    const stored = join(repo.dir, "artifacts/sha256", repo.sha[2].slice(0, 2), repo.sha[2]);
    chmodSync(stored, 0o644);
    writeFileSync(stored, "not the model that was approved");
    const { run, log } = await deploy(repo.dir, repo.base);
    expect(run.outcomes[0]).toMatchObject({ state: "failure", result: "not-deployed" });
    expect(run.outcomes[0]?.description).toMatch(
      /^sha256 mismatch, nothing deployed: weather 2 is [0-9a-f]{16}…, expected /,
    );
    expect(run.outcomes[0]?.description.length).toBeLessThanOrEqual(140);
    expect(log).toContain(`expected (version file): ${repo.sha[2]}`);
    expect(log).toMatch(/found \(stored bytes\): {4}[0-9a-f]{64}/);
    expect(driverCalls(repo.dir)).toEqual([]);
  });

  it("hands a canary split to the driver intact, every version verified", async () => {
    const repo = deployRepo("node scripts/test-driver.js ok");
    changeTarget(
      repo.dir,
      "production",
      "{ weather: { canary: [{ version: 1, weight: 90 }, { version: 2, weight: 10 }] } }",
    );
    const { run } = await deploy(repo.dir, repo.base);
    expect(run.outcomes[0]).toMatchObject({
      state: "success",
      description: "Deployed weather 1 (90%) + 2 (10%)",
    });
    const [call] = driverCalls(repo.dir);
    expect(call).toMatchObject({
      MODELCI_TARGET: "production",
      MODELCI_MODELS: "weather",
      MODELCI_MODEL_WEATHER_VERSIONS: "1,2",
      MODELCI_MODEL_WEATHER_WEIGHTS: "90,10",
      MODELCI_MODEL_WEATHER_VERSION: "1",
      MODELCI_MODEL_WEATHER_V2_SHA256: repo.sha[2],
      MODELCI_MODEL_WEATHER_V2_WEIGHT: "10",
    });
    expect(
      readFileSync(call?.MODELCI_MODEL_WEATHER_V2_ARTIFACT ?? "")
        .subarray(-2)
        .toString(),
    ).toBe("v2");
    const body = JSON.parse(call?.MODELCI_DEPLOYMENT ?? "{}");
    expect(body.models[0].versions.map((v: { weight: number }) => v.weight)).toEqual([90, 10]);
    expect(body.previous[0].versions).toEqual([expect.objectContaining({ version: 1, weight: 100 })]);
  });
});

import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { promotionRepo } from "./helpers/promotion-repo.ts";
import { runCli, STACK_TRACE } from "./helpers/temp-repo.ts";

const SOAKED = "2025-03-04T06:00:00Z";

describe("modelci promotion-check", () => {
  it("exits 0 when the simulated reviews pass the gate, 1 with what is missing", () => {
    const { dir } = promotionRepo();
    const common = ["promotion-check", "--root", dir, "--base", "main", "--author", "carol"];
    const pass = runCli([
      ...common,
      "--approvals",
      "bob",
      "--teams",
      "@acme/forecasting=bob,dave",
      "--now",
      SOAKED,
    ]);
    expect(pass.stderr).toBe("");
    expect(pass.code).toBe(0);
    expect(pass.stdout).toMatch(/^✓ All 6 rules met\n {2}Judged by the policy in base `[0-9a-f]{7}`/);
    expect(pass.stdout).toContain("✓ Owners' approval    1 of 1 approval");

    const missing = runCli([...common, "--approvals", "carol", "--now", "2025-03-03T03:12:00Z"]);
    expect(missing.code).toBe(1);
    expect(missing.stdout.split("\n")[0]).toBe("✗ 2 of 6 rules missing");
    expect(missing.stdout).toContain("Not counted: carol is the author.");
    expect(missing.stdout).toContain(
      "What to do next:\n  - weather → production, owners' approval: needs 1 more approval from @acme/forecasting or alice\n" +
        "  - weather → production, soak time: wait until 2025-03-04T00:00:00Z, then run the check again\n",
    );
  });

  it("verifies the stored bytes of a local store committed in git, and fails when the head changed them", () => {
    const sha = createHash("sha256").update("model 8").digest("hex");
    const stored = `artifacts/sha256/${sha.slice(0, 2)}/${sha}`;
    const store = (bytes: string) => (dir: string) => {
      mkdirSync(join(dir, dirname(stored)), { recursive: true });
      writeFileSync(join(dir, stored), bytes);
    };
    const args = (dir: string) => [
      "promotion-check",
      "--root",
      dir,
      "--base",
      "main",
      "--approvals",
      "alice",
      "--now",
      SOAKED,
    ];

    const intact = promotionRepo({ onBase: (dir) => store("model 8")(dir) });
    const pass = runCli(args(intact.dir));
    expect(pass.code).toBe(0);
    expect(pass.stdout).toContain(
      `the stored bytes (${stored} at the head commit) match it; deploy verifies them again`,
    );

    const tampered = promotionRepo({ onBase: store("model 8"), edit: store("not the registered model") });
    const fail = runCli(args(tampered.dir));
    expect(fail.code).toBe(1);
    const found = createHash("sha256").update("not the registered model").digest("hex");
    expect(fail.stdout).toContain(
      `the stored artifact (${stored} at the head commit) has sha256 ${found.slice(0, 12)}…, not the ${sha.slice(0, 12)}… that models/weather/versions/8.yaml records: its bytes changed after registration`,
    );
    expect(fail.stdout).not.toContain("unchanged since registration");
  });

  it("says deploy verifies the bytes when the store is out of its reach", () => {
    const { dir } = promotionRepo();
    const result = runCli([
      "promotion-check",
      "--root",
      dir,
      "--base",
      "main",
      "--approvals",
      "alice",
      "--now",
      SOAKED,
    ]);
    expect(result.stdout).toContain("the local store has no artifacts/sha256/");
    expect(result.stdout).toContain(
      "so the stored bytes are not read by this check; deploy verifies them against it before use",
    );
  });

  it("prints JSON, and blocks on a simulated request for changes", () => {
    const { dir, base, head } = promotionRepo();
    const result = runCli([
      "promotion-check",
      "--root",
      dir,
      "--base",
      base,
      "--head",
      head,
      "--approvals",
      "alice,bob",
      "--changes-requested",
      "@alice",
      "--now",
      SOAKED,
      "--json",
    ]);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({
      base,
      head,
      conclusion: "failure",
      title: "1 of 6 rules failed",
      counts: { met: 5, missing: 0, failed: 1, total: 6 },
    });
    expect(json.changes[0].change).toMatchObject({ kind: "deploy", model: "weather", target: "production" });
    expect(json.changes[0].rules[0]).toMatchObject({ id: "owners-approval", status: "failed" });
  });

  it("refuses bad options without a stack trace", () => {
    const { dir } = promotionRepo();
    const teams = runCli(["promotion-check", "--root", dir, "--base", "main", "--teams", "forecasting:bob"]);
    expect(teams.code).toBe(2);
    expect(teams.stderr).toBe(
      'modelci promotion-check: --teams expects @org/team=user,user; got "forecasting:bob"\n',
    );
    const noBase = runCli(["promotion-check", "--root", dir]);
    expect(noBase.code).toBe(2);
    const unknown = runCli(["promotion-check", "--root", dir, "--base", "nope"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown git revision "nope"');
    expect(`${teams.stderr}${unknown.stderr}`).not.toMatch(STACK_TRACE);
  });
});

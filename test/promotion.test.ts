import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collectPromotionInputs } from "../adapters/promotion/collect-promotion-inputs.ts";
import { findServedSince } from "../adapters/promotion/find-served-since.ts";
import {
  evaluatePromotion,
  type PromotionEvaluation,
  type Review,
} from "../core/promotion/evaluate-promotion.ts";
import { renderPromotionCheck } from "../core/promotion/render-promotion-check.ts";
import {
  commitAt,
  FEATURES_INPUT,
  gitAt,
  METRICS_8,
  type PromotionRepo,
  promotionRepo,
  serve,
  versionYaml,
  writeVersion,
} from "./helpers/promotion-repo.ts";
import { editFile } from "./helpers/temp-repo.ts";

/** 30 hours after 8 went to staging: production's 24 h soak is over. */
const SOAKED = new Date("2025-03-04T06:00:00Z");
const TEAMS = new Map([["@acme/forecasting", new Set(["bob"])]]);

interface Scenario {
  reviews?: Review[];
  author?: string;
  teams?: Map<string, Set<string>>;
  now?: Date;
  head?: string;
}

async function evaluate(repo: PromotionRepo, scenario: Scenario = {}): Promise<PromotionEvaluation> {
  const inputs = await collectPromotionInputs(repo.dir, repo.base, scenario.head ?? repo.head);
  return evaluatePromotion({
    ...inputs,
    now: scenario.now ?? SOAKED,
    reviews: {
      reviews: scenario.reviews ?? [],
      author: scenario.author ?? "carol",
      headSha: inputs.headSha,
      teams: scenario.teams ?? TEAMS,
    },
  });
}

function approved(user: string, commit: string, at = "2025-03-03T02:00:00Z"): Review {
  return { user, state: "APPROVED", commit_id: commit, submitted_at: at };
}

function rule(evaluation: PromotionEvaluation, id: string, change = 0) {
  const found = evaluation.changes[change]?.rules.find((r) => r.id === id);
  if (found === undefined) throw new Error(`no rule ${id} in change ${change}`);
  return found;
}

describe("the promotion gate", () => {
  it("passes a soaked, gated, approved promotion, with every rule explained", async () => {
    const repo = promotionRepo();
    const evaluation = await evaluate(repo, { reviews: [approved("bob", repo.head)] });
    expect(evaluation.conclusion).toBe("success");
    expect(evaluation.title).toBe("All 6 rules met");
    expect(evaluation.changes).toHaveLength(1);
    const [change] = evaluation.changes;
    expect(change?.heading).toBe("weather → production: 7 → 8");
    expect(change?.rules.map((r) => [r.id, r.status])).toEqual([
      ["owners-approval", "met"],
      ["stage-order", "met"],
      ["soak-time", "met"],
      ["metric-gates", "met"],
      ["artifact-integrity", "met"],
      ["signature", "met"],
    ]);
    expect(rule(evaluation, "owners-approval").detail).toBe(
      "1 of 1 approval (weather's policy in the base) from @acme/forecasting or alice: bob (via @acme/forecasting).",
    );
    expect(rule(evaluation, "soak-time").detail).toBe(
      "version 8 has served in staging for 30 h (since 2025-03-03T00:00:00Z); production needs 24 h",
    );
    expect(rule(evaluation, "metric-gates").detail).toContain(
      "✓ f1_macro regression ≤ 0.02: f1_macro rose 0.020 (0.47 in 7 → 0.49 in 8)",
    );
    expect(rule(evaluation, "metric-gates").detail).toContain("compared strictly");
    expect(rule(evaluation, "signature").detail).toBe("inputs and outputs match version 7");
  });

  it("never counts the author's own approval", async () => {
    const repo = promotionRepo();
    const evaluation = await evaluate(repo, { author: "alice", reviews: [approved("alice", repo.head)] });
    const approval = rule(evaluation, "owners-approval");
    expect(approval.status).toBe("missing");
    expect(approval.detail).toContain("Not counted: alice is the author");
    expect(approval.next).toBe("needs 1 more approval from @acme/forecasting");
    expect(evaluation.title).toBe("1 of 6 rules missing");
    expect(evaluation.conclusion).toBe("failure");
  });

  it("drops an approval when new commits arrive", async () => {
    const repo = promotionRepo();
    editFile(join(repo.dir, "deployments/production.yaml"), (text) => `${text}# reviewed\n`);
    const head = commitAt(repo.dir, "2025-03-03T03:00:00Z", "touch up");
    const evaluation = await evaluate(repo, { head, reviews: [approved("bob", repo.head)] });
    const approval = rule(evaluation, "owners-approval");
    expect(approval.status).toBe("missing");
    expect(approval.detail).toContain(`bob approved ${repo.head.slice(0, 7)}, not the head commit`);
    expect(approval.next).toBe(
      "needs 1 more approval from @acme/forecasting or alice; bob approved an earlier commit and must approve again",
    );
  });

  it("ignores approvals from users who are not owners", async () => {
    const repo = promotionRepo();
    const evaluation = await evaluate(repo, { reviews: [approved("dave", repo.head)] });
    const approval = rule(evaluation, "owners-approval");
    expect(approval.status).toBe("missing");
    expect(approval.detail).toContain("Not counted: dave is not an owner");
    expect(approval.next).toBe("needs 1 more approval from @acme/forecasting or alice");
  });

  it("counts an owner through team membership, case-insensitively, and only with the membership", async () => {
    const repo = promotionRepo();
    const viaTeam = await evaluate(repo, {
      reviews: [approved("Bob", repo.head)],
      teams: new Map([["@Acme/Forecasting", new Set(["BOB"])]]),
    });
    expect(rule(viaTeam, "owners-approval").status).toBe("met");
    const noTeams = await evaluate(repo, { reviews: [approved("bob", repo.head)], teams: new Map() });
    expect(rule(noTeams, "owners-approval").detail).toContain("bob is not an owner");
  });

  it("blocks on an owner's later request for changes, and counts only each reviewer's latest verdict", async () => {
    const repo = promotionRepo();
    const changes = (user: string, at: string): Review => ({
      user,
      state: "CHANGES_REQUESTED",
      commit_id: repo.head,
      submitted_at: at,
    });
    const blocked = await evaluate(repo, {
      reviews: [
        approved("bob", repo.head),
        approved("alice", repo.head),
        changes("alice", "2025-03-03T05:00:00Z"),
      ],
    });
    const approval = rule(blocked, "owners-approval");
    expect(approval.status).toBe("failed");
    expect(approval.detail).toContain("Changes requested by alice");
    expect(approval.next).toBe(
      "alice requested changes: they must approve the head commit, or their review must be dismissed",
    );
    expect(blocked.title).toBe("1 of 6 rules failed");

    const resolved = await evaluate(repo, {
      reviews: [
        changes("alice", "2025-03-03T01:30:00Z"),
        approved("alice", repo.head, "2025-03-03T04:00:00Z"),
        { user: "alice", state: "COMMENTED", commit_id: repo.head, submitted_at: "2025-03-03T05:00:00Z" },
      ],
    });
    expect(rule(resolved, "owners-approval").status).toBe("met");
    const dismissed = await evaluate(repo, {
      reviews: [
        { user: "bob", state: "DISMISSED", commit_id: repo.head, submitted_at: "2025-03-03T02:00:00Z" },
      ],
    });
    expect(rule(dismissed, "owners-approval").status).toBe("missing");
  });

  it("fails a promotion that skips a stage", async () => {
    const repo = promotionRepo({ stagedEight: false });
    const evaluation = await evaluate(repo, { reviews: [approved("bob", repo.head)] });
    const stage = rule(evaluation, "stage-order");
    expect(stage.status).toBe("failed");
    expect(stage.detail).toBe(
      "version 8 has not served in staging; weather is promoted staging → production",
    );
    expect(stage.next).toBe("promote weather 8 to staging first, in its own pull request");
    expect(rule(evaluation, "soak-time").status).toBe("missing");
    expect(evaluation.title).toBe("2 of 6 rules not met: 1 failed, 1 missing");
  });

  it("waits for the soak time, counted from the commit that put the version in the previous stage", async () => {
    const repo = promotionRepo();
    const early = await evaluate(repo, {
      reviews: [approved("bob", repo.head)],
      now: new Date("2025-03-03T03:12:00Z"),
    });
    const soak = rule(early, "soak-time");
    expect(soak.status).toBe("missing");
    expect(soak.detail).toBe(
      "version 8 has served in staging for 3.2 h (since 2025-03-03T00:00:00Z); production needs 24 h, 20.8 h to go",
    );
    expect(soak.next).toBe("wait until 2025-03-04T00:00:00Z, then run the check again");
    expect(early.recheckAt?.toISOString()).toBe("2025-03-04T00:00:00.000Z");
    const onTime = await evaluate(repo, {
      reviews: [approved("bob", repo.head)],
      now: new Date("2025-03-04T00:00:00Z"),
    });
    expect(rule(onTime, "soak-time").status).toBe("met");
    expect(onTime.recheckAt).toBeUndefined();
  });

  it("fails a version whose registered metrics fail a gate against the champion", async () => {
    const repo = promotionRepo({ v8: { metrics: { ...METRICS_8, f1_macro: 0.44, latency_p99_ms: 16 } } });
    const evaluation = await evaluate(repo, { reviews: [approved("bob", repo.head)] });
    const gates = rule(evaluation, "metric-gates");
    expect(gates.status).toBe("failed");
    expect(gates.detail).toContain(
      "✗ f1_macro regression ≤ 0.02: f1_macro fell 0.030, more than the 0.02 allowed (0.47 in 7 → 0.44 in 8)",
    );
    expect(gates.detail).toContain("✗ latency_p99_ms ≤ 15: latency_p99_ms 16.0, above the 15 allowed");
    expect(gates.detail).toContain("✓ log_loss regression ≤ 5%: log_loss fell 0.020 (0.88 in 7 → 0.86 in 8)");
    expect(gates.detail).toContain("champion: version 7 in production");
    expect(gates.next).toContain("version 8 fails 2 gates");
  });

  it("judges a PR that weakens the policy by the base policy", async () => {
    const repo = promotionRepo({
      edit: (dir) =>
        editFile(join(dir, "models/weather/model.yaml"), (text) =>
          text
            .replace("approvals: 1", "approvals: 0")
            .replace("soak-hours: { production: 24 }", "soak-hours: {}"),
        ),
    });
    const early = new Date("2025-03-03T03:12:00Z");
    const evaluation = await evaluate(repo, { now: early });
    expect(evaluation.changes.map((c) => c.heading)).toEqual([
      "weather → production: 7 → 8",
      "weather policy: models/weather/model.yaml changed",
    ]);
    expect(rule(evaluation, "owners-approval").status).toBe("missing");
    expect(rule(evaluation, "soak-time").status).toBe("missing");
    const policy = rule(evaluation, "owners-approval", 1);
    expect(policy.status).toBe("missing");
    expect(policy.next).toBe("needs 1 more approval from @acme/forecasting or alice");
    const approvedNow = await evaluate(repo, { now: early, reviews: [approved("alice", repo.head)] });
    expect(approvedNow.counts).toEqual({ met: 6, missing: 1, failed: 0, total: 7 });
  });

  it("needs one more approval for a breaking signature", async () => {
    const repo = promotionRepo({ v8: { inputs: [{ ...FEATURES_INPUT, shape: ["batch", 5] }] } });
    const one = await evaluate(repo, { reviews: [approved("bob", repo.head)] });
    const approval = rule(one, "owners-approval");
    expect(approval.status).toBe("missing");
    expect(approval.detail).toContain(
      "1 of 2 approvals (weather's policy in the base, +1 for a breaking signature)",
    );
    const signature = rule(one, "signature");
    expect(signature.status).toBe("missing");
    expect(signature.detail).toBe(
      "breaking change from version 7 (served in production): input `features` shape [N, 4] → [batch, 5]; needs 1 extra owner approval",
    );
    const two = await evaluate(repo, { reviews: [approved("bob", repo.head), approved("alice", repo.head)] });
    expect(two.conclusion).toBe("success");
    expect(rule(two, "signature").status).toBe("met");
  });

  it("fails when a registered version file is tampered with", async () => {
    const repo = promotionRepo({
      edit: (dir) => {
        editFile(join(dir, "models/weather/versions/7.yaml"), (t) =>
          t.replace("accuracy: 0.64", "accuracy: 0.5"),
        );
        editFile(join(dir, "models/weather/versions/8.yaml"), (t) =>
          t.replace("accuracy: 0.66", "accuracy: 0.9"),
        );
      },
    });
    const evaluation = await evaluate(repo, { reviews: [approved("bob", repo.head)] });
    const integrity = rule(evaluation, "artifact-integrity");
    expect(integrity.status).toBe("failed");
    expect(integrity.detail).toMatch(
      /^models\/weather\/versions\/8\.yaml changed after registration \(blob [0-9a-f]{7} → [0-9a-f]{7}\)$/,
    );
    expect(evaluation.changes[1]?.heading).toBe("weather version 7: models/weather/versions/7.yaml changed");
    expect(rule(evaluation, "artifact-integrity", 1).status).toBe("failed");
    expect(evaluation.conclusion).toBe("failure");
  });

  it("judges a canary by the version it brings in, and passes a change with no promotion", async () => {
    const repo = promotionRepo();
    serve(repo.dir, "production", [
      [7, 90],
      [8, 10],
    ]);
    const canary = commitAt(repo.dir, "2025-03-03T02:00:00Z", "canary instead");
    const evaluation = await evaluate(repo, { head: canary, reviews: [approved("bob", canary)] });
    expect(evaluation.changes[0]?.heading).toBe("weather → production: 7 → 7 (90%) + 8 (10%)");
    expect(evaluation.conclusion).toBe("success");

    gitAt(repo.dir, undefined, "checkout", "-q", "-b", "docs", repo.base);
    writeFileSync(join(repo.dir, "NOTES.md"), "notes\n");
    const docs = commitAt(repo.dir, "2025-03-03T02:00:00Z", "docs");
    const none = await evaluate(repo, { head: docs });
    expect(none).toMatchObject({ conclusion: "success", title: "No promotion in this change", changes: [] });
  });

  it("judges a new model by the default policy, and a removal by the owners", async () => {
    const repo = promotionRepo({
      edit: (dir) => {
        mkdirSync(join(dir, "models/rain/versions"), { recursive: true });
        writeFileSync(
          join(dir, "models/rain/model.yaml"),
          "task: classification\nowners: [erin]\nprimary-metric: f1_macro\n",
        );
        writeFileSync(join(dir, "models/rain/versions/1.yaml"), versionYaml(1));
        serve(dir, "staging", undefined);
        editFile(join(dir, "deployments/production.yaml"), (text) =>
          text.replace(/^models: .*$/m, "models: { weather: { version: 8 }, rain: { version: 1 } }"),
        );
      },
    });
    const evaluation = await evaluate(repo, {
      reviews: [approved("bob", repo.head), approved("erin", repo.head)],
    });
    expect(evaluation.changes.map((c) => c.heading)).toEqual([
      "rain → production: nothing → 1",
      "weather → production: 7 → 8",
      "weather → staging: 8 → nothing",
      "rain policy: models/rain/model.yaml added",
    ]);
    expect(rule(evaluation, "owners-approval").detail).toBe(
      "1 of 1 approval (rain is new: the default policy with the owners in the head) from erin: erin. Not counted: bob is not an owner.",
    );
    expect(rule(evaluation, "stage-order").status).toBe("failed");
    expect(rule(evaluation, "metric-gates").detail).toBe("rain declares no gates");
    expect(evaluation.changes[2]?.rules.map((r) => [r.id, r.status])).toEqual([["owners-approval", "met"]]);
  });

  it("renders the check run output with a table and what to do next", async () => {
    const repo = promotionRepo();
    const evaluation = await evaluate(repo, { now: new Date("2025-03-03T03:12:00Z") });
    const output = renderPromotionCheck(evaluation, { base: repo.base, head: repo.head });
    expect(output.title).toBe("2 of 6 rules missing");
    expect(output.summary).toContain(
      "### weather → production: 7 → 8\n\n| rule | status | detail |\n|---|---|---|",
    );
    expect(output.summary).toContain("| Soak time | ⏳ missing | version 8 has served in staging for 3.2 h");
    expect(output.summary).toContain(
      "### What to do next\n\n- weather → production, owners' approval: needs 1 more approval from @acme/forecasting or alice",
    );
    expect(output.summary).toContain(`Judged by the policy in base \`${repo.base.slice(0, 7)}\``);
  });
});

describe("findServedSince", () => {
  it("counts from the merge into the base branch, follows renames, and restarts after a removal", async () => {
    const repo = promotionRepo({ stagedEight: false });
    gitAt(repo.dir, undefined, "checkout", "-q", "main");
    gitAt(repo.dir, undefined, "checkout", "-q", "-b", "stage-8");
    serve(repo.dir, "staging", 8);
    commitAt(repo.dir, "2025-03-02T06:00:00Z", "stage 8 on a branch");
    gitAt(repo.dir, undefined, "checkout", "-q", "main");
    gitAt(
      repo.dir,
      "2025-03-05T00:00:00Z",
      "merge",
      "-q",
      "--no-ff",
      "--no-gpg-sign",
      "stage-8",
      "-m",
      "merge",
    );
    gitAt(repo.dir, undefined, "mv", "deployments/production.yaml", "deployments/prod.yaml");
    commitAt(repo.dir, "2025-03-06T00:00:00Z", "rename production to prod");
    const since = await findServedSince(repo.dir, "HEAD", [
      { name: "staging", file: "deployments/staging.yaml" },
      { name: "prod", file: "deployments/prod.yaml" },
    ]);
    expect(Object.fromEntries([...since].map(([k, d]) => [k, d.toISOString()]))).toEqual({
      "staging@weather@8": "2025-03-05T00:00:00.000Z",
      "prod@weather@7": "2025-03-01T00:00:00.000Z",
    });

    serve(repo.dir, "staging", undefined);
    commitAt(repo.dir, "2025-03-07T00:00:00Z", "take 8 out");
    writeVersion(repo.dir, 9);
    serve(repo.dir, "staging", 8);
    commitAt(repo.dir, "2025-03-08T00:00:00Z", "put 8 back");
    const again = await findServedSince(repo.dir, "HEAD", [
      { name: "staging", file: "deployments/staging.yaml" },
    ]);
    expect(again.get("staging@weather@8")?.toISOString()).toBe("2025-03-08T00:00:00.000Z");
  });
});

import type { Project } from "../declarations/project.ts";
import {
  checkArtifactIntegrity,
  checkVersionFileEdit,
  type StoredArtifactCheck,
} from "./check-artifact-integrity.ts";
import { checkOwnersApproval, type ReviewInputs } from "./check-owners-approval.ts";
import { describeServed } from "./describe-served.ts";
import { evaluateDeploy, type JudgedChange } from "./evaluate-deploy.ts";
import { type FileDigests, findPromotions, type PromotionChange } from "./find-promotions.ts";
import { makeRule, type PromotionRule } from "./promotion-rule.ts";
import { type Policy, resolvePolicy } from "./resolve-policy.ts";

/** Everything the promotion gate judges, as data. The Probot app and the CLI each gather it. */
export interface PromotionInputs {
  /** Declarations at the pull request's base commit: the policy, and what serves where now. */
  base: Project;
  /** Declarations at the head commit: only what is proposed. */
  head: Project;
  /** Paths the pull request changes against its merge base, relative to the repository folder. */
  changed: readonly string[];
  /** Git blob ids of the files under models/ at the base and the head. */
  digests: FileDigests;
  /**
   * The sha256 of each promoted version's stored artifact bytes, by `model@version`, where the
   * caller could read them (the CLI reads a local store at the head commit, or on disk). Absent
   * (the App, which reads no artifact bytes): the rule says deploy verifies the bytes.
   */
  stored?: ReadonlyMap<string, StoredArtifactCheck>;
  /** `target@model@version` → when that version started serving there (commit date on the base branch). */
  servedSince: ReadonlyMap<string, Date>;
  now: Date;
  reviews: ReviewInputs;
}

/** One proposed change and the rules it was judged by. */
export interface EvaluatedChange {
  change: PromotionChange;
  /** `weather → production: 7 → 8`. */
  heading: string;
  rules: PromotionRule[];
}

export interface PromotionEvaluation {
  conclusion: "success" | "failure";
  /** `2 of 5 rules missing`. */
  title: string;
  counts: { met: number; missing: number; failed: number; total: number };
  changes: EvaluatedChange[];
  /** When a soak rule that only waits for time will be met: evaluate again then. */
  recheckAt?: Date;
}

function heading(change: PromotionChange): string {
  switch (change.kind) {
    case "deploy":
      return `${change.model} → ${change.target}${change.newTarget ? " (new target)" : ""}: ${describeServed(change.from)} → ${describeServed(change.to)}`;
    case "undeploy":
      return `${change.model} → ${change.target}: ${describeServed(change.from)} → nothing${change.targetRemoved ? " (target removed)" : ""}`;
    case "policy":
      return `${change.model} policy: ${change.file} ${change.edit}`;
    case "version-file":
      return `${change.model} version ${change.version}: ${change.file} ${change.edit}`;
  }
}

function approvalOnly(policy: Policy, inputs: PromotionInputs, atLeastOne = false): PromotionRule {
  const required = atLeastOne ? Math.max(1, policy.promotion.approvals) : policy.promotion.approvals;
  return checkOwnersApproval({ owners: policy.owners, required, reason: policy.source }, inputs.reviews);
}

function judge(change: PromotionChange, inputs: PromotionInputs): JudgedChange {
  if (change.kind === "version-file" && change.edit !== "added") {
    return { rules: [checkVersionFileEdit(change.file, change.edit, inputs.digests)] };
  }
  const policy = resolvePolicy(inputs.base, inputs.head, change.model);
  if (policy === undefined) {
    const detail = `no readable policy for ${change.model}: its model.yaml is missing or invalid in the base`;
    return {
      rules: [makeRule("owners-approval", "failed", detail, "run `modelci validate` on the base branch")],
    };
  }
  switch (change.kind) {
    case "deploy":
      return evaluateDeploy(change, policy, inputs);
    case "undeploy":
      return { rules: [approvalOnly(policy, inputs)] };
    case "policy":
      // A policy edit needs an owner even when the policy asks for no approvals to promote.
      return { rules: [approvalOnly(policy, inputs, true)] };
    case "version-file": {
      const { base, head, digests, stored } = inputs;
      const key = `${change.model}@${change.version}`;
      const integrity = checkArtifactIntegrity(
        base,
        head,
        change.model,
        change.version,
        digests,
        stored?.get(key),
      );
      return { rules: [approvalOnly(policy, inputs, true), integrity] };
    }
  }
}

function titleOf(counts: PromotionEvaluation["counts"], changes: number): string {
  const { missing, failed, total } = counts;
  const rules = `${total} rule${total === 1 ? "" : "s"}`;
  if (changes === 0) return "No promotion in this change";
  if (missing === 0 && failed === 0) return total === 1 ? "The 1 rule is met" : `All ${rules} met`;
  if (failed === 0) return `${missing} of ${rules} missing`;
  if (missing === 0) return `${failed} of ${rules} failed`;
  return `${failed + missing} of ${rules} not met: ${failed} failed, ${missing} missing`;
}

/**
 * The promotion gate: finds what a pull request proposes and judges each change by the policy in
 * the base. Pure: the caller fetches reviews, team members and git history.
 */
export function evaluatePromotion(inputs: PromotionInputs): PromotionEvaluation {
  const found = findPromotions(inputs.base, inputs.head, inputs.changed, inputs.digests);
  // A version file added and promoted in the same change is judged with the promotion.
  const promoted = new Set(
    found.flatMap((c) => (c.kind === "deploy" ? c.incoming.map((v) => `${c.model}@${v}`) : [])),
  );
  const changes: EvaluatedChange[] = [];
  let recheckAt: Date | undefined;
  for (const change of found) {
    if (
      change.kind === "version-file" &&
      change.edit === "added" &&
      promoted.has(`${change.model}@${change.version}`)
    )
      continue;
    const judged = judge(change, inputs);
    if (judged.recheckAt && (recheckAt === undefined || judged.recheckAt < recheckAt))
      recheckAt = judged.recheckAt;
    changes.push({ change, heading: heading(change), rules: judged.rules });
  }
  const rules = changes.flatMap((c) => c.rules);
  const counts = {
    met: rules.filter((r) => r.status === "met").length,
    missing: rules.filter((r) => r.status === "missing").length,
    failed: rules.filter((r) => r.status === "failed").length,
    total: rules.length,
  };
  const conclusion = counts.met === counts.total ? "success" : "failure";
  const evaluation: PromotionEvaluation = {
    conclusion,
    title: titleOf(counts, changes.length),
    counts,
    changes,
  };
  if (recheckAt !== undefined) evaluation.recheckAt = recheckAt;
  return evaluation;
}

export type { StoredArtifactCheck } from "./check-artifact-integrity.ts";
export type { Review, ReviewInputs, ReviewState } from "./check-owners-approval.ts";
export type { FileDigests, PromotionChange } from "./find-promotions.ts";
export type { PromotionRule, RuleId, RuleStatus } from "./promotion-rule.ts";

/** One row of the promotion gate: a rule, whether it holds, and what would make it hold. */

export type RuleStatus = "met" | "missing" | "failed";

export type RuleId =
  | "owners-approval"
  | "stage-order"
  | "soak-time"
  | "metric-gates"
  | "artifact-integrity"
  | "signature";

export interface PromotionRule {
  id: RuleId;
  title: string;
  /**
   * `met`: holds now. `missing`: not yet, but it can come true without changing the PR (an
   * approval, time passing). `failed`: the PR as it stands breaks the policy.
   */
  status: RuleStatus;
  /** What was checked and found, in plain language. */
  detail: string;
  /** What someone can do about it; only when the rule is not met. */
  next?: string;
}

export const RULE_TITLES: Record<RuleId, string> = {
  "owners-approval": "Owners' approval",
  "stage-order": "Stage order",
  "soak-time": "Soak time",
  "metric-gates": "Metric gates",
  "artifact-integrity": "Artifact integrity",
  signature: "Signature",
};

/** A rule row; `next` is dropped when the rule is met. */
export function makeRule(id: RuleId, status: RuleStatus, detail: string, next?: string): PromotionRule {
  const rule: PromotionRule = { id, title: RULE_TITLES[id], status, detail };
  if (status !== "met" && next !== undefined) rule.next = next;
  return rule;
}

/** `1 approval`, `2 approvals`. */
export function countOf(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Hours with one decimal, without a trailing `.0`: `3.2 h`, `24 h`. */
export function formatHours(hours: number): string {
  const rounded = Math.round(hours * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)} h`;
}

/** ISO 8601 to the second: `2025-03-04T00:00:00Z`. */
export function formatTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

import { classifyGitHubError } from "../../adapters/github/classify-github-error.ts";
import { endSentence } from "../../core/format/end-sentence.ts";
import { evaluatePromotion } from "../../core/promotion/evaluate-promotion.ts";
import { type CheckOutput, renderPromotionCheck } from "../../core/promotion/render-promotion-check.ts";
import type { PullInputs } from "./collect-pull-inputs.ts";
import type { PullRef } from "./pull-ref.ts";

export interface GateOutput extends CheckOutput {
  conclusion: "success" | "failure";
  /** When only soak time is missing somewhere: evaluate again then. */
  recheckAt?: Date;
}

const MAX_ERRORS = 50;

/** The check run for what the gate collected: the evaluation, or why it cannot judge. */
export function renderGateOutput(collected: PullInputs, pull: PullRef): GateOutput {
  const context = { base: pull.baseSha, head: pull.headSha };
  if (collected.kind === "invalid") {
    const shown = collected.errors.slice(0, MAX_ERRORS);
    const more = collected.errors.length - shown.length;
    const summary = [
      `The promotion gate cannot judge this pull request: the declarations at the ${collected.side} commit \`${collected.sha.slice(0, 7)}\` are invalid.`,
      "",
      "```",
      ...shown,
      ...(more > 0 ? [`… and ${more} more`] : []),
      "```",
      "",
      collected.side === "head"
        ? "Fix them in this pull request (`modelci validate` lists the same errors)."
        : "Fix them on the base branch first; the policy is read from there.",
    ].join("\n");
    return { conclusion: "failure", title: `Declarations are invalid in the ${collected.side}`, summary };
  }
  const evaluation =
    collected.kind === "none"
      ? {
          conclusion: "success" as const,
          title: "No promotion in this change",
          counts: { met: 0, missing: 0, failed: 0, total: 0 },
          changes: [],
        }
      : evaluatePromotion(collected.inputs);
  const output: GateOutput = {
    conclusion: evaluation.conclusion,
    ...renderPromotionCheck(evaluation, context),
  };
  if ("recheckAt" in evaluation && evaluation.recheckAt !== undefined)
    output.recheckAt = evaluation.recheckAt;
  return output;
}

/** The check run when the evaluation itself failed (GitHub unavailable, an unreadable tree). */
export function renderGateError(error: unknown): GateOutput {
  const { message } = classifyGitHubError(error);
  return {
    conclusion: "failure",
    title: "The promotion gate could not evaluate",
    summary: `The promotion gate could not read what it judges: ${endSentence(message)}\n\nUse **Re-run** on this check to evaluate again.`,
  };
}

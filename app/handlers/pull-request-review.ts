import type { Context } from "probot";
import type { AppState } from "../app-state.ts";
import { pullRefOf } from "../gate/pull-ref.ts";
import { runPromotionGate } from "../gate/run-promotion-gate.ts";

export const PULL_REQUEST_REVIEW_EVENTS = [
  "pull_request_review.submitted",
  "pull_request_review.dismissed",
  "pull_request_review.edited",
] as const;

/** A review submitted, dismissed or edited: approvals changed, judge again. */
export function onPullRequestReview(state: AppState) {
  return async (context: Context<(typeof PULL_REQUEST_REVIEW_EVENTS)[number]>): Promise<void> => {
    const { payload, log } = context;
    const repo = { owner: payload.repository.owner.login, repo: payload.repository.name };
    const pull = pullRefOf(payload.pull_request, repo);
    if (!pull.open || pull.draft) {
      log.debug(`#${pull.number} is ${pull.open ? "a draft" : "closed"}; a review changes nothing to judge`);
      return;
    }
    await runPromotionGate(context.octokit, log, state, pull);
  };
}

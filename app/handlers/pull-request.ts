import type { Context } from "probot";
import type { AppState } from "../app-state.ts";
import { pullRefOf } from "../gate/pull-ref.ts";
import { runPromotionGate } from "../gate/run-promotion-gate.ts";

export const PULL_REQUEST_EVENTS = [
  "pull_request.opened",
  "pull_request.synchronize",
  "pull_request.reopened",
  "pull_request.ready_for_review",
  "pull_request.edited",
] as const;

/** A pull request opened, pushed to, reopened, marked ready, or retargeted: judge its head. */
export function onPullRequest(state: AppState) {
  return async (context: Context<(typeof PULL_REQUEST_EVENTS)[number]>): Promise<void> => {
    const { payload, log } = context;
    const repo = { owner: payload.repository.owner.login, repo: payload.repository.name };
    const pull = pullRefOf(payload.pull_request, repo);
    if (payload.action === "edited" && !("base" in (payload.changes ?? {}))) {
      log.debug(`#${pull.number}: title or body edited, not the base branch; nothing to judge`);
      return;
    }
    if (pull.draft) {
      log.debug(`#${pull.number} is a draft; the gate judges it when it is ready for review`);
      return;
    }
    if (!pull.open) {
      log.debug(`#${pull.number} is closed`);
      return;
    }
    await runPromotionGate(context.octokit, log, state, pull);
  };
}

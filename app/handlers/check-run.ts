import type { Context } from "probot";
import type { AppState } from "../app-state.ts";
import { runPromotionGate } from "../gate/run-promotion-gate.ts";
import { PROMOTION_CHECK, RERUN_ACTION } from "../github/create-promotion-check.ts";
import { findOpenPulls } from "../github/find-open-pulls.ts";

export const CHECK_RUN_EVENTS = ["check_run.rerequested", "check_run.requested_action"] as const;

/** "Re-run" on the promotion check (the check's button, or GitHub's re-run): judge its pull requests again. */
export function onCheckRun(state: AppState) {
  return async (context: Context<(typeof CHECK_RUN_EVENTS)[number]>): Promise<void> => {
    const { payload, log } = context;
    const run = payload.check_run;
    if (run.name !== PROMOTION_CHECK) {
      log.debug(`check run ${run.name} is not the promotion gate`);
      return;
    }
    if (state.appId !== undefined && run.app?.id !== state.appId) {
      log.debug(`check run ${run.id} belongs to another app`);
      return;
    }
    if (
      payload.action === "requested_action" &&
      payload.requested_action?.identifier !== RERUN_ACTION.identifier
    ) {
      log.debug(`unknown check run action ${payload.requested_action?.identifier}`);
      return;
    }
    const repo = { owner: payload.repository.owner.login, repo: payload.repository.name };
    const pulls = await findOpenPulls(context.octokit, repo, run.pull_requests, run.head_sha);
    if (pulls.length === 0) log.debug(`no open pull request has ${run.head_sha.slice(0, 7)} as its head`);
    for (const pull of pulls) await runPromotionGate(context.octokit, log, state, pull);
  };
}

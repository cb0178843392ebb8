import type { Context } from "probot";
import type { AppState } from "../app-state.ts";
import { runPromotionGate } from "../gate/run-promotion-gate.ts";
import { findOpenPulls } from "../github/find-open-pulls.ts";

export const CHECK_SUITE_EVENTS = ["check_suite.requested", "check_suite.rerequested"] as const;

/** A new commit's check suite, or "Re-run all checks": judge the pull requests whose head it is. */
export function onCheckSuite(state: AppState) {
  return async (context: Context<(typeof CHECK_SUITE_EVENTS)[number]>): Promise<void> => {
    const { payload, log } = context;
    const suite = payload.check_suite;
    if (payload.action === "requested" && suite.pull_requests.length === 0) {
      // A push to a branch without a pull request of this repository (forks: pull_request.synchronize).
      log.debug(`check suite ${suite.id} belongs to no pull request`);
      return;
    }
    const repo = { owner: payload.repository.owner.login, repo: payload.repository.name };
    const pulls = await findOpenPulls(context.octokit, repo, suite.pull_requests, suite.head_sha);
    if (pulls.length === 0) log.debug(`no open pull request has ${suite.head_sha.slice(0, 7)} as its head`);
    for (const pull of pulls) await runPromotionGate(context.octokit, log, state, pull);
  };
}

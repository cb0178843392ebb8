import type { Context } from "probot";
import { judgeDeployment } from "../../core/promotion/judge-deployment.ts";
import type { AppState } from "../app-state.ts";
import { collectDeploymentFacts } from "../deploy/collect-deployment-facts.ts";
import { createGitReader } from "../github/git-reader.ts";
import { reviewDeployment } from "../github/review-deployment.ts";

/**
 * The custom deployment protection rule: at deploy time, approve only what a passing promotion gate
 * approved, with every served version file unchanged; reject anything else. A redelivered request
 * is answered once.
 */
export function onDeploymentProtectionRule(state: AppState) {
  return async (context: Context<"deployment_protection_rule.requested">): Promise<void> => {
    const { payload, log } = context;
    const environment = payload.environment;
    const callbackUrl = payload.deployment_callback_url;
    const sha = payload.deployment?.sha;
    if (!environment || !callbackUrl || !sha) {
      log.warn("deployment protection rule request without environment, callback URL or deployment sha");
      return;
    }
    if (!state.deliveries.begin(context.id)) {
      log.debug(`delivery ${context.id} was handled already`);
      return;
    }
    try {
      const repo = { owner: payload.repository.owner.login, repo: payload.repository.name };
      const reader = createGitReader(context.octokit, repo, state.cache);
      const verdict =
        state.appId === undefined
          ? {
              state: "rejected" as const,
              comment: "modelci cannot tell its own check runs from others': the App runs without APP_ID.",
            }
          : judgeDeployment(
              await collectDeploymentFacts(context.octokit, reader, state.appId, environment, sha),
            );
      const done = await reviewDeployment(context.octokit, { ...repo, callbackUrl, environment, ...verdict });
      log.info(
        `${environment} @ ${sha.slice(0, 7)}: ${done === "already" ? "decided before" : verdict.state}: ${verdict.comment}`,
      );
    } catch (error) {
      state.deliveries.fail(context.id);
      throw error;
    }
  };
}

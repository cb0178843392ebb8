import type { ApplicationFunction, Context, Probot } from "probot";
import { type AppOptions, createAppState } from "./app-state.ts";
import { CHECK_RUN_EVENTS, onCheckRun } from "./handlers/check-run.ts";
import { CHECK_SUITE_EVENTS, onCheckSuite } from "./handlers/check-suite.ts";
import { onDeploymentProtectionRule } from "./handlers/deployment-protection-rule.ts";
import { onIssueComment } from "./handlers/issue-comment.ts";
import { onPullRequest, PULL_REQUEST_EVENTS } from "./handlers/pull-request.ts";
import { onPullRequestReview, PULL_REQUEST_REVIEW_EVENTS } from "./handlers/pull-request-review.ts";
import { onRepositoryDispatch } from "./handlers/repository-dispatch.ts";
import { onWorkflowRun } from "./handlers/workflow-run.ts";
import { sweepWatchdog } from "./retrain/sweep-watchdog.ts";
import { checkPayload } from "./webhooks/check-payload.ts";

/**
 * A handler that runs only on a payload with the fields it reads (schemas/webhook-payloads.ts);
 * any other is logged and ignored. The HTTP front checks the same before it hands a delivery over.
 */
function checked<C extends Context>(handler: (context: C) => Promise<void>) {
  return async (context: C): Promise<void> => {
    const problem = checkPayload(context.name, context.payload);
    if (problem !== undefined) {
      context.log.warn(`delivery ${context.id}: ignored: ${context.name} payload: ${problem}`);
      return;
    }
    await handler(context);
  };
}

/**
 * The modelci App: the promotion gate, the deployment protection rule, slash commands, and
 * retraining pull requests when drift checks fail.
 */
export function createApp(options: AppOptions = {}): ApplicationFunction {
  return (app: Probot) => {
    const state = createAppState(options);
    app.on([...PULL_REQUEST_EVENTS], checked(onPullRequest(state)));
    app.on([...PULL_REQUEST_REVIEW_EVENTS], checked(onPullRequestReview(state)));
    app.on([...CHECK_RUN_EVENTS], checked(onCheckRun(state)));
    app.on([...CHECK_SUITE_EVENTS], checked(onCheckSuite(state)));
    app.on("issue_comment.created", checked(onIssueComment(state)));
    app.on("deployment_protection_rule.requested", checked(onDeploymentProtectionRule(state)));
    app.on("workflow_run.completed", checked(onWorkflowRun(state)));
    app.on("repository_dispatch", checked(onRepositoryDispatch(state)));
    options.scheduleWatchdog?.(async () => {
      const stale = await sweepWatchdog(app, state, app.log);
      app.log.info(`drift watchdog: ${stale} targets whose drift checks stopped`);
    });
  };
}

export default createApp();

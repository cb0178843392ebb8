import type { Context } from "probot";
import type { z } from "zod";
import { isDriftCheck, readDriftCheckText } from "../../core/retrain/read-drift-check.ts";
import { workflowRunPayloadSchema } from "../../schemas/webhook-payloads.ts";
import type { AppState } from "../app-state.ts";
import type { Repo } from "../github/types.ts";
import { handleDriftResult } from "../retrain/handle-drift-result.ts";
import { watchDriftChecks } from "../retrain/watch-drift-checks.ts";

const payloadSchema = workflowRunPayloadSchema;

/**
 * A workflow run completed on the default branch. When it failed and its check suite holds a
 * `modelci/drift` check run with a drift result, each drifted model gets its retraining pull
 * request; other failed workflows (tests, builds) have no such check run and are ignored. A
 * completed drift workflow also lets the watchdog close its "not running" issues.
 */
export function onWorkflowRun(state: AppState) {
  return async (context: Context<"workflow_run.completed">): Promise<void> => {
    const { log } = context;
    const parsed = payloadSchema.safeParse(context.payload);
    if (!parsed.success) {
      log.warn(`ignored workflow_run delivery ${context.id}: ${parsed.error.issues[0]?.message}`);
      return;
    }
    const { workflow_run: run, repository } = parsed.data;
    if (run.head_branch !== repository.default_branch)
      return log.debug(`workflow run ${run.id} ran on ${run.head_branch}, not the default branch`);
    if (!state.deliveries.begin(context.id)) return log.debug(`delivery ${context.id} was handled already`);
    const repo = { owner: repository.owner.login, repo: repository.name };
    try {
      const checked = run.conclusion === "failure" && (await retrainOnDrift(context, state, run, repo));
      // A drift workflow completed: the watchdog may close its issues. After a failed check, only
      // where it left one open (the periodic sweep covers the rest), to keep the retraining budget.
      const key = `${repo.owner}/${repo.repo}`;
      const driftRun = checked || /drift/i.test(run.path ?? "");
      if (driftRun && (run.conclusion !== "failure" || state.watchdogIssues.has(key))) {
        const now = state.now();
        const statuses = await watchDriftChecks(context.octokit, repo, repository.default_branch, now);
        if (statuses.some((s) => s.stale)) state.watchdogIssues.add(key);
        else state.watchdogIssues.delete(key);
      }
    } catch (error) {
      state.deliveries.fail(context.id);
      throw error;
    }
  };
}

type Payload = z.output<typeof payloadSchema>;

/** Retraining pull requests from the run's `modelci/drift` check runs; false when it has none. */
async function retrainOnDrift(
  context: Context<"workflow_run.completed">,
  state: AppState,
  run: Payload["workflow_run"],
  repo: Repo,
): Promise<boolean> {
  const { log } = context;
  const { data } = await context.octokit.rest.checks.listForSuite({
    ...repo,
    check_suite_id: run.check_suite_id,
    per_page: 100,
  });
  const drift = data.check_runs.filter((check) => isDriftCheck(check.name));
  if (drift.length === 0) {
    log.debug(`workflow run ${run.id} has no modelci/drift check run`);
    return false;
  }
  for (const check of drift) {
    const text = readDriftCheckText(check.output.text);
    if (!text.ok) {
      log.warn(`check run ${check.id} (${check.name}): ${text.error}`);
      continue;
    }
    await handleDriftResult(context.octokit, log, state, {
      repo,
      defaultBranch: context.payload.repository.default_branch,
      result: text.value,
      runUrl: run.html_url,
    });
  }
  return true;
}

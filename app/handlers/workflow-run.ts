import type { Context } from "probot";
import { z } from "zod";
import { isDriftCheck, readDriftCheckText } from "../../core/retrain/read-drift-check.ts";
import type { AppState } from "../app-state.ts";
import { handleDriftResult } from "../retrain/handle-drift-result.ts";

/** The fields of a `workflow_run.completed` delivery this handler reads. */
const payloadSchema = z.looseObject({
  workflow_run: z.looseObject({
    id: z.number(),
    conclusion: z.string().nullable(),
    check_suite_id: z.number(),
    head_branch: z.string().nullable(),
    html_url: z.string(),
  }),
  repository: z.looseObject({
    name: z.string(),
    default_branch: z.string(),
    owner: z.looseObject({ login: z.string() }),
  }),
});

/**
 * A workflow run failed on the default branch: when its check suite holds a `modelci/drift` check
 * run with a drift result, each drifted model gets its retraining pull request. Other failed
 * workflows (tests, builds) are recognised by having no such check run and ignored.
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
    if (run.conclusion !== "failure") return log.debug(`workflow run ${run.id} did not fail`);
    if (run.head_branch !== repository.default_branch)
      return log.debug(`workflow run ${run.id} ran on ${run.head_branch}, not the default branch`);
    if (!state.deliveries.begin(context.id)) return log.debug(`delivery ${context.id} was handled already`);
    const repo = { owner: repository.owner.login, repo: repository.name };
    try {
      const { data } = await context.octokit.rest.checks.listForSuite({
        ...repo,
        check_suite_id: run.check_suite_id,
        per_page: 100,
      });
      const drift = data.check_runs.filter((check) => isDriftCheck(check.name));
      if (drift.length === 0) return log.debug(`workflow run ${run.id} has no modelci/drift check run`);
      for (const check of drift) {
        const text = readDriftCheckText(check.output.text);
        if (!text.ok) {
          log.warn(`check run ${check.id} (${check.name}): ${text.error}`);
          continue;
        }
        await handleDriftResult(context.octokit, log, state, {
          repo,
          defaultBranch: repository.default_branch,
          result: text.value,
          runUrl: run.html_url,
        });
      }
    } catch (error) {
      state.deliveries.fail(context.id);
      throw error;
    }
  };
}

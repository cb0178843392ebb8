import type { Context } from "probot";
import { repositoryDispatchPayloadSchema } from "../../schemas/webhook-payloads.ts";
import type { AppState } from "../app-state.ts";
import { handleDriftResult } from "../retrain/handle-drift-result.ts";

/** The event type an external monitor sends with the drift result as `client_payload`. */
export const DRIFT_DISPATCH = "modelci-drift";

const payloadSchema = repositoryDispatchPayloadSchema;

/**
 * `POST /repos/{owner}/{repo}/dispatches` with `event_type: modelci-drift` and the drift result as
 * `client_payload`: any monitor (not only actions/drift) can open retraining pull requests.
 */
export function onRepositoryDispatch(state: AppState) {
  return async (context: Context<"repository_dispatch">): Promise<void> => {
    const { log } = context;
    const parsed = payloadSchema.safeParse(context.payload);
    if (!parsed.success) {
      log.warn(`ignored repository_dispatch delivery ${context.id}: ${parsed.error.issues[0]?.message}`);
      return;
    }
    const { action, client_payload: result, repository } = parsed.data;
    if (action !== DRIFT_DISPATCH) return log.debug(`repository_dispatch ${action} is not for modelci`);
    if (!state.deliveries.begin(context.id)) return log.debug(`delivery ${context.id} was handled already`);
    try {
      await handleDriftResult(context.octokit, log, state, {
        repo: { owner: repository.owner.login, repo: repository.name },
        defaultBranch: repository.default_branch,
        result,
      });
    } catch (error) {
      state.deliveries.fail(context.id);
      throw error;
    }
  };
}

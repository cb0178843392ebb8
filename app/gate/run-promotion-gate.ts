import type { Logger } from "probot";
import type { AppState } from "../app-state.ts";
import { createPromotionCheck } from "../github/create-promotion-check.ts";
import { createGitReader } from "../github/git-reader.ts";
import type { GitHub } from "../github/types.ts";
import { collectPullInputs } from "./collect-pull-inputs.ts";
import type { PullRef } from "./pull-ref.ts";
import { type GateOutput, renderGateError, renderGateOutput } from "./render-gate-output.ts";

/**
 * Evaluates the promotion gate on a pull request and writes the `modelci/promotion` check run on
 * its head. Evaluations of one pull request run one at a time, so a later verdict is never
 * overwritten by an earlier one. When the evaluation fails, the check says so (it fails closed)
 * and the error goes on to Probot.
 */
export async function runPromotionGate(
  gh: GitHub,
  log: Logger,
  state: AppState,
  pull: PullRef,
): Promise<void> {
  const key = `${pull.owner}/${pull.repo}#${pull.number}`.toLowerCase();
  await state.queue.run(key, async () => {
    const reader = createGitReader(gh, pull, state.cache);
    let output: GateOutput;
    try {
      output = renderGateOutput(await collectPullInputs(gh, reader, state.cache, pull, state.now()), pull);
    } catch (error) {
      await createPromotionCheck(gh, { ...pull, ...renderGateError(error) }).catch((writeError: unknown) =>
        log.warn({ err: writeError }, `could not report the failed evaluation of ${key}`),
      );
      throw error;
    }
    await createPromotionCheck(gh, { ...pull, ...output });
    log.info(`${key} @ ${pull.headSha.slice(0, 7)}: ${output.title}`);
  });
}

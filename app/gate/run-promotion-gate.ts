import type { Logger } from "probot";
import type { AppState } from "../app-state.ts";
import { createPromotionCheck } from "../github/create-promotion-check.ts";
import { createGitReader } from "../github/git-reader.ts";
import type { GitHub } from "../github/types.ts";
import { collectPullInputs } from "./collect-pull-inputs.ts";
import { type PullRef, pullRefOf } from "./pull-ref.ts";
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
    if (output.recheckAt === undefined) state.rechecks.cancel(key);
    else state.rechecks.schedule(key, output.recheckAt, () => recheckPull(gh, log, state, pull));
  });
}

/**
 * The scheduled re-evaluation once soak time is met: only while the pull request is open, ready and
 * still at the head that was judged (a newer head was evaluated, and scheduled, by its own event).
 */
async function recheckPull(gh: GitHub, log: Logger, state: AppState, judged: PullRef): Promise<void> {
  const key = `${judged.owner}/${judged.repo}#${judged.number}`;
  try {
    const { data } = await gh.rest.pulls.get({
      owner: judged.owner,
      repo: judged.repo,
      pull_number: judged.number,
    });
    const pull = pullRefOf(data, judged);
    if (!pull.open || pull.draft || pull.headSha !== judged.headSha) {
      log.debug(`${key}: changed since it was judged; no re-check`);
      return;
    }
    log.info(`${key}: soak time met; evaluating again`);
    await runPromotionGate(gh, log, state, pull);
  } catch (error) {
    log.warn(
      { err: error },
      `${key}: the re-check after soak time failed; Re-run on the check evaluates again`,
    );
  }
}

import type { Logger } from "probot";
import { UserError } from "../../core/errors.ts";
import { readDriftResult } from "../../core/retrain/drift-evidence.ts";
import type { AppState } from "../app-state.ts";
import type { GitHub, Repo } from "../github/types.ts";
import { type RetrainOutcome, retrainModel } from "./retrain-model.ts";

export interface DriftDelivery {
  repo: Repo;
  defaultBranch: string;
  /** The drift result JSON, as `modelci drift --target T --json` prints it. */
  result: unknown;
  runUrl?: string;
}

/**
 * One retraining pull request per drifted model of a drift result: opened, updated or left alone.
 * A malformed result is logged and ignored; a model the default branch does not declare is
 * skipped with a warning, without holding back the others.
 */
export async function handleDriftResult(
  gh: GitHub,
  log: Logger,
  state: AppState,
  delivery: DriftDelivery,
): Promise<RetrainOutcome[]> {
  const read = readDriftResult(delivery.result, delivery.runUrl);
  if (!read.ok) {
    log.warn(`ignored a drift result: ${read.error}`);
    return [];
  }
  if (read.drifted.length === 0) log.debug(`no drift in ${read.checked} models`);
  const outcomes: RetrainOutcome[] = [];
  for (const evidence of read.drifted) {
    const deps = {
      gh,
      repo: delivery.repo,
      defaultBranch: delivery.defaultBranch,
      queue: state.queue,
      now: state.now,
    };
    try {
      const outcome = await retrainModel(deps, { kind: "drift", evidence });
      const where = outcome.written ? ` #${outcome.written.number}` : "";
      log.info(`retrain ${evidence.model}: ${outcome.decision.action}${where} (${outcome.decision.why})`);
      outcomes.push(outcome);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      log.warn(`retrain ${evidence.model}: ${error.message}`);
    }
  }
  return outcomes;
}

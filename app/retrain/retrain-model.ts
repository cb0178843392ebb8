/**
 * One model's retraining pull request, opened, updated or left alone, one decision at a time per
 * model (two deliveries of the same drift wait for each other, so the second finds the first's
 * pull request and does nothing).
 */
import { createHash } from "node:crypto";
import type { Requester } from "../../core/commands/render-command-pull.ts";
import { decideRetrain, type RetrainDecision, retrainMarkerPath } from "../../core/retrain/decide-retrain.ts";
import type { DriftEvidence } from "../../core/retrain/drift-evidence.ts";
import { driftFingerprint } from "../../core/retrain/drift-fingerprint.ts";
import { type RetrainCause, renderRetrainPull } from "../../core/retrain/render-retrain-pull.ts";
import type { KeyedQueue } from "../app-state.ts";
import type { GitHub, Repo } from "../github/types.ts";
import { readRetrainState } from "./read-retrain-state.ts";
import { openRetrainPull, updateRetrainPull, type Written } from "./write-retrain-pull.ts";

export type RetrainAsk =
  | { kind: "drift"; evidence: DriftEvidence }
  | { kind: "manual"; model: string; requester: Requester; reason: string };

export interface RetrainOutcome {
  model: string;
  decision: RetrainDecision;
  written?: Written;
}

export interface RetrainDeps {
  gh: GitHub;
  repo: Repo;
  defaultBranch: string;
  queue: KeyedQueue;
  now: () => Date;
}

function causeOf(ask: RetrainAsk, now: Date): RetrainCause {
  if (ask.kind === "drift")
    return { kind: "drift", evidence: ask.evidence, fingerprint: driftFingerprint(ask.evidence) };
  const seed = `${ask.requester.login}#${ask.requester.issue}@${now.toISOString()}`;
  const fingerprint = `manual-${createHash("sha256").update(seed).digest("hex").slice(0, 12)}`;
  return { kind: "manual", model: ask.model, requester: ask.requester, reason: ask.reason, fingerprint };
}

/** Opens or updates the model's retraining pull request when the decision says so. */
export function retrainModel(deps: RetrainDeps, ask: RetrainAsk): Promise<RetrainOutcome> {
  const model = ask.kind === "drift" ? ask.evidence.model : ask.model;
  const key = `${deps.repo.owner}/${deps.repo.repo}#retrain:${model}`;
  return deps.queue.run(key, async () => {
    const now = deps.now();
    const state = await readRetrainState(deps.gh, deps.repo, deps.defaultBranch, model);
    const cause = causeOf(ask, now);
    const decision = decideRetrain({
      model,
      fingerprint: cause.fingerprint,
      pulls: state.pulls,
      now,
      cooldownHours: state.model.retrain?.["cooldown-hours"] ?? 24,
      manual: ask.kind === "manual",
    });
    if (decision.action === "skip") return { model, decision };
    const write = {
      repo: deps.repo,
      model,
      defaultBranch: state.defaultBranch,
      base: state.head,
      markerPath: `${state.root}${retrainMarkerPath(model)}`,
      text: renderRetrainPull(cause),
    };
    const written =
      decision.action === "update"
        ? await updateRetrainPull(deps.gh, write, decision.pull)
        : await openRetrainPull(
            deps.gh,
            write,
            state.model.owners,
            ask.kind === "manual" ? [ask.requester.login] : [],
          );
    return { model, decision, written };
  });
}

/**
 * One model's verdict from every result of its runs (a sweep) and the manifests of runs that did not
 * succeed: the best run by the primary metric, the gates applied to it, and the verdict.
 *   error        a run failed, a result is unusable, or a gate could not be evaluated
 *   fail         a gate failed
 *   no-champion  no champion yet (the first version): absolute gates passed, regression gates skipped
 *   pass         every gate passed (within noise counts as passing)
 */
import type { EvaluationFailure } from "../../schemas/evaluation-failure.ts";
import type { EvaluationResult } from "../../schemas/evaluation-result.ts";
import type { Model } from "../../schemas/model.ts";
import type { RunManifest } from "../../schemas/run-manifest.ts";
import type { MetricDirection } from "../metrics/metric-directions.ts";
import { decideHasChampion } from "./decide-has-champion.ts";
import { evaluateGates, type GateOutcome } from "./evaluate-gates.ts";
import { type MetricRow, makeMetricRows } from "./make-metric-rows.ts";
import { metricDirection } from "./metric-direction.ts";
import { pickBestRun } from "./pick-best-run.ts";

export type ModelVerdict = "pass" | "fail" | "no-champion" | "error";

/** Verdicts from worst to best: the report's order. */
export const VERDICT_ORDER: readonly ModelVerdict[] = ["error", "fail", "no-champion", "pass"];

/** One point of the primary metric's history: a registered version, or the candidate. */
export interface HistoryPoint {
  label: string;
  value: number | null;
}

export interface CompareModelInput {
  /** The model's name (its folder under models/). */
  model: string;
  /** The model's declaration: primary metric, gates and metric directions. */
  declaration: Pick<Model, "primary-metric" | "gates" | "metrics">;
  /** Every evaluation result of the model's runs. */
  results: readonly EvaluationResult[];
  /** Manifests of the model's runs; one that did not succeed, or has no result, makes the verdict `error`. */
  manifests?: readonly (Pick<RunManifest, "experiment" | "run-id" | "status" | "reason"> &
    Partial<Pick<RunManifest, "outputs">>)[];
  /** Why evaluating some trained runs failed: their reasons replace "has no evaluation result". */
  failures?: readonly Pick<EvaluationFailure, "run" | "error">[];
  /**
   * Whether the model has a champion. Default: as the results say (`decideHasChampion`): a result
   * with baseline metrics, else the champion evaluate recorded.
   */
  hasChampion?: boolean;
  /** The primary metric of registered versions, oldest first; the report charts it. */
  history?: readonly HistoryPoint[];
}

export interface RunOutcome {
  /** The run as shown: its run id, prefixed with its experiment when the model has several. */
  label: string;
  experiment?: string;
  runId: string;
  status: "evaluated" | "failed" | "timed-out" | "not-evaluated";
  /** The primary metric; null without a value. */
  value: number | null;
  reason?: string;
  best: boolean;
}

export interface ModelComparison {
  model: string;
  verdict: ModelVerdict;
  primaryMetric: string;
  direction: MetricDirection;
  hasChampion: boolean;
  /** The best run, whose result the gates judged. */
  best?: { label: string; experiment?: string; runId: string; selfReported: boolean };
  /** The primary metric's row, for the summary line; absent when no run has a result. */
  primary?: MetricRow;
  /** The best run's metrics against the champion: the primary metric, gated metrics, then the rest. */
  metrics: MetricRow[];
  gates: GateOutcome[];
  runs: RunOutcome[];
  /** Why the verdict is `error`, apart from gate errors. */
  errors: string[];
  history?: HistoryPoint[];
}

/** Judges one model. Pure: the same input always gives the same comparison. */
export function compareModel(input: CompareModelInput): ModelComparison {
  const { declaration } = input;
  const metric = declaration["primary-metric"];
  const direction = metricDirection(metric, declaration);
  const hasChampion = input.hasChampion ?? decideHasChampion(input.results, false);
  const errors: string[] = [];
  const runs = collectRuns(input, metric, errors);
  const evaluated = runs.filter((run) => run.outcome.status === "evaluated");
  const best = pickBestRun(
    evaluated.map((run) => ({ runId: run.key, metrics: { [metric]: run.outcome.value }, run })),
    metric,
    direction,
  )?.run;
  if (best !== undefined) best.outcome.best = true;
  else if (evaluated.length > 0) errors.push(`no run has a value for the primary metric ${metric}`);
  else if (runs.length === 0) errors.push("no results and no runs for this model");
  const gates = best?.result === undefined ? [] : evaluateGates(best.result, declaration, { hasChampion });
  const metrics = best?.result === undefined ? [] : makeMetricRows(best.result, declaration);
  const comparison: ModelComparison = {
    model: input.model,
    verdict: decideVerdict(errors, gates, hasChampion),
    primaryMetric: metric,
    direction,
    hasChampion,
    metrics,
    gates,
    runs: runs.map((run) => run.outcome),
    errors,
  };
  if (best?.result !== undefined) {
    const { label, experiment, runId } = best.outcome;
    comparison.best = {
      label,
      runId,
      ...(experiment === undefined ? {} : { experiment }),
      selfReported: best.result["self-reported"],
    };
    const primary = metrics.find((row) => row.metric === metric);
    if (primary !== undefined) comparison.primary = primary;
  }
  if (input.history !== undefined) comparison.history = [...input.history];
  return comparison;
}

function decideVerdict(
  errors: readonly string[],
  gates: readonly GateOutcome[],
  hasChampion: boolean,
): ModelVerdict {
  if (errors.length > 0 || gates.some((g) => g.status === "error")) return "error";
  if (gates.some((g) => g.status === "fail")) return "fail";
  return hasChampion ? "pass" : "no-champion";
}

interface CollectedRun {
  /** Sort key: experiment, then run id, so ties between runs break the same way every time. */
  key: string;
  outcome: RunOutcome;
  result?: EvaluationResult;
}

/**
 * Why a run's result cannot stand for it: the evaluation scored another model file than the one
 * the manifest names (the same check `register` makes). Self-reported results name no file.
 */
function digestMismatch(
  result: EvaluationResult,
  manifest: Partial<Pick<RunManifest, "outputs">>,
): string | undefined {
  const trained = manifest.outputs?.model?.sha256;
  if (result["self-reported"] || trained === undefined) return undefined;
  if (result.model.sha256 === trained) return undefined;
  return `its evaluation scored a different model file (sha256 ${result.model.sha256.slice(0, 12)}…) than the one its manifest names (${trained.slice(0, 12)}…)`;
}

/** One entry per run: results, then manifests of runs that failed or were never evaluated. */
function collectRuns(input: CompareModelInput, metric: string, errors: string[]): CollectedRun[] {
  const experiments = new Set<string>();
  for (const result of input.results) experiments.add(result.run?.experiment ?? "");
  for (const manifest of input.manifests ?? []) experiments.add(manifest.experiment);
  const several = experiments.size > 1;
  const label = (experiment: string | undefined, runId: string) =>
    several && experiment !== undefined ? `${experiment}/${runId}` : runId;
  const byKey = new Map<string, CollectedRun>();
  for (const result of input.results) {
    const experiment = result.run?.experiment;
    const runId = result.run?.["run-id"] ?? "default";
    const key = `${experiment ?? ""}\u0000${runId}`;
    if (byKey.has(key)) {
      errors.push(`two results for run ${label(experiment, runId)}`);
      continue;
    }
    const value = result.metrics[metric];
    byKey.set(key, {
      key,
      result,
      outcome: {
        label: label(experiment, runId),
        ...(experiment === undefined ? {} : { experiment }),
        runId,
        status: "evaluated",
        value: typeof value === "number" && Number.isFinite(value) ? value : null,
        best: false,
      },
    });
  }
  for (const manifest of input.manifests ?? []) {
    const runId = manifest["run-id"];
    const key = `${manifest.experiment}\u0000${runId}`;
    const shown = label(manifest.experiment, runId);
    const known = byKey.get(key);
    if (manifest.status === "succeeded") {
      if (known === undefined) {
        const failure = input.failures?.find(
          ({ run }) => run.experiment === manifest.experiment && run["run-id"] === runId,
        );
        if (failure === undefined) {
          errors.push(`run ${shown} trained but has no evaluation result`);
          byKey.set(key, failedRun(key, shown, manifest, "not-evaluated", "trained, not evaluated"));
        } else {
          errors.push(`run ${shown} trained, but its evaluation failed: ${failure.error}`);
          byKey.set(
            key,
            failedRun(key, shown, manifest, "not-evaluated", `evaluation failed: ${failure.error}`),
          );
        }
      }
      const mismatch = known?.result && digestMismatch(known.result, manifest);
      if (mismatch) {
        errors.push(`run ${shown}: ${mismatch}; evaluate this run again`);
        byKey.set(key, failedRun(key, shown, manifest, "failed", mismatch));
      }
      continue;
    }
    const reason = manifest.reason ?? manifest.status;
    errors.push(`run ${shown} ${manifest.status === "timed-out" ? "timed out" : "failed"}: ${reason}`);
    byKey.set(key, failedRun(key, shown, manifest, manifest.status, reason));
  }
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function failedRun(
  key: string,
  label: string,
  manifest: Pick<RunManifest, "experiment" | "run-id">,
  status: RunOutcome["status"],
  reason: string,
): CollectedRun {
  return {
    key,
    outcome: {
      label,
      experiment: manifest.experiment,
      runId: manifest["run-id"],
      status,
      value: null,
      reason,
      best: false,
    },
  };
}

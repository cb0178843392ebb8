/**
 * A model's gates applied to one candidate result. `min`/`max` are absolute bounds on the
 * candidate. `max-regression` compares it with the champion scored on the same rows (the result's
 * baseline), in the metric's bad direction, absolute (0.01) or relative ("2%" of the champion).
 * A regression past the tolerance whose 95% CI includes zero is within noise and passes unless the
 * gate is strict. A metric that is missing or has no value on either side is an `error`, never a pass.
 */
import type { EvaluationResult, MetricDeltaResult } from "../../schemas/evaluation-result.ts";
import type { Gate, Model } from "../../schemas/model.ts";
import type { MetricDirection } from "../metrics/metric-directions.ts";
import {
  finite,
  formatInterval,
  formatValue,
  metricDecimals,
  significantDecimals,
} from "./format-metric-value.ts";
import { metricDirection } from "./metric-direction.ts";

export type GateStatus = "pass" | "fail" | "within-noise" | "skipped" | "error";

export interface GateOutcome {
  gate: Gate;
  /** The gate in a few words: `f1_macro ≥ 0.7`, `f1_macro regression ≤ 2%`. */
  label: string;
  status: GateStatus;
  /** The candidate's value; null when it has none. */
  candidate: number | null;
  /** The champion's value, for regression gates with a champion. */
  champion?: number | null;
  /** Candidate minus champion. */
  delta?: number;
  /** The 95% CI of the delta, when the result has one. */
  low?: number;
  high?: number;
  /** What happened, in plain words. */
  explanation: string;
}

export type GateModel = Pick<Model, "gates" | "metrics">;

/** Relative slack for comparing a regression with its tolerance, so 0.5 − 0.48 counts as 0.02. */
const EPSILON = 1e-9;

/** `f1_macro ≥ 0.7`, `latency_p99_ms ≤ 15`, `log_loss regression ≤ 5% (strict)`. */
export function describeGate(gate: Gate): string {
  const strict = gate.strict ? " (strict)" : "";
  if (gate.min !== undefined) return `${gate.metric} ≥ ${gate.min}`;
  if (gate.max !== undefined) return `${gate.metric} ≤ ${gate.max}`;
  if (gate["max-regression"] !== undefined)
    return `${gate.metric} regression ≤ ${gate["max-regression"]}${strict}`;
  return `${gate.metric} (no bound)`;
}

/**
 * Every gate of the model on one result. `hasChampion` says whether the model has a champion at all
 * (default: whether the result carries baseline metrics); without one, regression gates are skipped.
 */
export function evaluateGates(
  result: EvaluationResult,
  model: GateModel,
  options: { hasChampion?: boolean } = {},
): GateOutcome[] {
  const baseline = result["self-reported"] ? undefined : result.baseline?.metrics;
  const deltas = result["self-reported"] ? undefined : result.deltas;
  const hasChampion = options.hasChampion ?? baseline !== undefined;
  return model.gates.map((gate) =>
    evaluateGate(gate, {
      candidate: result.metrics,
      champion: baseline,
      delta: deltas?.[gate.metric],
      hasChampion,
      direction: metricDirection(gate.metric, model),
    }),
  );
}

/** What one gate is judged on; `evaluateGate` serves callers without an evaluation result (promotion). */
export interface GateContext {
  candidate: Readonly<Record<string, number | null>>;
  champion: Readonly<Record<string, number | null>> | undefined;
  delta: MetricDeltaResult | undefined;
  hasChampion: boolean;
  direction: MetricDirection;
}

/** One gate on the candidate's (and champion's) metrics, with the delta's CI when there is one. */
export function evaluateGate(gate: Gate, context: GateContext): GateOutcome {
  const label = describeGate(gate);
  const raw = context.candidate[gate.metric];
  const candidate = finite(raw) ?? null;
  const outcome = (status: GateStatus, explanation: string): GateOutcome => ({
    gate,
    label,
    status,
    candidate,
    explanation,
  });
  const bounds = (["min", "max", "max-regression"] as const).filter((k) => gate[k] !== undefined);
  if (bounds.length !== 1) {
    const sets = bounds.length === 0 ? "none" : bounds.join(" and ");
    return outcome("error", `a gate sets exactly one of min, max or max-regression; this one sets ${sets}`);
  }
  const tolerance = gate["max-regression"];
  if (tolerance !== undefined && !context.hasChampion) return outcome("skipped", "no champion yet");
  if (candidate === null) return outcome("error", describeMissing(gate.metric, raw, "candidate"));
  if (gate.min !== undefined) {
    const decimals = metricDecimals([candidate]);
    const value = `${gate.metric} ${formatValue(candidate, decimals)}`;
    return candidate >= gate.min
      ? outcome("pass", `${value}, at least the ${gate.min} required`)
      : outcome("fail", `${value}, below the ${gate.min} required`);
  }
  if (gate.max !== undefined) {
    const decimals = metricDecimals([candidate]);
    const value = `${gate.metric} ${formatValue(candidate, decimals)}`;
    return candidate <= gate.max
      ? outcome("pass", `${value}, at most the ${gate.max} allowed`)
      : outcome("fail", `${value}, above the ${gate.max} allowed`);
  }
  return evaluateRegression(gate, tolerance as number | string, candidate, context, outcome);
}

function evaluateRegression(
  gate: Gate,
  tolerance: number | string,
  candidate: number,
  context: GateContext,
  outcome: (status: GateStatus, explanation: string) => GateOutcome,
): GateOutcome {
  if (context.champion === undefined) {
    return outcome(
      "error",
      "the result has no champion metrics: evaluate the candidate with the champion as its baseline",
    );
  }
  const raw = context.champion[gate.metric];
  const champion = finite(raw);
  if (champion === undefined) {
    return { ...outcome("error", describeMissing(gate.metric, raw, "champion")), champion: null };
  }
  const delta = candidate - champion;
  const low = finite(context.delta?.low);
  const high = finite(context.delta?.high);
  const hasInterval = low !== undefined && high !== undefined;
  const relative = typeof tolerance === "string";
  const allowed = relative ? (Number.parseFloat(tolerance) / 100) * Math.abs(champion) : tolerance;
  const worse = context.direction === "higher" ? -delta : delta;
  const decimals = metricDecimals([candidate, champion], delta);
  const interval = hasInterval ? ` (95% CI ${formatInterval(low, high, decimals)})` : "";
  const moved =
    delta === 0
      ? `${gate.metric} unchanged at ${formatValue(candidate, decimals)}`
      : `${gate.metric} ${delta > 0 ? "rose" : "fell"} ${formatValue(Math.abs(delta), decimals)}${interval}`;
  const allowance = relative
    ? `the ${tolerance} allowed (${formatValue(allowed, Math.max(decimals, significantDecimals(allowed, 2)))})`
    : `the ${tolerance} allowed`;
  const base: GateOutcome = {
    ...outcome("pass", ""),
    champion,
    delta,
    ...(hasInterval ? { low, high } : {}),
  };
  if (worse - allowed <= EPSILON * Math.max(1, Math.abs(champion))) {
    const explanation = worse > 0 ? `${moved}, within ${allowance}` : moved;
    return { ...base, explanation };
  }
  const beyond = `${moved}, more than ${allowance}`;
  const noise = noiseReason(hasInterval, low, high, context.delta);
  if (noise === undefined) return { ...base, status: "fail", explanation: beyond };
  if (gate.strict)
    return { ...base, status: "fail", explanation: `${beyond}; ${noise}, but the gate is strict` };
  return { ...base, status: "within-noise", explanation: `${beyond}, but ${noise}: within noise` };
}

/**
 * Why a regression could be noise: its 95% CI includes zero; or, for a delta without a CI (latency,
 * throughput), the evaluation judged it within the machine's timing noise.
 */
function noiseReason(
  hasInterval: boolean,
  low: number | undefined,
  high: number | undefined,
  delta: MetricDeltaResult | undefined,
): string | undefined {
  if (hasInterval)
    return (low as number) <= 0 && (high as number) >= 0 ? "the 95% CI includes zero" : undefined;
  if (delta?.verdict === "within-noise") return "the evaluation judged the difference within timing noise";
  return undefined;
}

function describeMissing(
  metric: string,
  raw: number | null | undefined,
  side: "candidate" | "champion",
): string {
  if (raw === undefined) return `metric ${metric} missing from the ${side}`;
  return `metric ${metric} has no value for the ${side} (undefined on these rows)`;
}

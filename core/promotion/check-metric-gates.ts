import type { Model } from "../../schemas/index.ts";
import { evaluateGate, type GateOutcome } from "../compare/evaluate-gates.ts";
import { metricDirection } from "../compare/metric-direction.ts";
import { makeRule, type PromotionRule } from "./promotion-rule.ts";

/** A registered version's number and metrics (from its version file). */
export interface VersionMetrics {
  version: number;
  metrics: Readonly<Record<string, number>>;
  selfReported?: boolean;
}

/** The champion: what the model's baseline target serves in the base. */
export interface Champion extends VersionMetrics {
  target: string;
}

/** Only a pass counts; a regression gate without a champion is skipped. An error never passes. */
const passes = (outcome: GateOutcome) => outcome.status === "pass" || outcome.status === "skipped";

/**
 * The model's gates on a version's registered metrics, against the champion's. A version file
 * holds no confidence intervals, so a max-regression gate compares the two numbers strictly.
 */
export function checkMetricGates(
  model: Pick<Model, "gates" | "metrics">,
  modelName: string,
  candidate: VersionMetrics,
  champion: Champion | undefined,
): PromotionRule {
  if (model.gates.length === 0) return makeRule("metric-gates", "met", `${modelName} declares no gates`);
  const outcomes = model.gates.map((gate) =>
    evaluateGate(gate, {
      candidate: candidate.metrics,
      champion: champion?.metrics,
      delta: undefined,
      hasChampion: champion !== undefined,
      direction: metricDirection(gate.metric, model),
    }),
  );
  const failed = outcomes.filter((o) => !passes(o));
  const against =
    champion === undefined
      ? "no champion yet"
      : champion.version === candidate.version
        ? `the champion is version ${champion.version} itself`
        : `champion: version ${champion.version} in ${champion.target}`;
  const notes = [`${against}; registered metrics have no confidence intervals, so compared strictly`];
  if (candidate.selfReported) notes.push(`version ${candidate.version}'s metrics are self-reported`);
  const num = (value: number) => String(Number(value.toPrecision(6)));
  const values = (o: GateOutcome) =>
    typeof o.champion === "number" && o.candidate !== null && champion !== undefined
      ? ` (${num(o.champion)} in ${champion.version} → ${num(o.candidate)} in ${candidate.version})`
      : "";
  const list = outcomes
    .map((o) => `${passes(o) ? "✓" : "✗"} ${o.label}: ${o.explanation}${values(o)}`)
    .join("; ");
  const detail = `${list} (${notes.join("; ")})`;
  if (failed.length === 0) return makeRule("metric-gates", "met", detail);
  return makeRule(
    "metric-gates",
    "failed",
    detail,
    `version ${candidate.version} fails ${failed.length === 1 ? "a gate" : `${failed.length} gates`}: promote a version that passes, or change the gates in a separate pull request`,
  );
}

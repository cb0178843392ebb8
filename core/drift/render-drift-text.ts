/** The plain-text drift report `modelci drift` prints: the verdict, then one line per feature. */
import type { FeatureDrift } from "../../schemas/drift-result.ts";
import type { DriftCheckResult } from "./check-drift.ts";
import { DRIFT_METHODS } from "./drift-methods.ts";

function format(value: number | undefined): string {
  if (value === undefined) return "-";
  if (value === 0) return "0";
  return Math.abs(value) < 1e-4 ? value.toExponential(2) : value.toPrecision(4);
}

function line(name: string, feature: FeatureDrift): string {
  const statistic = DRIFT_METHODS[feature.method].statistic;
  const value = feature[statistic];
  const comparison = DRIFT_METHODS[feature.method].direction === "p-value" ? "<" : "≥";
  const missing =
    feature.missing.changed || feature.missing.current > 0 || feature.missing.reference > 0
      ? `  missing ${format(feature.missing.reference)} → ${format(feature.missing.current)}${feature.missing.changed ? " (changed)" : ""}`
      : "";
  return `  ${feature.drifted ? "DRIFT" : "ok   "}  ${name.padEnd(24)} ${feature.method.padEnd(14)} ${statistic} ${format(value)} (drift ${comparison} ${feature.threshold})${missing}`;
}

/** The report: one header line, one line per feature, and the prediction's line when there is one. */
export function renderDriftText(
  result: DriftCheckResult & { prediction?: FeatureDrift | undefined },
): string {
  const { dataset } = result;
  const lines = [
    `${dataset.verdict}: ${dataset.drifted} of ${dataset.features} features drifted (share ${format(dataset.share)}, drift at ≥ ${dataset.threshold}); ${dataset.rows.reference} reference rows, ${dataset.rows.current} current rows${dataset.verdict === "not enough data" ? ` (fewer than ${dataset.min_rows})` : ""}`,
    ...Object.entries(result.features).map(([name, feature]) => line(name, feature)),
  ];
  if (result.prediction !== undefined) lines.push(line("(prediction)", result.prediction));
  return `${lines.join("\n")}\n`;
}

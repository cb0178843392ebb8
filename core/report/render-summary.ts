/** The one-line forms of a comparison: the check run's title, and each model's summary line. */
import { type ModelComparison, type ModelVerdict, VERDICT_ORDER } from "../compare/compare-model.ts";
import { formatDelta, formatInterval, formatValue, metricDecimals } from "../compare/format-metric-value.ts";
import type { MetricRow } from "../compare/make-metric-rows.ts";
import { escapeMarkdown } from "./escape-markdown.ts";

export const VERDICT_EMOJI: Record<ModelVerdict, string> = {
  pass: "✅",
  fail: "❌",
  "no-champion": "🆕",
  error: "⚠️",
};

export const VERDICT_WORD: Record<ModelVerdict, string> = {
  pass: "pass",
  fail: "fail",
  "no-champion": "no champion",
  error: "error",
};

/** Whether a verdict lets the change through: pass, or the first version of a model. */
export function isPassing(verdict: ModelVerdict): boolean {
  return verdict === "pass" || verdict === "no-champion";
}

/** The check run's title: "2 models: 1 pass, 1 fail". */
export function renderSummary(models: readonly Pick<ModelComparison, "verdict">[]): string {
  if (models.length === 0) return "no models compared";
  const counts = new Map<ModelVerdict, number>();
  for (const { verdict } of models) counts.set(verdict, (counts.get(verdict) ?? 0) + 1);
  const parts = [...VERDICT_ORDER]
    .reverse()
    .filter((verdict) => counts.has(verdict))
    .map((verdict) => `${counts.get(verdict)} ${VERDICT_WORD[verdict]}`);
  return `${models.length} model${models.length === 1 ? "" : "s"}: ${parts.join(", ")}`;
}

/** "✅ pass — f1_macro 0.442 vs 0.431 (+0.011, 95% CI −0.004…+0.027, within noise)". */
export function renderModelSummary(model: ModelComparison): string {
  const head = `${VERDICT_EMOJI[model.verdict]} **${VERDICT_WORD[model.verdict]}**`;
  const primary = model.primary;
  if (primary === undefined) {
    const why = model.errors[0] ?? "no result";
    return `${head} — ${escapeMarkdown(why)}`;
  }
  return `${head} — ${escapeMarkdown(model.primaryMetric)} ${describePrimary(primary, model.hasChampion)}`;
}

/** "0.442 vs 0.431 (+0.011, 95% CI −0.004…+0.027, within noise)", or "0.442 (no champion yet)". */
export function describePrimary(row: MetricRow, hasChampion: boolean): string {
  const decimals = metricDecimals([row.candidate, row.champion], row.delta);
  const candidate = formatValue(row.candidate, decimals);
  if (!hasChampion || row.champion === undefined) return `${candidate} (no champion yet)`;
  const champion = formatValue(row.champion, decimals);
  const parts = [formatDelta(row.delta, decimals)];
  const interval = formatInterval(row.low, row.high, decimals);
  if (interval !== undefined) parts.push(`95% CI ${interval}`);
  if (row.verdict !== undefined) parts.push(row.verdict === "within-noise" ? "within noise" : row.verdict);
  return `${candidate} vs ${champion} (${parts.join(", ")})`;
}

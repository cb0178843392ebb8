/**
 * The pull request's report: one section per model, worst verdict first, under a hidden marker so
 * the sticky comment is found again. It degrades to fit a size limit, in steps, until it fits:
 *   1. the runs and charts of passing models are left out;
 *   2. passing models collapse to one table row each;
 *   3. failing models keep full sections while they fit, the rest are rows, failing ones first,
 *      and the list ends with "…and N more models".
 */
import { type ModelComparison, VERDICT_ORDER } from "../compare/compare-model.ts";
import { UserError } from "../errors.ts";
import { escapeMarkdown } from "./escape-markdown.ts";
import { CHECK_RUN_LIMIT, cutToSize, measureSize } from "./measure-size.ts";
import { MODEL_ROWS_HEADER, renderModelRow } from "./render-model-rows.ts";
import { renderModelSection } from "./render-model-section.ts";
import type { RenderedBlock } from "./render-run-details.ts";
import { isPassing, renderSummary } from "./render-summary.ts";
import { reportMarker } from "./report-marker.ts";

export interface ReportInput {
  /** Every model's comparison (compareModel's output), in any order. */
  models: readonly ModelComparison[];
  /** The report key in the hidden marker; default "default". */
  key?: string | undefined;
  /** The heading; default "modelci report". */
  title?: string | undefined;
  /** The workflow run that made the report. */
  runUrl?: string | undefined;
  /** Where the run's artifacts (results, the full report) can be downloaded. */
  artifactsUrl?: string | undefined;
}

export interface ReportOptions {
  /** Most UTF-8 bytes the Markdown may take. Default 65,535: fits a comment and a check run summary. */
  limit?: number | undefined;
}

export interface RenderedReport {
  markdown: string;
  /** True when something was left out to fit the limit. */
  truncated: boolean;
}

const FOOTNOTE =
  "<sub>— no value: the metric is missing from the result, or undefined on these rows (such as roc_auc when a class is absent).</sub>";

export function renderReport(input: ReportInput, options: ReportOptions = {}): RenderedReport {
  const limit = options.limit ?? CHECK_RUN_LIMIT;
  const models = sortModels(input.models);
  const header = [
    reportMarker(input.key),
    `## ${escapeMarkdown(input.title ?? "modelci report")}`,
    `**${renderSummary(models)}**`,
  ].join("\n\n");
  const links = renderLinks(input);
  const page = (blocks: RenderedBlock[], notice?: string): string => {
    const footer = [links, blocks.some((b) => b.missing) ? FOOTNOTE : ""].filter((t) => t !== "");
    const parts = [
      header,
      ...(notice === undefined ? [] : [notice]),
      ...blocks.map((b) => b.text),
      ...footer,
    ];
    return `${parts.filter((t) => t !== "").join("\n\n")}\n`;
  };
  const blocking = models.filter((m) => !isPassing(m.verdict));
  const passing = models.filter((m) => isPassing(m.verdict));
  const full = blocking.map((m) => renderModelSection(m, { details: true }));

  // Sorted worst first, so the failing models' sections come before the passing ones.
  const complete = page([...full, ...passing.map((m) => renderModelSection(m, { details: true }))]);
  if (measureSize(complete) <= limit) return { markdown: complete, truncated: false };
  const steps: [string, RenderedBlock[]][] = [
    [
      "the runs and charts of passing models are left out",
      [...full, ...passing.map((m) => renderModelSection(m, { details: false }))],
    ],
    ["passing models are collapsed to one row each", [...full, ...rowsTable("Passing models", passing)]],
  ];
  for (const [what, blocks] of steps) {
    const markdown = page(blocks, notice(what, input));
    if (measureSize(markdown) <= limit) return { markdown, truncated: true };
  }
  const last = notice(LAST, input);
  const budget = limit - measureSize(page([], last)) - measureSize(FOOTNOTE) - 2;
  const shortened = page(shortenToFit(blocking, passing, budget), last);
  if (measureSize(shortened) <= limit) return { markdown: shortened, truncated: true };
  // Only a limit too small for the header itself gets here.
  return { markdown: limit < 3 ? "" : `${cutToSize(shortened, limit - 3)}…`, truncated: true };
}

const LAST = "models are collapsed to one row each and the list is shortened";

/** Worst verdict first, then by name. */
export function sortModels(models: readonly ModelComparison[]): ModelComparison[] {
  const rank = (m: ModelComparison) => VERDICT_ORDER.indexOf(m.verdict);
  return [...models].sort(
    (a, b) => rank(a) - rank(b) || (a.model < b.model ? -1 : a.model > b.model ? 1 : 0),
  );
}

function notice(what: string, input: ReportInput): string {
  const where =
    input.artifactsUrl === undefined
      ? "the workflow's artifacts"
      : `[the workflow's artifacts](${safeUrl(input.artifactsUrl)})`;
  return `> [!NOTE]\n> Shortened to fit GitHub's size limit: ${what}. The full report is in the job summary and ${where}.`;
}

function rowsTable(title: string, models: readonly ModelComparison[], more = 0): RenderedBlock[] {
  if (models.length === 0 && more === 0) return [];
  const rows = models.map(renderModelRow);
  const lines = [`### ${title}`, "", MODEL_ROWS_HEADER, ...rows.map((r) => r.text)];
  if (more > 0) lines.push("", moreLine(more));
  return [{ text: lines.join("\n"), missing: rows.some((r) => r.missing) }];
}

function moreLine(count: number): string {
  return `…and ${count} more model${count === 1 ? "" : "s"} (full report in the job summary / artifact)`;
}

/**
 * Failing models keep their sections while the rows of every failing model after them still fit;
 * then every other model is a row, failing first, until the budget runs out.
 */
function shortenToFit(
  blocking: ModelComparison[],
  passing: ModelComparison[],
  budget: number,
): RenderedBlock[] {
  const total = blocking.length + passing.length;
  let left = budget - measureSize(`### Other models\n\n${MODEL_ROWS_HEADER}\n\n${moreLine(total)}`) - 8;
  // after[i]: the size of the rows of every failing model after the i-th.
  const after = blocking.map(() => 0);
  for (let i = blocking.length - 2; i >= 0; i--) {
    after[i] = (after[i + 1] ?? 0) + measureSize(renderModelRow(blocking[i + 1] as ModelComparison).text) + 1;
  }
  const sections: RenderedBlock[] = [];
  for (const [i, model] of blocking.entries()) {
    const rest = after[i] ?? 0;
    const withRuns = renderModelSection(model, { details: true });
    const block =
      measureSize(withRuns.text) + 2 + rest <= left
        ? withRuns
        : renderModelSection(model, { details: false });
    const size = measureSize(block.text) + 2;
    if (size + rest > left) break;
    sections.push(block);
    left -= size;
  }
  const remaining = [...blocking.slice(sections.length), ...passing];
  const rows: ModelComparison[] = [];
  for (const model of remaining) {
    const size = measureSize(renderModelRow(model).text) + 1;
    if (size > left) break;
    rows.push(model);
    left -= size;
  }
  return [...sections, ...rowsTable("Other models", rows, remaining.length - rows.length)];
}

function renderLinks(input: ReportInput): string {
  const links: string[] = [];
  if (input.runUrl !== undefined) links.push(`[Workflow run](${safeUrl(input.runUrl)})`);
  if (input.artifactsUrl !== undefined) links.push(`[Artifacts](${safeUrl(input.artifactsUrl)})`);
  return links.join(" · ");
}

/** An http(s) URL made safe inside a Markdown link. */
function safeUrl(url: string): string {
  if (!/^https?:\/\/[^\s<>"]+$/.test(url)) throw new UserError(`not an http(s) URL: ${JSON.stringify(url)}`);
  return url.replace(/[()]/g, (c) => (c === "(" ? "%28" : "%29"));
}

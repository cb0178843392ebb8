import type { PromotionEvaluation } from "./evaluate-promotion.ts";
import { formatTime, type RuleStatus } from "./promotion-rule.ts";

/** A check run's `output`: GitHub shows the title next to the check and the summary on its page. */
export interface CheckOutput {
  title: string;
  summary: string;
}

/** Where the evaluation was made, for the summary's first line. */
export interface CheckContext {
  base?: string;
  head?: string;
}

/** GitHub's limit on a check run's summary. */
export const MAX_SUMMARY = 65_535;

const BADGES: Record<RuleStatus, string> = { met: "✅ met", missing: "⏳ missing", failed: "❌ failed" };
const MARKS: Record<RuleStatus, string> = { met: "✓", missing: "…", failed: "✗" };

/** A table cell: pipes escaped, one line. */
function cell(text: string): string {
  return text
    .replaceAll("\\", "\\\\")
    .replaceAll("|", "\\|")
    .replace(/\s*\n\s*/g, " ");
}

const shortSha = (sha: string) => (/^[0-9a-f]{40}$/.test(sha) ? sha.slice(0, 7) : sha);

function where(context: CheckContext): string {
  const parts: string[] = [];
  if (context.base !== undefined) parts.push(`the policy in base \`${shortSha(context.base)}\``);
  if (context.head !== undefined) parts.push(`the change in head \`${shortSha(context.head)}\``);
  return parts.length === 0 ? "" : `Judged by ${parts.join(", against ")}.`;
}

/** The steps still open, each naming its change and rule. */
export function listNextSteps(evaluation: PromotionEvaluation): string[] {
  return evaluation.changes.flatMap(({ heading, rules }) =>
    rules
      .filter((rule) => rule.status !== "met" && rule.next !== undefined)
      .map((rule) => `${heading.split(":")[0]}, ${rule.title.toLowerCase()}: ${rule.next}`),
  );
}

/** The check run output: a table of rules per change and a "What to do next" list. */
export function renderPromotionCheck(
  evaluation: PromotionEvaluation,
  context: CheckContext = {},
): CheckOutput {
  const lines: string[] = [];
  const intro = where(context);
  if (evaluation.changes.length === 0) {
    lines.push(
      "This pull request changes no deployment target, model policy or version file, so no promotion rule applies.",
    );
    if (intro !== "") lines.push("", intro);
    return { title: evaluation.title, summary: lines.join("\n") };
  }
  const { met, total } = evaluation.counts;
  lines.push(`**${evaluation.title}** (${met} of ${total} met). ${intro}`.trimEnd());
  for (const { heading, rules } of evaluation.changes) {
    lines.push("", `### ${heading}`, "", "| rule | status | detail |", "|---|---|---|");
    for (const rule of rules)
      lines.push(`| ${cell(rule.title)} | ${BADGES[rule.status]} | ${cell(rule.detail)} |`);
  }
  const steps = listNextSteps(evaluation);
  if (steps.length > 0) {
    lines.push("", "### What to do next", "", ...steps.map((step) => `- ${step}`));
  }
  if (evaluation.recheckAt !== undefined) {
    lines.push(
      "",
      `Soak time will be met at ${formatTime(evaluation.recheckAt)}; the check needs to run again after that.`,
    );
  }
  let summary = lines.join("\n");
  if (summary.length > MAX_SUMMARY) {
    const note = "\n\n… cut at GitHub's limit; run `modelci promotion-check` for the whole evaluation.";
    summary = summary.slice(0, MAX_SUMMARY - note.length) + note;
  }
  return { title: evaluation.title, summary };
}

/** The same evaluation for a terminal: one line per rule. */
export function renderPromotionText(evaluation: PromotionEvaluation, context: CheckContext = {}): string {
  const lines = [`${evaluation.conclusion === "success" ? "✓" : "✗"} ${evaluation.title}`];
  const intro = where(context);
  if (intro !== "") lines.push(`  ${intro}`);
  for (const { heading, rules } of evaluation.changes) {
    lines.push("", heading);
    const width = Math.max(...rules.map((r) => r.title.length));
    for (const rule of rules)
      lines.push(`  ${MARKS[rule.status]} ${rule.title.padEnd(width)}  ${rule.detail}`);
  }
  const steps = listNextSteps(evaluation);
  if (steps.length > 0) lines.push("", "What to do next:", ...steps.map((step) => `  - ${step}`));
  return `${lines.join("\n")}\n`;
}

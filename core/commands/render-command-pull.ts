/** Titles and bodies of the pull requests that `/modelci promote` and `/modelci rollback` open. */
import type { Model, Version } from "../../schemas/index.ts";
import { evaluateGate } from "../compare/evaluate-gates.ts";
import { metricDirection } from "../compare/metric-direction.ts";
import { describeServed, type ServedVersion } from "../promotion/describe-served.ts";
import { escapeMarkdown } from "../report/escape-markdown.ts";

export interface PullText {
  title: string;
  body: string;
}

/** Who asked, where: `@carol in #12`. */
export interface Requester {
  login: string;
  issue: number;
}

export interface PromoteEvidence {
  model: string;
  version: number;
  target: string;
  /** What the target serves of the model now. */
  from: readonly ServedVersion[];
  file: string;
  declared: Version;
  policy: Pick<Model, "gates" | "metrics" | "promotion">;
  /** The champion (the baseline target's version) with its metrics, when there is one. */
  champion?: { target: string; version: number; metrics: Readonly<Record<string, number>> };
  requester: Requester;
}

const GATE_MARK = { pass: "✓", "within-noise": "✓", skipped: "–", fail: "✗", error: "✗" } as const;
const num = (value: number | undefined) => (value === undefined ? "–" : String(Number(value.toPrecision(6))));

function metricRows(evidence: PromoteEvidence): string[] {
  const { champion, declared, version } = evidence;
  const names = [
    ...new Set([...Object.keys(declared.metrics), ...Object.keys(champion?.metrics ?? {})]),
  ].sort();
  if (names.length === 0) return ["The version file records no metrics."];
  const head = champion
    ? `| metric | ${version} | ${champion.version} (champion, ${champion.target}) |`
    : `| metric | ${version} |`;
  const rule = champion ? "|---|---:|---:|" : "|---|---:|";
  const rows = names.map((name) => {
    const cells = [escapeMarkdown(name), num(declared.metrics[name])];
    if (champion) cells.push(num(champion.metrics[name]));
    return `| ${cells.join(" | ")} |`;
  });
  return [head, rule, ...rows];
}

function gateLines(evidence: PromoteEvidence): string[] {
  const { policy, champion, declared } = evidence;
  if (policy.gates.length === 0) return [`${evidence.model} declares no metric gates.`];
  return policy.gates.map((gate) => {
    const outcome = evaluateGate(gate, {
      candidate: declared.metrics,
      champion: champion?.metrics,
      delta: undefined,
      hasChampion: champion !== undefined,
      direction: metricDirection(gate.metric, policy),
    });
    return `- ${GATE_MARK[outcome.status]} ${escapeMarkdown(outcome.label)}: ${escapeMarkdown(outcome.explanation)}`;
  });
}

const FOOTER =
  "The `modelci/promotion` check judges this pull request by the policy on the base branch: owners' approval, stage order, soak time, metric gates, artifact integrity and signature.";

/** The promotion pull request: what changes, and the evidence from the version file. */
export function renderPromotePull(evidence: PromoteEvidence): PullText {
  const { model, version, target, declared, requester } = evidence;
  const { stages, approvals } = evidence.policy.promotion;
  const soak = evidence.policy.promotion["soak-hours"][target];
  const provenance = [
    `| artifact | \`${escapeMarkdown(declared.artifact.uri)}\` (${declared.artifact.size} bytes, ${declared.artifact.format}) |`,
    `| sha256 | \`${declared.artifact.sha256}\` |`,
    `| trained from | commit \`${declared.commit}\`, experiment ${escapeMarkdown(declared.experiment)}${declared["run-id"] ? `, run ${escapeMarkdown(declared["run-id"])}` : ""} |`,
    `| registered | ${escapeMarkdown(declared.created)} in \`${escapeMarkdown(evidence.file)}\` |`,
  ];
  if (declared["self-reported"])
    provenance.push("| metrics | self-reported by the experiment's own evaluation |");
  const body = [
    `Promotes **${model}** version **${version}** to **${target}** (${target} serves ${describeServed(evidence.from)} now), as @${requester.login} asked in #${requester.issue}.`,
    "",
    "| evidence | |",
    "|---|---|",
    ...provenance,
    "",
    `### Metrics`,
    "",
    ...metricRows(evidence),
    "",
    "### Gates",
    "",
    ...gateLines(evidence),
    "",
    `Policy: ${approvals} owner approval${approvals === 1 ? "" : "s"}, stages ${stages.join(" → ")}${soak ? `, ${soak} h soak before ${target}` : ""}.`,
    "",
    FOOTER,
  ];
  return { title: `Promote ${model} ${version} to ${target}`, body: body.join("\n") };
}

export interface RollbackEvidence {
  target: string;
  file: string;
  /** Model → what the target serves now, and what it will serve again. */
  changes: ReadonlyMap<string, { from: readonly ServedVersion[]; to: readonly ServedVersion[] }>;
  /** The commit whose content is restored, and the commit that changed it since. */
  restored: { sha: string; date: string };
  undone: { sha: string; message: string };
  requester: Requester;
}

/** The rollback pull request: which versions come back, from which commit. */
export function renderRollbackPull(evidence: RollbackEvidence): PullText {
  const { target, restored, undone, requester } = evidence;
  const lines = [...evidence.changes].map(
    ([model, { from, to }]) => `- ${escapeMarkdown(model)}: ${describeServed(from)} → ${describeServed(to)}`,
  );
  const summary = [...evidence.changes].map(([model, { to }]) => `${model} ${describeServed(to)}`).join(", ");
  const body = [
    `Rolls **${target}** back to what it served before \`${undone.sha.slice(0, 7)}\` (${escapeMarkdown(undone.message.split("\n")[0] ?? "")}), as @${requester.login} asked in #${requester.issue}.`,
    "",
    ...lines,
    "",
    `The models section of \`${escapeMarkdown(evidence.file)}\` is restored from \`${restored.sha.slice(0, 7)}\` (${escapeMarkdown(restored.date)}); the rest of the file is unchanged.`,
    "",
    FOOTER,
  ];
  return { title: `Roll back ${target} to ${summary}`, body: body.join("\n") };
}

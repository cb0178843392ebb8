/**
 * The retraining pull request: its title, its body (the hidden fingerprint marker, the evidence
 * table, the verdict, the version and target, links), the marker file its commit writes and the
 * commit message. Pure.
 */
import type { Requester } from "../commands/render-command-pull.ts";
import { withRequesterTrailer } from "../commands/requester-trailer.ts";
import { escapeMarkdown } from "../report/escape-markdown.ts";
import { retrainMarker } from "./decide-retrain.ts";
import { type DriftEvidence, featureStatistics } from "./drift-evidence.ts";
import { driftedFeatures } from "./drift-fingerprint.ts";

/** Why a retraining pull request exists: a drift check's evidence, or a person's request. */
export type RetrainCause =
  | { kind: "drift"; evidence: DriftEvidence; fingerprint: string }
  | { kind: "manual"; model: string; requester: Requester; reason: string; fingerprint: string };

export interface RetrainPullText {
  title: string;
  body: string;
  /** The commit that puts the branch ahead of the default branch. */
  message: string;
  /** `models/<model>/retrain.json`'s new content. */
  marker: string;
}

/** Rows of the evidence table at most; GitHub's body limit is 65,536 characters. */
const MAX_ROWS = 60;

const num = (value: number): string => String(Number(value.toPrecision(4)));

function evidenceTable(evidence: DriftEvidence): string[] {
  const entries = Object.entries(evidence.result.features).sort(
    ([a, x], [b, y]) => Number(y.drifted) - Number(x.drifted) || a.localeCompare(b),
  );
  if (entries.length === 0) return ["The check reported no per-feature statistics."];
  const rows = entries.slice(0, MAX_ROWS).map(([name, feature]) => {
    const stats = featureStatistics(feature)
      .map(([stat, value]) => `${escapeMarkdown(stat, 40)} ${num(value)}`)
      .join(", ");
    const method = escapeMarkdown(feature.method ?? "–", 40);
    return `| ${escapeMarkdown(name, 80)} | ${method} | ${feature.drifted ? "✗ drift" : "✓"} | ${stats || "–"} |`;
  });
  const more = entries.length > MAX_ROWS ? [``, `…and ${entries.length - MAX_ROWS} more features.`] : [];
  return ["| feature | method | verdict | statistics |", "|---|---|:-:|---|", ...rows, ...more];
}

function driftText(evidence: DriftEvidence, fingerprint: string): RetrainPullText {
  const { target, model, version, result, runUrl } = evidence;
  const drifted = driftedFeatures(evidence);
  const total = Object.keys(result.features).length;
  const share = result.dataset.share === undefined ? "" : `, share ${num(result.dataset.share)}`;
  const prediction =
    result.prediction?.drifted === undefined
      ? []
      : [`Prediction drift: ${result.prediction.drifted ? "**yes**" : "no"}.`, ""];
  const link = runUrl === undefined ? [] : [`Evidence: [the drift check run](${runUrl}).`, ""];
  const body = [
    retrainMarker(model, fingerprint),
    `## Retrain ${model}: its inputs in ${target} drifted`,
    "",
    `The drift check of **${target}** found drift in the inputs of **${model}** version **${version}**: ${drifted.length} of ${total} features drifted${share} (verdict: ${result.dataset.verdict}).`,
    "",
    ...link,
    ...evidenceTable(evidence),
    "",
    ...prediction,
    `This branch writes the drift fingerprint to \`models/${model}/retrain.json\`, which makes the pull request loop retrain ${model}'s experiments on this branch. The metrics comment then compares the retrained candidate with the champion (version ${version}); merge to register it, then promote it as usual.`,
    "",
    "_Opened by modelci on a failed drift check. While this pull request is open, a changed drift updates it in place; once it is closed without merging, modelci stays silent until the drift changes._",
  ].join("\n");
  const marker = {
    model,
    fingerprint,
    cause: "drift",
    target,
    version,
    drifted,
    ...(runUrl === undefined ? {} : { run: runUrl }),
  };
  return {
    title: `Retrain ${model}: drift in ${target} (version ${version})`,
    body,
    message: `Retrain ${model}: drift in ${target} (version ${version})\n\nDrifted: ${drifted.join(", ") || "none listed"}.\nFingerprint: ${fingerprint}`,
    marker: `${JSON.stringify(marker, null, 2)}\n`,
  };
}

function manualText(cause: Extract<RetrainCause, { kind: "manual" }>): RetrainPullText {
  const { model, requester, reason, fingerprint } = cause;
  const why = reason === "" ? "" : `: ${escapeMarkdown(reason, 500)}`;
  const body = [
    retrainMarker(model, fingerprint),
    `## Retrain ${model}`,
    "",
    `Requested by @${requester.login} in #${requester.issue}${why}.`,
    "",
    `This branch writes \`models/${model}/retrain.json\`, which makes the pull request loop retrain ${model}'s experiments on this branch. The metrics comment then compares the retrained candidate with the champion; merge to register it, then promote it as usual.`,
  ].join("\n");
  const marker = { model, fingerprint, cause: "manual", requester: requester.login, reason };
  return {
    title: `Retrain ${model}`,
    body,
    // The trailer makes the requester the pull request's author for the promotion gate.
    message: withRequesterTrailer(
      `Retrain ${model}\n\nRequested by @${requester.login} in #${requester.issue}${reason === "" ? "" : `: ${reason.replace(/\s+/g, " ").slice(0, 500)}`}`,
      requester.login,
    ),
    marker: `${JSON.stringify(marker, null, 2)}\n`,
  };
}

export function renderRetrainPull(cause: RetrainCause): RetrainPullText {
  return cause.kind === "drift" ? driftText(cause.evidence, cause.fingerprint) : manualText(cause);
}

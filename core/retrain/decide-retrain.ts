/**
 * Whether a drift check opens a retraining pull request, updates the open one, or does nothing.
 * Renovate-style: no database, only the pull requests of the branch `modelci/retrain/<model>` and
 * the fingerprint hidden in their bodies. Pure.
 */

/** A pull request from the retraining branch, newest first as GitHub lists them. */
export interface RetrainPull {
  number: number;
  url: string;
  state: "OPEN" | "CLOSED" | "MERGED";
  createdAt: string;
  body: string;
  headRefOid: string;
}

export type RetrainDecision =
  | { action: "open"; why: string }
  | { action: "update"; pull: RetrainPull; why: string }
  | { action: "skip"; pull?: RetrainPull; why: string };

const MARKER = /<!-- modelci:retrain model=(\S+) fingerprint=([0-9a-z:-]+) -->/;

/** The hidden marker a retraining pull request's body starts with. */
export function retrainMarker(model: string, fingerprint: string): string {
  return `<!-- modelci:retrain model=${model} fingerprint=${fingerprint} -->`;
}

/** The fingerprint in a body, when it carries the marker for `model`. */
export function readFingerprint(body: string, model: string): string | undefined {
  const found = MARKER.exec(body);
  return found?.[1] === model ? found[2] : undefined;
}

/** The marker file (relative to the modelci root) whose change makes the pull request loop retrain a model. */
export function retrainMarkerPath(model: string): string {
  return `models/${model}/retrain.json`;
}

/** The branch every retraining pull request of a model comes from. */
export function retrainBranch(model: string): string {
  return `modelci/retrain/${model}`;
}

export interface RetrainSituation {
  model: string;
  fingerprint: string;
  pulls: readonly RetrainPull[];
  now: Date;
  cooldownHours: number;
  /** A person asked (`/modelci retrain`): the cool-down and closed pull requests do not hold them back. */
  manual: boolean;
}

export function decideRetrain(situation: RetrainSituation): RetrainDecision {
  const { model, fingerprint, pulls, now, cooldownHours, manual } = situation;
  const open = pulls.find((pull) => pull.state === "OPEN");
  if (open !== undefined) {
    if (manual) return { action: "skip", pull: open, why: `#${open.number} already retrains ${model}` };
    return readFingerprint(open.body, model) === fingerprint
      ? { action: "skip", pull: open, why: `#${open.number} already carries this drift` }
      : { action: "update", pull: open, why: `#${open.number} is open; the drift changed` };
  }
  if (manual) return { action: "open", why: "requested" };
  const latest = [...pulls].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0];
  if (latest === undefined) return { action: "open", why: `${model} has no retraining pull request yet` };
  if (latest.state === "CLOSED" && readFingerprint(latest.body, model) === fingerprint) {
    return {
      action: "skip",
      pull: latest,
      why: `#${latest.number} was closed without merging; silent until the drift changes`,
    };
  }
  const until = Date.parse(latest.createdAt) + cooldownHours * 3_600_000;
  if (until > now.getTime()) {
    return {
      action: "skip",
      pull: latest,
      why: `cool-down: #${latest.number} was opened less than ${cooldownHours} h ago (until ${new Date(until).toISOString()})`,
    };
  }
  return {
    action: "open",
    why: latest.state === "MERGED" ? `#${latest.number} was merged; a new cycle` : "the drift changed",
  };
}

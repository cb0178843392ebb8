/**
 * The deployment protection rule's verdict: what is about to deploy to an environment must be what
 * a passing promotion gate approved. Pure: the App gathers the facts from GitHub.
 */

/** A version file as it is at the deployment's commit. */
export interface DeployedVersion {
  model: string;
  version: number;
  file: string;
  /** Git blob id at the deployment's commit; undefined when the file is missing there. */
  blob: string | undefined;
  /** The artifact sha256 it records, when it parses. */
  sha256: string | undefined;
}

/** The pull request whose promotion gate vouches for the target's current content. */
export interface Approval {
  pull: number;
  headSha: string;
  /** The newest `modelci/promotion` check run of this App on the head, if any. */
  check: { conclusion: string | null; url?: string } | undefined;
  /** Blob ids at the pull request's head, by path. */
  blobs: ReadonlyMap<string, string>;
}

export interface DeploymentFacts {
  environment: string;
  sha: string;
  /** The declared target that deploys through this environment, with its file's blob id. */
  target?: { name: string; file: string; blob: string | undefined };
  versions: readonly DeployedVersion[];
  /** The commit that last changed the target's file, before the deployment's commit. */
  lastChange?: string;
  approval?: Approval;
}

export interface DeploymentVerdict {
  state: "approved" | "rejected";
  comment: string;
}

const CHECK = "modelci/promotion";
const short = (sha: string) => sha.slice(0, 7);
const reject = (comment: string): DeploymentVerdict => ({ state: "rejected", comment });

/** Approves only when every served version is intact and a passing gate approved exactly this content. */
export function judgeDeployment(facts: DeploymentFacts): DeploymentVerdict {
  const at = short(facts.sha);
  const { target, approval } = facts;
  if (target === undefined || target.blob === undefined) {
    return reject(
      `No deployments/*.yaml declares environment "${facts.environment}" at ${at}; modelci cannot vouch for this deployment.`,
    );
  }
  for (const v of facts.versions) {
    if (v.blob === undefined)
      return reject(`${v.model} ${v.version} is not registered at ${at} (no ${v.file}).`);
    if (v.sha256 === undefined || !/^[a-f0-9]{64}$/.test(v.sha256))
      return reject(`${v.file} at ${at} is invalid or records no artifact sha256.`);
  }
  if (approval === undefined) {
    const change =
      facts.lastChange === undefined
        ? `no commit shows how ${target.file} got its content`
        : `${target.file} was last changed by ${short(facts.lastChange)}, which no pull request introduced`;
    return reject(`${change}: promote through a pull request so the promotion gate judges it.`);
  }
  const pr = `#${approval.pull} (head ${short(approval.headSha)})`;
  if (approval.check === undefined) return reject(`${pr} has no ${CHECK} check from this app.`);
  if (approval.check.conclusion !== "success")
    return reject(`The promotion gate on ${pr} concluded ${approval.check.conclusion ?? "nothing yet"}.`);
  if (approval.blobs.get(target.file) !== target.blob)
    return reject(`${target.file} at ${at} differs from what the promotion gate approved in ${pr}.`);
  for (const v of facts.versions) {
    if (approval.blobs.get(v.file) !== v.blob)
      return reject(`${v.file} at ${at} differs from what the promotion gate approved in ${pr}.`);
  }
  const served = facts.versions.map((v) => `${v.model} ${v.version} (sha256 ${v.sha256?.slice(0, 12)}…)`);
  return {
    state: "approved",
    comment: `${target.name} at ${at}: ${served.length > 0 ? served.join(", ") : "serves no model"}, as approved by the promotion gate on ${pr}; version files unchanged.`,
  };
}

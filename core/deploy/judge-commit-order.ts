/**
 * Whether a deploy of commit S may go ahead when the environment's latest successful deployment is
 * at another commit D, from GitHub's compare of S...D. A re-run of an old push's workflow must not
 * roll production back to S; a deliberate dispatch with `allow-older` may.
 */

/** GitHub's compare status of `S...D`: "ahead" means D is ahead of S (S is older). */
export type CommitOrder = "ahead" | "behind" | "identical" | "diverged";

export interface CommitOrderInput {
  target: string;
  environment: string;
  /** The commit this run deploys (S). */
  commit: string;
  /** The environment's latest successful deployment, at another commit (D). */
  deployed: { id: number; sha: string };
  order: CommitOrder;
  /** A workflow_dispatch (deliberate) rather than a push. */
  dispatch: boolean;
}

export type CommitOrderVerdict =
  | { action: "deploy" }
  /** A stale re-run of a push: nothing deploys, the job does not fail. */
  | { action: "skip"; message: string }
  /** A conflict (diverged histories, or an older commit dispatched without allow-older): the job fails. */
  | { action: "refuse"; message: string };

const short = (sha: string) => sha.slice(0, 7);

/** "deploy" when S contains D (the normal next push); "skip" or "refuse" otherwise. */
export function judgeCommitOrder(input: CommitOrderInput): CommitOrderVerdict {
  const { environment, commit, deployed, order } = input;
  const at = `${short(deployed.sha)} is already deployed to ${environment} (deployment ${deployed.id})`;
  if (order === "behind" || order === "identical") return { action: "deploy" };
  if (order === "diverged") {
    return {
      action: "refuse",
      message: `Refused: ${short(commit)} and the deployed ${short(deployed.sha)} (deployment ${deployed.id}) have diverged histories; nothing deployed. Deploy a commit that contains ${short(deployed.sha)}, or dispatch the workflow with allow-older: true to replace it on purpose.`,
    };
  }
  if (input.dispatch) {
    return {
      action: "refuse",
      message: `Refused: a newer commit ${at}; this run is for ${short(commit)}. To deploy the older commit on purpose, dispatch with allow-older: true.`,
    };
  }
  return {
    action: "skip",
    message: `Skipped: a newer commit ${at}; this run is for ${short(commit)}. Re-run the latest push, or dispatch the workflow with allow-older: true to deploy this commit on purpose.`,
  };
}

import { UserError } from "../../core/errors.ts";
import { type GitHub, hasStatus, type Repo } from "./types.ts";

export interface DeploymentReview extends Repo {
  /** The payload's `deployment_callback_url`. */
  callbackUrl: string;
  environment: string;
  state: "approved" | "rejected";
  comment: string;
}

const CALLBACK = /\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)\/deployment_protection_rule$/;

/** The workflow run a callback URL names; it must belong to the repository of the event. */
export function parseCallbackUrl(url: string, repo: Repo): number {
  const match = CALLBACK.exec(new URL(url).pathname);
  const [, owner = "", name = "", runId = ""] = match ?? [];
  if (
    !match ||
    owner.toLowerCase() !== repo.owner.toLowerCase() ||
    name.toLowerCase() !== repo.repo.toLowerCase()
  )
    throw new UserError(
      `deployment_callback_url ${url} is not a deployment protection rule of ${repo.owner}/${repo.repo}`,
    );
  return Number(runId);
}

/**
 * Approves or rejects a deployment waiting on this App's protection rule. The run is read from the
 * callback URL and the request goes to the App's own API base URL. GitHub answers 422 when the gate
 * was decided already (a redelivered event): that is done, not an error.
 */
export async function reviewDeployment(
  gh: GitHub,
  review: DeploymentReview,
): Promise<"reviewed" | "already"> {
  const runId = parseCallbackUrl(review.callbackUrl, review);
  try {
    await gh.rest.actions.reviewCustomGatesForRun({
      owner: review.owner,
      repo: review.repo,
      run_id: runId,
      environment_name: review.environment,
      state: review.state,
      comment: review.comment.slice(0, 1000),
    });
    return "reviewed";
  } catch (error) {
    if (hasStatus(error, 422)) return "already";
    throw error;
  }
}

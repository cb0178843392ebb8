import { PROMOTION_CHECK } from "./create-promotion-check.ts";
import type { GitHub, Repo } from "./types.ts";

/**
 * The newest `modelci/promotion` check run on a commit written by this App (by `appId`: a check of
 * the same name from any other app never counts), or undefined.
 */
export async function findPromotionCheck(
  gh: GitHub,
  repo: Repo,
  sha: string,
  appId: number,
): Promise<{ conclusion: string | null; url?: string } | undefined> {
  const { data } = await gh.rest.checks.listForRef({
    owner: repo.owner,
    repo: repo.repo,
    ref: sha,
    check_name: PROMOTION_CHECK,
    app_id: appId,
    filter: "latest",
  });
  const ours = data.check_runs
    .filter((run) => run.name === PROMOTION_CHECK && run.app?.id === appId)
    .sort((a, b) => b.id - a.id)[0];
  if (ours === undefined) return undefined;
  return { conclusion: ours.conclusion, ...(ours.html_url ? { url: ours.html_url } : {}) };
}

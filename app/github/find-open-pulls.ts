import { type PullRef, pullRefOf } from "../gate/pull-ref.ts";
import type { GitHub, Repo } from "./types.ts";

/**
 * The open pull requests a check run or suite belongs to, as they are now. GitHub lists them in the
 * payload for branches of the repository itself; for forks the list is empty, so the pull requests
 * are looked up by the head commit.
 */
export async function findOpenPulls(
  gh: GitHub,
  repo: Repo,
  listed: readonly { number: number }[],
  headSha: string,
): Promise<PullRef[]> {
  const where = { owner: repo.owner, repo: repo.repo };
  if (listed.length > 0) {
    const pulls = await Promise.all(
      listed.map(async ({ number }) => (await gh.rest.pulls.get({ ...where, pull_number: number })).data),
    );
    return pulls.map((pull) => pullRefOf(pull, where)).filter((pull) => pull.open);
  }
  const { data } = await gh.rest.repos.listPullRequestsAssociatedWithCommit({
    ...where,
    commit_sha: headSha,
  });
  return data
    .filter((pull) => pull.state === "open" && pull.head.sha === headSha)
    .map((pull) => pullRefOf(pull, where));
}

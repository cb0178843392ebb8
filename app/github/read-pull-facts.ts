import type { Review, ReviewState } from "../../core/promotion/check-owners-approval.ts";
import type { PullCommit } from "../../core/promotion/find-requesters.ts";
import type { MembershipQuery } from "../../core/promotion/list-membership-queries.ts";
import type { PullRef } from "../gate/pull-ref.ts";
import { type GitHubCache, remember } from "./git-reader.ts";
import { type GitHub, hasStatus } from "./types.ts";

/** The paths a pull request changes (all pages; a rename counts as both paths), like `git diff --no-renames`. */
export function listPullFiles(gh: GitHub, pull: PullRef, cache: GitHubCache): Promise<string[]> {
  const key = `${pull.owner}/${pull.repo}#${pull.number}@${pull.baseSha}..${pull.headSha}`.toLowerCase();
  return remember(cache.pullFiles, key, async () => {
    const files = await gh.paginate(gh.rest.pulls.listFiles, {
      owner: pull.owner,
      repo: pull.repo,
      pull_number: pull.number,
      per_page: 100,
    });
    return [
      ...new Set(files.flatMap((f) => [f.filename, ...(f.previous_filename ? [f.previous_filename] : [])])),
    ];
  });
}

const STATES = new Set<string>(["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"]);

/** Every review of a pull request (all pages), in the shape the approvals rule reads. */
export async function listReviews(gh: GitHub, pull: PullRef): Promise<Review[]> {
  const reviews = await gh.paginate(gh.rest.pulls.listReviews, {
    owner: pull.owner,
    repo: pull.repo,
    pull_number: pull.number,
    per_page: 100,
  });
  return reviews.flatMap((review) =>
    review.user && STATES.has(review.state)
      ? [
          {
            user: review.user.login,
            state: review.state as ReviewState,
            commit_id: review.commit_id,
            submitted_at: review.submitted_at ?? null,
          },
        ]
      : [],
  );
}

/**
 * Which of the asked team memberships hold, through REST: one request each. Only active
 * memberships count; a team the App cannot see (404, 403) has no members.
 */
export async function findTeamMembers(gh: GitHub, queries: readonly MembershipQuery[]): Promise<Set<string>> {
  const members = new Set<string>();
  await Promise.all(
    queries.map(async (query) => {
      try {
        const { data } = await gh.rest.teams.getMembershipForUserInOrg({
          org: query.org,
          team_slug: query.slug,
          username: query.user,
        });
        if (data.state === "active") members.add(membershipKey(query));
      } catch (error) {
        if (!hasStatus(error, 404) && !hasStatus(error, 403)) throw error;
      }
    }),
  );
  return members;
}

/** `@org/team user`, lower case: how an answer records a membership that holds. */
export function membershipKey(query: MembershipQuery): string {
  return `${query.team} ${query.user}`.toLowerCase();
}

/** Every commit of a pull request (all pages, up to GitHub's 250), with GitHub's verification. */
export async function listPullCommits(gh: GitHub, pull: PullRef): Promise<PullCommit[]> {
  const commits = await gh.paginate(gh.rest.pulls.listCommits, {
    owner: pull.owner,
    repo: pull.repo,
    pull_number: pull.number,
    per_page: 100,
  });
  return commits.map((commit) => ({
    message: commit.commit.message,
    authorEmail: commit.commit.author?.email ?? "",
    verified: commit.commit.verification?.verified === true && commit.commit.verification.reason === "valid",
  }));
}

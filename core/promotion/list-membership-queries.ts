import type { Review } from "./check-owners-approval.ts";

/** One team membership the approvals rule depends on. */
export interface MembershipQuery {
  /** `@org/team`, as the owners list writes it. */
  team: string;
  org: string;
  slug: string;
  user: string;
}

const VERDICTS = new Set(["APPROVED", "CHANGES_REQUESTED", "DISMISSED"]);
const TEAM = /^@([^/\s]+)\/([^/\s]+)$/;

/** Reviewers whose latest verdict approves or requests changes (same order as the rule reads them). */
function deciders(reviews: readonly Review[]): string[] {
  const latest = new Map<string, Review>();
  const dated = reviews
    .map((review, index) => ({ review, index, at: Date.parse(review.submitted_at ?? "") }))
    .filter(({ review, at }) => VERDICTS.has(review.state) && !Number.isNaN(at))
    .sort((a, b) => a.at - b.at || a.index - b.index);
  for (const { review } of dated) latest.set(review.user.toLowerCase(), review);
  return [...latest.values()].filter((r) => r.state !== "DISMISSED").map((r) => r.user);
}

/**
 * The team memberships worth asking GitHub about: for each reviewer whose latest verdict counts
 * (an approval, or a request for changes that would block), other than the author (and whoever
 * asked for a command's pull request, whose approval never counts either), each team among
 * the owners of a policy that does not list them by name.
 */
export function listMembershipQueries(
  ownerLists: readonly (readonly string[])[],
  reviews: readonly Review[],
  author: string,
  requesters: readonly string[] = [],
): MembershipQuery[] {
  const authors = new Set([author, ...requesters].map((login) => login.toLowerCase()));
  const queries = new Map<string, MembershipQuery>();
  for (const user of deciders(reviews)) {
    if (authors.has(user.toLowerCase())) continue;
    for (const owners of ownerLists) {
      if (owners.some((owner) => owner.toLowerCase() === user.toLowerCase())) continue;
      for (const team of owners) {
        const match = TEAM.exec(team);
        if (match?.[1] === undefined || match[2] === undefined) continue;
        const key = `${team.toLowerCase()} ${user.toLowerCase()}`;
        if (!queries.has(key)) queries.set(key, { team, org: match[1], slug: match[2], user });
      }
    }
  }
  return [...queries.values()];
}

import { countOf, makeRule, type PromotionRule } from "./promotion-rule.ts";

/** A review's state as GitHub reports it. */
export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";

/** One pull request review, in the shape of GitHub's REST API (`user` is the reviewer's login). */
export interface Review {
  user: string;
  state: ReviewState;
  /** The commit the review was submitted on. */
  commit_id: string | null;
  /** ISO 8601; reviews without one (pending) are ignored. */
  submitted_at?: string | null;
}

/** Who reviewed what, and who is in which team: everything approvals depend on, as data. */
export interface ReviewInputs {
  reviews: readonly Review[];
  /** The pull request's author (login); their own approval never counts. */
  author: string;
  /**
   * Who asked for it, when a `/modelci` command opened it (find-requesters.ts): its authors too,
   * whose approval never counts either.
   */
  requesters?: readonly string[];
  /** The pull request's head commit sha; only approvals of this commit count. */
  headSha: string;
  /** Members of every team among the owners, as `@org/team` → logins. Teams not here have no members. */
  teams: ReadonlyMap<string, ReadonlySet<string>>;
}

/** How many owners' approvals a change needs, and why. */
export interface ApprovalNeed {
  owners: readonly string[];
  required: number;
  /** Why that many, for the detail: `weather's policy in the base`. */
  reason: string;
}

/** Reviews that change a reviewer's verdict. A comment after an approval does not withdraw it. */
const VERDICTS = new Set<ReviewState>(["APPROVED", "CHANGES_REQUESTED", "DISMISSED"]);

const lower = (s: string) => s.toLowerCase();

/** `a`, `a or b`, `a, b or c`. */
function either(names: readonly string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
}

/** Each reviewer's latest verdict: GitHub logins are case-insensitive, ties keep input order. */
function latestVerdicts(reviews: readonly Review[]): Map<string, Review> {
  const dated = reviews
    .map((review, index) => ({ review, index, at: Date.parse(review.submitted_at ?? "") }))
    .filter(({ review, at }) => VERDICTS.has(review.state) && !Number.isNaN(at))
    .sort((a, b) => a.at - b.at || a.index - b.index);
  const latest = new Map<string, Review>();
  for (const { review } of dated) latest.set(lower(review.user), review);
  return latest;
}

/** The owner entry (`alice` or `@org/team`) that makes `user` an owner, if any. */
export function ownerEntry(
  user: string,
  owners: readonly string[],
  teams: ReadonlyMap<string, ReadonlySet<string>>,
): string | undefined {
  const login = lower(user);
  const members = new Map([...teams].map(([team, users]) => [lower(team), new Set([...users].map(lower))]));
  return owners.find((owner) =>
    owner.startsWith("@") ? (members.get(lower(owner))?.has(login) ?? false) : lower(owner) === login,
  );
}

/**
 * The owners' approval rule: approvals of the head commit by owners other than the author, each
 * reviewer's latest verdict only; an owner's outstanding request for changes blocks.
 */
export function checkOwnersApproval(need: ApprovalNeed, input: ReviewInputs): PromotionRule {
  const author = lower(input.author);
  const requesters = new Set((input.requesters ?? []).map(lower));
  const isAuthor = (login: string) => login === author || requesters.has(login);
  const head = lower(input.headSha);
  const counted: string[] = [];
  const countedLogins = new Set<string>();
  const ignored: string[] = [];
  const stale: string[] = [];
  const blockers: string[] = [];
  for (const [login, review] of latestVerdicts(input.reviews)) {
    const via = ownerEntry(review.user, need.owners, input.teams);
    if (review.state === "CHANGES_REQUESTED") {
      if (via !== undefined && !isAuthor(login)) blockers.push(review.user);
      continue;
    }
    if (review.state !== "APPROVED") continue;
    if (login === author) ignored.push(`${review.user} is the author`);
    else if (requesters.has(login))
      ignored.push(`${review.user} asked for it through /modelci, so is its author`);
    else if (via === undefined) ignored.push(`${review.user} is not an owner`);
    else if (lower(review.commit_id ?? "") !== head) {
      stale.push(review.user);
      ignored.push(
        `${review.user} approved ${(review.commit_id ?? "an unknown commit").slice(0, 7)}, not the head commit`,
      );
    } else {
      counted.push(via === review.user ? review.user : `${review.user} (via ${via})`);
      countedLogins.add(login);
    }
  }

  const parts = [
    need.required === 0
      ? `${need.reason} needs no approval`
      : `${counted.length} of ${countOf(need.required, "approval")} (${need.reason}) from ${either(need.owners)}${counted.length > 0 ? `: ${counted.join(", ")}` : ""}`,
  ];
  if (ignored.length > 0) parts.push(`Not counted: ${ignored.join("; ")}`);
  if (blockers.length > 0) parts.push(`Changes requested by ${blockers.join(", ")}`);
  const detail = `${parts.join(". ")}.`;

  if (blockers.length > 0) {
    return makeRule(
      "owners-approval",
      "failed",
      detail,
      `${either(blockers)} requested changes: they must approve the head commit, or their review must be dismissed`,
    );
  }
  const short = need.required - counted.length;
  if (short <= 0) return makeRule("owners-approval", "met", detail);
  const eligible = need.owners.filter(
    (o) => o.startsWith("@") || (!isAuthor(lower(o)) && !countedLogins.has(lower(o))),
  );
  let next =
    eligible.length > 0
      ? `needs ${countOf(short, "more approval")} from ${either(eligible)}`
      : `needs ${countOf(short, "more approval")} from an owner other than the author; no other owner is listed (${either(need.owners)})`;
  if (stale.length > 0) next += `; ${either(stale)} approved an earlier commit and must approve again`;
  return makeRule("owners-approval", "missing", detail, next);
}

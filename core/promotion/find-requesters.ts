import { readRequesterTrailers } from "../commands/requester-trailer.ts";

/** A commit of a pull request, as far as requesters go. */
export interface PullCommit {
  message: string;
  /** The commit author's email. */
  authorEmail: string;
  /** Whether GitHub verified its signature as its own (commits a GitHub App makes through the API are). */
  verified: boolean;
}

/** Whether a pull request author is a GitHub App (`modelci[bot]`), as for a command's pull request. */
export function isAppAuthor(author: string): boolean {
  return /\[bot\]$/i.test(author);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Who asked for a pull request an App opened: the requester trailers of that App's own commits in
 * it, signed and verified by GitHub, authored as `<id>+<app>[bot]@users.noreply.<host>`. Anyone can
 * write a trailer into a commit of their own, or edit the pull request's body; neither counts.
 * Every requester named counts, so a forged commit can only add people whose approval is ignored.
 */
export function findRequesters(author: string, commits: readonly PullCommit[]): string[] {
  if (!isAppAuthor(author)) return [];
  const appEmail = new RegExp(`^\\d+\\+${escapeRegExp(author)}@users\\.noreply\\.`, "i");
  const logins = commits
    .filter((commit) => commit.verified && appEmail.test(commit.authorEmail))
    .flatMap((commit) => readRequesterTrailers(commit.message));
  return [...new Map(logins.map((login) => [login.toLowerCase(), login])).values()];
}

/**
 * One GraphQL query for everything a step of the promotion gate reads: git blobs by id, a pull
 * request's reviews, the history of target files, and team memberships. Without a clone each of
 * these is a REST request; batched, a first evaluation of a typical promotion costs two queries.
 * Every value travels as a variable, never spliced into the query text.
 */
import type { MembershipQuery } from "../../core/promotion/list-membership-queries.ts";

/** The commits that changed `path` in `commit`'s history, newest first, a page at a time. */
export interface HistoryAsk {
  commit: string;
  path: string;
  /** Cursor of the page before (the first page when absent). */
  after?: string;
}

/** What one query asks for; an empty ask needs no request. */
export interface BatchAsk {
  /** Git blob ids. */
  blobs: readonly string[];
  /** The pull request whose reviews to list. */
  reviews?: number;
  /** Also list that pull request's commits (for requester trailers; see find-requesters.ts). */
  commits?: boolean;
  histories: readonly HistoryAsk[];
  teams: readonly MembershipQuery[];
}

export interface BuiltQuery {
  query: string;
  variables: Record<string, string | number>;
}

/** Commits per history page: a stint rarely spans more changes of one target file than this. */
export const HISTORY_PAGE = 20;
/** Reviews in the first page; a pull request with more is read through REST, page by page. */
export const REVIEW_PAGE = 100;

const BLOB_FIELDS = "oid byteSize isBinary isTruncated text";
/** Commits per pull request read with the reviews; a command's pull request has one or two. */
export const COMMIT_PAGE = 100;
const COMMITS_FIELD = `commits(first: ${COMMIT_PAGE}) { totalCount nodes { commit { message author { email } signature { isValid wasSignedByGitHub } } } }`;

export function isEmptyAsk(ask: BatchAsk): boolean {
  return (
    ask.blobs.length === 0 &&
    ask.reviews === undefined &&
    ask.histories.length === 0 &&
    ask.teams.length === 0
  );
}

export function buildBatchQuery(owner: string, repo: string, ask: BatchAsk): BuiltQuery {
  const declared: string[] = [];
  const variables: Record<string, string | number> = {};
  const inRepo: string[] = [];
  const atTop: string[] = [];
  const variable = (name: string, type: string, value: string | number | undefined): string => {
    declared.push(`$${name}: ${type}`);
    if (value !== undefined) variables[name] = value;
    return `$${name}`;
  };

  ask.blobs.forEach((oid, i) => {
    inRepo.push(
      `b${i}: object(oid: ${variable(`b${i}`, "GitObjectID!", oid)}) { ... on Blob { ${BLOB_FIELDS} } }`,
    );
  });
  if (ask.reviews !== undefined) {
    const number = variable("pull", "Int!", ask.reviews);
    inRepo.push(
      `pull: pullRequest(number: ${number}) { reviews(first: ${REVIEW_PAGE}) { pageInfo { hasNextPage } nodes { author { __typename login } state commit { oid } submittedAt } }${ask.commits ? ` ${COMMITS_FIELD}` : ""} }`,
    );
  }
  ask.histories.forEach((history, i) => {
    const commit = variable(`h${i}c`, "GitObjectID!", history.commit);
    const path = variable(`h${i}p`, "String!", history.path);
    const after = variable(`h${i}a`, "String", history.after);
    inRepo.push(
      `h${i}: object(oid: ${commit}) { ... on Commit { history(path: ${path}, first: ${HISTORY_PAGE}, after: ${after}) { pageInfo { hasNextPage endCursor } nodes { oid committedDate message file(path: ${path}) { object { ... on Blob { ${BLOB_FIELDS} } } } associatedPullRequests(first: 10) { nodes { number state mergedAt headRefOid baseRefName } } } } } }`,
    );
  });
  ask.teams.forEach((team, i) => {
    const org = variable(`t${i}o`, "String!", team.org);
    const slug = variable(`t${i}s`, "String!", team.slug);
    const user = variable(`t${i}u`, "String!", team.user);
    atTop.push(
      `t${i}: organization(login: ${org}) { team(slug: ${slug}) { members(query: ${user}, first: 100, membership: ALL) { nodes { login } } } }`,
    );
  });

  const body = [...atTop];
  if (inRepo.length > 0) {
    const at = `repository(owner: ${variable("owner", "String!", owner)}, name: ${variable("repo", "String!", repo)})`;
    body.unshift(`${at} { ${inRepo.join(" ")} }`);
  }
  return { query: `query modelciGate(${declared.join(", ")}) { ${body.join(" ")} }`, variables };
}

/** Reads the data of a batch query (see build-batch-query.ts) into the shapes the gate works with. */
import type { Review, ReviewState } from "../../core/promotion/check-owners-approval.ts";
import type { PullCommit } from "../../core/promotion/find-requesters.ts";
import type { BatchAsk } from "./build-batch-query.ts";
import type { CommitPull } from "./git-reader.ts";
import { membershipKey } from "./read-pull-facts.ts";

/** A target file at one commit of its history: its bytes, or why there are none. */
export type FileState = Uint8Array | "absent" | "unreadable";

/** A commit that changed a file, with the file as that commit left it and its pull requests. */
export interface HistoryCommit {
  sha: string;
  /** Committer date: when the change reached the branch (for a rebase or squash merge). */
  date: string;
  message: string;
  file: FileState;
  pulls: CommitPull[];
}

export interface HistoryPage {
  commits: HistoryCommit[];
  /** Cursor of the next page; undefined on the last. */
  next: string | undefined;
}

export interface BatchAnswer {
  /** Blob id → bytes. Blobs GraphQL cannot give byte for byte (binary, truncated, re-encoded) are missing. */
  blobs: Map<string, Uint8Array>;
  /** The reviews, unless the pull request has more than one page of them. */
  reviews?: { list: Review[]; complete: boolean };
  /** The pull request's commits, when asked and all on one page. */
  commits?: PullCommit[];
  /** In the order of the ask. */
  histories: HistoryPage[];
  /** `@org/team user`, lower case, for each asked membership that holds. */
  members: Set<string>;
}

interface GraphBlob {
  oid?: string;
  byteSize?: number;
  isBinary?: boolean | null;
  isTruncated?: boolean;
  text?: string | null;
}

interface GraphPull {
  number: number;
  state: string;
  mergedAt: string | null;
  headRefOid: string;
  baseRefName: string;
}

interface GraphCommit {
  oid: string;
  committedDate: string;
  message: string;
  file: { object: GraphBlob | null } | null;
  associatedPullRequests: { nodes: (GraphPull | null)[] | null } | null;
}

interface GraphReview {
  author: { __typename: string; login: string } | null;
  state: string;
  commit: { oid: string } | null;
  submittedAt: string | null;
}

type Data = Record<string, unknown> & { repository?: Record<string, unknown> | null };

const encoder = new TextEncoder();
const STATES = new Set<string>(["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"]);

/**
 * A blob's exact bytes, when GraphQL's text is them: not binary, not truncated, and the same length
 * once encoded (a file that is not UTF-8 comes back re-encoded, and the loader must see its bytes).
 */
export function blobBytes(blob: GraphBlob | null | undefined): Uint8Array | undefined {
  if (blob?.text === null || blob?.text === undefined || blob.isBinary || blob.isTruncated) return undefined;
  const bytes = encoder.encode(blob.text);
  return bytes.length === blob.byteSize ? bytes : undefined;
}

function fileState(file: GraphCommit["file"]): FileState {
  if (file === null) return "absent";
  return blobBytes(file.object) ?? "unreadable";
}

/** A GitHub App's login in REST is `name[bot]`; GraphQL gives the bare name. */
function loginOf(author: NonNullable<GraphReview["author"]>): string {
  return author.__typename === "Bot" && !author.login.endsWith("[bot]")
    ? `${author.login}[bot]`
    : author.login;
}

function readReviews(nodes: readonly (GraphReview | null)[]): Review[] {
  return nodes.flatMap((node) =>
    node?.author && STATES.has(node.state)
      ? [
          {
            user: loginOf(node.author),
            state: node.state as ReviewState,
            commit_id: node.commit?.oid ?? null,
            submitted_at: node.submittedAt,
          },
        ]
      : [],
  );
}

function readHistory(node: unknown): HistoryPage {
  const history = (node as { history?: unknown } | null)?.history as
    | { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: (GraphCommit | null)[] | null }
    | undefined;
  if (history === undefined) return { commits: [], next: undefined };
  const commits = (history.nodes ?? []).flatMap((commit) =>
    commit === null
      ? []
      : [
          {
            sha: commit.oid,
            date: commit.committedDate,
            message: commit.message,
            file: fileState(commit.file),
            pulls: (commit.associatedPullRequests?.nodes ?? []).flatMap((pull) =>
              pull === null
                ? []
                : [
                    {
                      number: pull.number,
                      state: pull.state === "OPEN" ? "open" : "closed",
                      mergedAt: pull.mergedAt,
                      headSha: pull.headRefOid,
                      baseRef: pull.baseRefName,
                    },
                  ],
            ),
          },
        ],
  );
  const { hasNextPage, endCursor } = history.pageInfo;
  return { commits, next: hasNextPage && endCursor !== null ? endCursor : undefined };
}

function isMember(node: unknown, user: string): boolean {
  const members = (node as { team?: { members?: { nodes?: ({ login: string } | null)[] } } | null } | null)
    ?.team?.members?.nodes;
  return (members ?? []).some((member) => member?.login.toLowerCase() === user.toLowerCase());
}

export function readBatchAnswer(data: Data, ask: BatchAsk): BatchAnswer {
  const repository = data.repository ?? {};
  const blobs = new Map<string, Uint8Array>();
  ask.blobs.forEach((oid, i) => {
    const bytes = blobBytes(repository[`b${i}`] as GraphBlob | null | undefined);
    if (bytes !== undefined) blobs.set(oid, bytes);
  });
  const answer: BatchAnswer = {
    blobs,
    histories: ask.histories.map((_, i) => readHistory(repository[`h${i}`])),
    members: new Set(ask.teams.filter((team, i) => isMember(data[`t${i}`], team.user)).map(membershipKey)),
  };
  if (ask.reviews !== undefined) {
    const reviews = (repository.pull as { reviews?: unknown } | null | undefined)?.reviews as
      | { pageInfo: { hasNextPage: boolean }; nodes: (GraphReview | null)[] | null }
      | undefined;
    answer.reviews = {
      list: readReviews(reviews?.nodes ?? []),
      complete: reviews !== undefined && !reviews.pageInfo.hasNextPage,
    };
  }
  if (ask.commits) {
    const commits = readPullCommits(
      (repository.pull as { commits?: GraphCommits } | null | undefined)?.commits,
    );
    if (commits !== undefined) answer.commits = commits;
  }
  return answer;
}

interface GraphCommits {
  totalCount: number;
  nodes:
    | ({
        commit: {
          message: string;
          author: { email: string | null } | null;
          signature: { isValid: boolean; wasSignedByGitHub: boolean } | null;
        };
      } | null)[]
    | null;
}

/** A pull request's commits, or undefined when they do not fit one page (the REST list reads them all). */
function readPullCommits(commits: GraphCommits | undefined): PullCommit[] | undefined {
  const nodes = commits?.nodes ?? [];
  if (commits === undefined || commits.totalCount > nodes.length) return undefined;
  return nodes.flatMap((node) =>
    node === null
      ? []
      : [
          {
            message: node.commit.message,
            authorEmail: node.commit.author?.email ?? "",
            verified: node.commit.signature?.isValid === true && node.commit.signature.wasSignedByGitHub,
          },
        ],
  );
}

import { chunkRuns } from "../../core/train/expand-sweep.ts";
import { type BatchAsk, buildBatchQuery, isEmptyAsk } from "./build-batch-query.ts";
import type { GitHubCache } from "./git-reader.ts";
import { type BatchAnswer, readBatchAnswer } from "./read-batch-answer.ts";
import type { GitHub, Repo } from "./types.ts";

interface GraphqlError {
  type?: string;
  path?: readonly (string | number)[];
}

/** Parts of an answer that may be missing without failing the evaluation. */
const OPTIONAL_PATH = /^(t\d+|b\d+)$/;
const OPTIONAL_TYPES = new Set(["NOT_FOUND", "FORBIDDEN"]);

/**
 * The partial data of a GraphQL answer whose only errors are a team or organisation the App cannot
 * see (it has no members, as with REST's 404) or a blob it cannot read (read again through REST,
 * which says why). Any other error fails the evaluation.
 */
function partialData(error: unknown): Record<string, unknown> | undefined {
  const { errors, data } = error as { errors?: unknown; data?: unknown };
  if (!Array.isArray(errors) || typeof data !== "object" || data === null) return undefined;
  const optional = (errors as GraphqlError[]).every((e) => {
    const field = e.path?.[0] === "repository" ? e.path[1] : e.path?.[0];
    return typeof field === "string" && OPTIONAL_PATH.test(field) && OPTIONAL_TYPES.has(e.type ?? "");
  });
  return optional ? (data as Record<string, unknown>) : undefined;
}

/** Blobs per query: a monorepo with hundreds of models splits its policies over a few queries. */
export const MAX_BLOBS_PER_QUERY = 250;

/**
 * Asks GitHub's GraphQL API for everything in `ask`: one query, or one more per
 * MAX_BLOBS_PER_QUERY blobs beyond the first. Nothing is asked when the ask is empty.
 */
export async function runBatchQuery(gh: GitHub, repo: Repo, ask: BatchAsk): Promise<BatchAnswer> {
  if (ask.blobs.length <= MAX_BLOBS_PER_QUERY) return runOneQuery(gh, repo, ask);
  const answers = await Promise.all([
    runOneQuery(gh, repo, { ...ask, blobs: ask.blobs.slice(0, MAX_BLOBS_PER_QUERY) }),
    ...chunkRuns(ask.blobs.slice(MAX_BLOBS_PER_QUERY), MAX_BLOBS_PER_QUERY).map((blobs) =>
      runOneQuery(gh, repo, { blobs, histories: [], teams: [] }),
    ),
  ]);
  const [first] = answers as [BatchAnswer, ...BatchAnswer[]];
  for (const answer of answers.slice(1)) for (const [id, bytes] of answer.blobs) first.blobs.set(id, bytes);
  return first;
}

async function runOneQuery(gh: GitHub, repo: Repo, ask: BatchAsk): Promise<BatchAnswer> {
  if (isEmptyAsk(ask)) return readBatchAnswer({}, ask);
  const { query, variables } = buildBatchQuery(repo.owner, repo.repo, ask);
  let data: Record<string, unknown>;
  try {
    data = await gh.graphql<Record<string, unknown>>(query, variables);
  } catch (error) {
    const partial = partialData(error);
    if (partial === undefined) throw error;
    data = partial;
  }
  return readBatchAnswer(data, ask);
}

/** Blob ids among `ids` that the cache does not hold, each once. */
export function uncachedBlobs(cache: GitHubCache, ids: Iterable<string>): string[] {
  return [...new Set(ids)].filter((id) => !cache.blobs.has(id));
}

/** Puts blobs read in a batch where the git reader finds them. */
export function primeBlobs(cache: GitHubCache, blobs: ReadonlyMap<string, Uint8Array>): void {
  for (const [id, bytes] of blobs) cache.blobs.set(id, Promise.resolve(bytes));
}

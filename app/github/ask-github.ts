import type { PullRef } from "../gate/pull-ref.ts";
import type { BatchAsk } from "./build-batch-query.ts";
import type { BatchAnswer } from "./read-batch-answer.ts";
import { findTeamMembers, listPullCommits, listReviews } from "./read-pull-facts.ts";
import { runBatchQuery } from "./run-batch-query.ts";
import type { GitHub } from "./types.ts";

/** Team lookups an ask may hold and still go through REST (at most one request more than GraphQL). */
const REST_TEAMS = 2;

/**
 * Whether REST answers an ask in as few requests as GraphQL, or one more for two team lookups:
 * a re-evaluation, whose files and history are cached, asks only for reviews or team memberships.
 * REST reads are GETs, which Probot's throttling lets through at once, while every GraphQL query
 * waits its turn with the writes (one a second per installation).
 */
function suitsRest(ask: BatchAsk): boolean {
  return (
    ask.blobs.length === 0 &&
    ask.histories.length === 0 &&
    ask.teams.length + (ask.commits ? 1 : 0) <= REST_TEAMS
  );
}

/** What the gate asks GitHub, through REST when that costs no more (see suitsRest), else GraphQL. */
export async function askGitHub(gh: GitHub, pull: PullRef, ask: BatchAsk): Promise<BatchAnswer> {
  if (!suitsRest(ask)) return runBatchQuery(gh, pull, ask);
  const [reviews, members, commits] = await Promise.all([
    ask.reviews === undefined ? undefined : listReviews(gh, pull),
    findTeamMembers(gh, ask.teams),
    ask.commits ? listPullCommits(gh, pull) : undefined,
  ]);
  return {
    blobs: new Map(),
    histories: [],
    members,
    ...(reviews === undefined ? {} : { reviews: { list: reviews, complete: true } }),
    ...(commits === undefined ? {} : { commits }),
  };
}

import { formatDiagnostic } from "../../core/declarations/diagnostic.ts";
import type { Project } from "../../core/declarations/project.ts";
import type { PromotionInputs } from "../../core/promotion/evaluate-promotion.ts";
import type { FileDigests } from "../../core/promotion/find-promotions.ts";
import { findPromotions } from "../../core/promotion/find-promotions.ts";
import { findRequesters, isAppAuthor } from "../../core/promotion/find-requesters.ts";
import { listMembershipQueries } from "../../core/promotion/list-membership-queries.ts";
import { listSoakNeeds } from "../../core/promotion/list-soak-needs.ts";
import { resolvePolicy } from "../../core/promotion/resolve-policy.ts";
import { type DeclarationSelection, widenSelection } from "../../core/promotion/select-declarations.ts";
import { askGitHub } from "../github/ask-github.ts";
import type { HistoryAsk } from "../github/build-batch-query.ts";
import { findServedSince } from "../github/find-served-since.ts";
import type { GitHubCache, GitReader, Tree } from "../github/git-reader.ts";
import { blobIdsUnder, type CommitDeclarations, loadDeclarations } from "../github/load-declarations.ts";
import { createHistoryPager, hasHistory, rememberHistory } from "../github/page-history.ts";
import type { HistoryPage } from "../github/read-batch-answer.ts";
import { listPullCommits, listPullFiles, listReviews, membershipKey } from "../github/read-pull-facts.ts";
import { primeBlobs, uncachedBlobs } from "../github/run-batch-query.ts";
import { listSelectedBlobs } from "../github/tree-file-source.ts";
import type { GitHub } from "../github/types.ts";
import type { PullRef } from "./pull-ref.ts";

/** What the gate found: nothing to judge, declarations it cannot judge by, or the inputs to judge. */
export type PullInputs =
  | { kind: "none" }
  | { kind: "invalid"; side: "base" | "head"; sha: string; errors: string[] }
  | { kind: "ready"; inputs: PromotionInputs };

/** A path a promotion can be made of, under any modelci root. */
const PROMOTION_PATH = /(^|\/)(deployments|models)\//;

interface Sides<T> {
  base: T;
  head: T;
}

/** The head supplies only what is proposed: its changed files and policies, never other targets. */
const headSelection = (selection: DeclarationSelection): DeclarationSelection => ({
  ...selection,
  deployments: new Set<string>(),
});

function load(reader: GitReader, pull: PullRef, selection: DeclarationSelection) {
  return Promise.all([
    loadDeclarations(reader, pull.baseSha, selection),
    loadDeclarations(reader, pull.headSha, headSelection(selection)),
  ]);
}

function blobsOf(cache: GitHubCache, trees: Sides<Tree>, selection: DeclarationSelection): string[] {
  return uncachedBlobs(cache, [
    ...listSelectedBlobs(trees.base, selection),
    ...listSelectedBlobs(trees.head, headSelection(selection)),
  ]);
}

function errorsOf(side: CommitDeclarations): string[] {
  return side.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic);
}

function digestsOf(base: CommitDeclarations, head: CommitDeclarations): FileDigests {
  return {
    base: blobIdsUnder(base.tree, `${base.project.root}models/`),
    head: blobIdsUnder(head.tree, `${head.project.root}models/`),
  };
}

function ownersOf(
  base: Project,
  head: Project,
  changed: readonly string[],
  digests: FileDigests,
): string[][] {
  const models = new Set(findPromotions(base, head, changed, digests).map((c) => c.model));
  return [...models].flatMap((model) => {
    const policy = resolvePolicy(base, head, model);
    return policy === undefined ? [] : [[...policy.owners]];
  });
}

/**
 * Everything the promotion gate judges a pull request on, in two GraphQL queries after the file
 * list and the two trees: first the targets, every policy, the changed files and the reviews; then
 * the versions involved, the serving history soak time needs and the team memberships approvals
 * need. A pull request a command opened (its author is an App) also has its commits read with the
 * reviews, for who asked for it (find-requesters.ts). Blobs and history are immutable and cached, so a re-evaluation asks only for reviews and
 * teams, which REST answers at once (see askGitHub).
 * The policy comes from the base commit; the head supplies only what is proposed.
 */
export async function collectPullInputs(
  gh: GitHub,
  reader: GitReader,
  cache: GitHubCache,
  pull: PullRef,
  now: Date,
): Promise<PullInputs> {
  const changed = await listPullFiles(gh, pull, cache);
  if (!changed.some((path) => PROMOTION_PATH.test(path))) return { kind: "none" };
  const [baseTree, headTree] = await Promise.all([reader.tree(pull.baseSha), reader.tree(pull.headSha)]);
  const trees = { base: baseTree, head: headTree };

  const first: DeclarationSelection = {
    deployments: "all",
    models: "all",
    versions: new Set(),
    paths: new Set(changed),
  };
  const requesterKey = `${pull.owner}/${pull.repo}#${pull.number}@${pull.headSha}`.toLowerCase();
  const knownRequesters = isAppAuthor(pull.author) ? cache.requesters.get(requesterKey) : [];
  const step1 = await askGitHub(gh, pull, {
    blobs: blobsOf(cache, trees, first),
    reviews: pull.number,
    ...(knownRequesters === undefined ? { commits: true } : {}),
    histories: [],
    teams: [],
  });
  primeBlobs(cache, step1.blobs);
  const reviews = step1.reviews?.complete ? step1.reviews.list : await listReviews(gh, pull);
  let requesters = knownRequesters;
  if (requesters === undefined) {
    requesters = findRequesters(pull.author, step1.commits ?? (await listPullCommits(gh, pull)));
    cache.requesters.set(requesterKey, requesters);
  }
  const [base1, head1] = await load(reader, pull, first);

  const second = widenSelection(base1.project, head1.project, changed, first);
  // Blob ids come from the trees, and the root from modelci.yaml, both read in full already.
  const digests = digestsOf(base1, head1);
  const needs = listSoakNeeds(base1.project, head1.project, changed, digests);
  const histories: HistoryAsk[] = [
    ...new Map(needs.map((need) => [need.file, { commit: pull.baseSha, path: need.file }])).values(),
  ].filter((ask) => !hasHistory(cache, pull, ask));
  const owners = ownersOf(base1.project, head1.project, changed, digests);
  const queries = listMembershipQueries(owners, reviews, pull.author, requesters);
  const step2 = await askGitHub(gh, pull, {
    blobs: blobsOf(cache, trees, second),
    histories,
    teams: queries,
  });
  primeBlobs(cache, step2.blobs);
  const read = new Map<HistoryAsk, HistoryPage>();
  histories.forEach((ask, i) => {
    const page = step2.histories[i] ?? { commits: [], next: undefined };
    read.set(ask, page);
    rememberHistory(cache, pull, ask, page);
  });

  const [[base, head], servedSince] = await Promise.all([
    load(reader, pull, second),
    findServedSince(createHistoryPager(gh, pull, cache, read), pull.baseSha, needs),
  ]);
  for (const [side, loaded] of [
    ["base", base],
    ["head", head],
  ] as const) {
    const errors = errorsOf(loaded);
    if (errors.length > 0) return { kind: "invalid", side, sha: loaded.sha, errors };
  }
  const teams = new Map<string, Set<string>>();
  for (const query of queries) {
    if (!step2.members.has(membershipKey(query))) continue;
    teams.set(query.team, (teams.get(query.team) ?? new Set()).add(query.user));
  }
  return {
    kind: "ready",
    inputs: {
      base: base.project,
      head: head.project,
      changed,
      digests,
      servedSince,
      now,
      reviews: { reviews, author: pull.author, requesters, headSha: pull.headSha, teams },
    },
  };
}

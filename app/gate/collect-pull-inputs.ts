import { formatDiagnostic } from "../../core/declarations/diagnostic.ts";
import type { PromotionInputs } from "../../core/promotion/evaluate-promotion.ts";
import { findPromotions } from "../../core/promotion/find-promotions.ts";
import { listMembershipQueries } from "../../core/promotion/list-membership-queries.ts";
import { listSoakNeeds } from "../../core/promotion/list-soak-needs.ts";
import { resolvePolicy } from "../../core/promotion/resolve-policy.ts";
import { type DeclarationSelection, widenSelection } from "../../core/promotion/select-declarations.ts";
import { findServedSince } from "../github/find-served-since.ts";
import type { GitHubCache, GitReader } from "../github/git-reader.ts";
import { blobIdsUnder, type CommitDeclarations, loadDeclarations } from "../github/load-declarations.ts";
import { findTeamMembers, listPullFiles, listReviews } from "../github/read-pull-facts.ts";
import type { GitHub } from "../github/types.ts";
import type { PullRef } from "./pull-ref.ts";

/** What the gate found: nothing to judge, declarations it cannot judge by, or the inputs to judge. */
export type PullInputs =
  | { kind: "none" }
  | { kind: "invalid"; side: "base" | "head"; sha: string; errors: string[] }
  | { kind: "ready"; inputs: PromotionInputs };

/** A path a promotion can be made of, under any modelci root. */
const PROMOTION_PATH = /(^|\/)(deployments|models)\//;

/** Reads both commits: all targets at the base, the changed files, then what the involved models need. */
async function loadBoth(reader: GitReader, pull: PullRef, changed: readonly string[]) {
  const first: DeclarationSelection = {
    deployments: "all",
    models: new Set(),
    versions: new Set(),
    paths: new Set(changed),
  };
  const headOnly = (selection: DeclarationSelection) => ({ ...selection, deployments: new Set<string>() });
  const [base1, head1] = await Promise.all([
    loadDeclarations(reader, pull.baseSha, first),
    loadDeclarations(reader, pull.headSha, headOnly(first)),
  ]);
  const second = widenSelection(base1.project, head1.project, changed, first);
  return Promise.all([
    loadDeclarations(reader, pull.baseSha, second),
    loadDeclarations(reader, pull.headSha, headOnly(second)),
  ]);
}

function errorsOf(side: CommitDeclarations): string[] {
  return side.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic);
}

/**
 * Everything the promotion gate judges a pull request on, through the GitHub API: the policy from
 * the base commit, the proposal from the head, reviews, team memberships and serving history.
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
  const [base, head] = await loadBoth(reader, pull, changed);
  for (const [side, loaded] of [
    ["base", base],
    ["head", head],
  ] as const) {
    const errors = errorsOf(loaded);
    if (errors.length > 0) return { kind: "invalid", side, sha: loaded.sha, errors };
  }
  const digests = {
    base: blobIdsUnder(base.tree, `${base.project.root}models/`),
    head: blobIdsUnder(head.tree, `${head.project.root}models/`),
  };
  const needs = listSoakNeeds(base.project, head.project, changed, digests);
  const [reviews, servedSince] = await Promise.all([
    listReviews(gh, pull),
    findServedSince(reader, pull.baseSha, needs),
  ]);
  const models = new Set(findPromotions(base.project, head.project, changed, digests).map((c) => c.model));
  const owners = [...models].flatMap((model) => {
    const policy = resolvePolicy(base.project, head.project, model);
    return policy === undefined ? [] : [policy.owners];
  });
  const teams = await findTeamMembers(gh, listMembershipQueries(owners, reviews, pull.author));
  return {
    kind: "ready",
    inputs: {
      base: base.project,
      head: head.project,
      changed,
      digests,
      servedSince,
      now,
      reviews: { reviews, author: pull.author, headSha: pull.headSha, teams },
    },
  };
}

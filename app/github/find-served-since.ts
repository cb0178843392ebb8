import { servedKey } from "../../core/promotion/check-stages.ts";
import { readServedVersions } from "../../core/promotion/find-serving-stints.ts";
import type { SoakNeed } from "../../core/promotion/list-soak-needs.ts";
import type { HistoryAsk } from "./build-batch-query.ts";
import type { HistoryCommit, HistoryPage } from "./read-batch-answer.ts";

/** A page of a target file's history: from an answer already in hand, or a query of its own. */
export type HistoryPager = (ask: HistoryAsk) => Promise<HistoryPage>;

function stillServes(commit: HistoryCommit, need: SoakNeed): boolean {
  if (commit.file === "unreadable") return false;
  const served = readServedVersions(commit.file === "absent" ? undefined : commit.file);
  return served?.get(need.model)?.includes(need.version) === true;
}

/**
 * The commit that started the version's stint in the target, lasting to `base`: walking the commits
 * that changed the target's file from the newest (whose content is the base's), the oldest one
 * after which the version still serves. A stint longer than a page reads the next page.
 */
async function findStintStart(
  page: HistoryPager,
  base: string,
  need: SoakNeed,
): Promise<HistoryCommit | undefined> {
  let start: HistoryCommit | undefined;
  let after: string | undefined;
  do {
    const { commits, next } = await page({ commit: base, path: need.file, ...(after ? { after } : {}) });
    for (const commit of commits) {
      if (start !== undefined && !stillServes(commit, need)) return start;
      start = commit;
    }
    after = next;
  } while (after !== undefined);
  return start;
}

/**
 * The history API lists commits the way `git log -- path` does, not first-parent, so a change that
 * came through a merge commit shows as the branch's commit. Its time is therefore the later of the
 * commit's committer date and when the pull request that brought it merged; soak time is never
 * counted from before the change reached the base branch.
 */
function landedAt(commit: HistoryCommit): Date | undefined {
  const committed = Date.parse(commit.date);
  if (Number.isNaN(committed)) return undefined;
  const merged = commit.pulls.map((pull) => Date.parse(pull.mergedAt ?? "")).filter((t) => !Number.isNaN(t));
  return new Date(Math.max(committed, merged.length > 0 ? Math.min(...merged) : committed));
}

/** `target@model@version` → since when, for each soak the gate will measure. */
export async function findServedSince(
  page: HistoryPager,
  base: string,
  needs: readonly SoakNeed[],
): Promise<Map<string, Date>> {
  const since = new Map<string, Date>();
  await Promise.all(
    needs.map(async (need) => {
      const start = await findStintStart(page, base, need);
      const at = start === undefined ? undefined : landedAt(start);
      if (at !== undefined) since.set(servedKey(need.target, need.model, need.version), at);
    }),
  );
  return since;
}

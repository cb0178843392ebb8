import type { HistoryAsk } from "./build-batch-query.ts";
import type { HistoryPager } from "./find-served-since.ts";
import type { GitHubCache } from "./git-reader.ts";
import type { HistoryPage } from "./read-batch-answer.ts";
import { runBatchQuery } from "./run-batch-query.ts";
import type { GitHub, Repo } from "./types.ts";

function historyKey(repo: Repo, ask: HistoryAsk): string {
  // Owner and repository names are case-insensitive on GitHub; paths in git are not.
  return `${`${repo.owner}/${repo.repo}`.toLowerCase()}@${ask.commit}:${ask.path}:${ask.after ?? ""}`;
}

/**
 * Keeps a history page for later evaluations. A commit's history never changes, but a pull request
 * that is still open may yet merge and move when its change landed, so such a page is not kept.
 */
export function rememberHistory(cache: GitHubCache, repo: Repo, ask: HistoryAsk, page: HistoryPage): void {
  const settled = page.commits.every((commit) => commit.pulls.every((pull) => pull.state !== "open"));
  if (settled) cache.histories.set(historyKey(repo, ask), Promise.resolve(page));
}

/** Whether the cache holds the page. */
export function hasHistory(cache: GitHubCache, repo: Repo, ask: HistoryAsk): boolean {
  return cache.histories.has(historyKey(repo, ask));
}

/**
 * History pages from the pages already read in this evaluation, then the cache, then one query
 * each (a stint longer than a page).
 */
export function createHistoryPager(
  gh: GitHub,
  repo: Repo,
  cache: GitHubCache,
  read: ReadonlyMap<HistoryAsk, HistoryPage>,
): HistoryPager {
  const inHand = new Map([...read].map(([ask, page]) => [historyKey(repo, ask), page]));
  return async (ask) => {
    const key = historyKey(repo, ask);
    const page = inHand.get(key) ?? (await cache.histories.get(key));
    if (page !== undefined) return page;
    const answer = await runBatchQuery(gh, repo, { blobs: [], histories: [ask], teams: [] });
    const fetched = answer.histories[0] ?? { commits: [], next: undefined };
    rememberHistory(cache, repo, ask, fetched);
    return fetched;
  };
}

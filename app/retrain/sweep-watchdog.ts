/**
 * The periodic drift-check watchdog: every installation's repositories, one after another. A
 * missed schedule produces no event at all, so only a timer can notice it; `npm run app` starts one
 * (MODELCI_WATCHDOG_MINUTES, default 60; 0 turns it off).
 */
import type { Logger, Probot } from "probot";
import { describeError } from "../../core/errors.ts";
import type { AppState } from "../app-state.ts";
import type { GitHub } from "../github/types.ts";
import { watchDriftChecks } from "./watch-drift-checks.ts";

/** Runs the watchdog over every repository the App is installed on; one repository's failure is logged, not fatal. */
export async function sweepWatchdog(app: Probot, state: AppState, log: Logger): Promise<number> {
  const gh = (await app.auth()) as GitHub;
  const installations = await gh.paginate(gh.rest.apps.listInstallations, { per_page: 100 });
  let stale = 0;
  for (const installation of installations) {
    const igh = (await app.auth(installation.id)) as GitHub;
    const repos = await igh.paginate(igh.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
    for (const repository of repos) {
      if (repository.archived) continue;
      const repo = { owner: repository.owner.login, repo: repository.name };
      const key = `${repo.owner}/${repo.repo}`;
      try {
        const statuses = await watchDriftChecks(igh, repo, repository.default_branch, state.now());
        const count = statuses.filter((status) => status.stale).length;
        if (count > 0) state.watchdogIssues.add(key);
        else state.watchdogIssues.delete(key);
        stale += count;
      } catch (error) {
        log.warn(`drift watchdog: ${key}: ${describeError(error)}`);
      }
    }
  }
  return stale;
}

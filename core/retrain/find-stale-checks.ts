/**
 * The drift-check watchdog's decision: which targets' scheduled checks have stopped. GitHub delays
 * scheduled runs under load, drops some, and disables schedules after 60 days without activity in
 * public repositories, so a check counts as stopped only when none completed for twice the longest
 * gap of its schedule. Pure.
 */
import { cronPeriodMinutes } from "./cron-period.ts";

export interface ScheduledTarget {
  target: string;
  schedule: string;
}

export interface CheckStatus {
  target: string;
  schedule: string;
  /** The longest gap between the schedule's firings, in minutes. */
  periodMinutes: number;
  stale: boolean;
  /** Why, for the issue and the log. */
  why: string;
}

export const WATCHDOG_TITLE_PREFIX = "drift checks are not running for ";
export const WATCHDOG_LABEL = "modelci:drift-watchdog";

const hours = (minutes: number): string =>
  minutes % 60 === 0 ? `${minutes / 60} h` : `${Math.round(minutes)} min`;

/** Each target's status, given when the drift workflow last completed (undefined: never). */
export function findStaleChecks(
  targets: readonly ScheduledTarget[],
  lastCompleted: Date | undefined,
  now: Date,
  workflow: string,
): CheckStatus[] {
  return targets.map(({ target, schedule }) => {
    const periodMinutes = cronPeriodMinutes(schedule);
    const allowed = 2 * periodMinutes;
    if (lastCompleted === undefined) {
      return {
        target,
        schedule,
        periodMinutes,
        stale: true,
        why: `${workflow} has never completed a run on the default branch`,
      };
    }
    const since = (now.getTime() - lastCompleted.getTime()) / 60_000;
    const last = lastCompleted.toISOString();
    return since > allowed
      ? {
          target,
          schedule,
          periodMinutes,
          stale: true,
          why: `${workflow} last completed at ${last}, and the schedule \`${schedule}\` runs at least every ${hours(periodMinutes)}: two runs or more are missing`,
        }
      : { target, schedule, periodMinutes, stale: false, why: `${workflow} completed at ${last}` };
  });
}

/** The watchdog issue's body for a stale target. */
export function renderWatchdogIssue(status: CheckStatus): string {
  return [
    `<!-- modelci:drift-watchdog target=${status.target} -->`,
    `The scheduled drift checks of **${status.target}** are not running: ${status.why}.`,
    "",
    "GitHub delays scheduled workflows under load, drops some runs, and disables schedules after 60 days without activity in public repositories. Check that the workflow is enabled (Actions → the drift workflow → Enable workflow), or run it by hand with `workflow_dispatch`.",
    "",
    "_modelci opened this issue and closes it when the checks run again._",
  ].join("\n");
}

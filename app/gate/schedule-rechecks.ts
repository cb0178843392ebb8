/**
 * Re-evaluations scheduled for when soak time will be met, so a pull request that only waits for
 * time turns green without anyone pressing Re-run. Timers live in this process: a restart forgets
 * them (the check's Re-run button and any new event still evaluate), and with several replicas
 * each schedules its own (an evaluation is idempotent, so a second one only rewrites the check).
 */

/** Starts a timer; returns how to cancel it. */
export type SetTimer = (ms: number, run: () => void) => () => void;

export interface Rechecks {
  /** Runs `task` at `at` (plus a margin), replacing what was scheduled under `key`. */
  schedule(key: string, at: Date, task: () => Promise<void>): void;
  /** Forgets what was scheduled under `key`. */
  cancel(key: string): void;
  /** How many are scheduled. */
  readonly size: number;
}

/** After the soak is met, so the clock of the evaluation is surely past it. */
export const RECHECK_MARGIN_MS = 60_000;
/** setTimeout's longest delay (about 24.8 days); a later time is reached in hops. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export const nodeTimer: SetTimer = (ms, run) => {
  const timer = setTimeout(run, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

export function createRechecks(now: () => Date, setTimer: SetTimer = nodeTimer): Rechecks {
  const pending = new Map<string, () => void>();
  const arm = (key: string, due: number, task: () => Promise<void>): void => {
    const wait = due - now().getTime();
    const hop = wait > MAX_DELAY_MS;
    pending.set(
      key,
      setTimer(Math.max(0, Math.min(wait, MAX_DELAY_MS)), () => {
        if (hop) return arm(key, due, task);
        pending.delete(key);
        // The task reports its own failures; a timer has nobody to hand them to.
        task().catch(() => undefined);
      }),
    );
  };
  return {
    schedule(key, at, task) {
      pending.get(key)?.();
      arm(key, at.getTime() + RECHECK_MARGIN_MS, task);
    },
    cancel(key) {
      pending.get(key)?.();
      pending.delete(key);
    },
    get size() {
      return pending.size;
    },
  };
}

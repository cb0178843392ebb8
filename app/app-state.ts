import { createRechecks, type Rechecks, type SetTimer } from "./gate/schedule-rechecks.ts";
import { createGitHubCache, type GitHubCache } from "./github/git-reader.ts";
import { LruCache } from "./github/lru-cache.ts";

/** What the App can be given; production takes the defaults. */
export interface AppOptions {
  /** This App's id: check runs of other apps never count. Default: APP_ID. */
  appId?: number;
  /** The clock soak time is measured with. */
  now?: () => Date;
  /** How re-checks after soak time are timed (default: unref'd setTimeout). */
  setTimer?: SetTimer;
  /**
   * Starts the periodic drift-check watchdog with the sweep to run (`npm run app`: every
   * MODELCI_WATCHDOG_MINUTES). Default: no watchdog timer.
   */
  scheduleWatchdog?: (sweep: () => Promise<void>) => void;
}

/** State one running App keeps in memory: caches of immutable git data, handled deliveries, a queue. */
export interface AppState {
  appId: number | undefined;
  now: () => Date;
  cache: GitHubCache;
  deliveries: DeliveryLog;
  queue: KeyedQueue;
  /** Re-evaluations due when soak time is met, by pull request. */
  rechecks: Rechecks;
  /** Repositories (`owner/repo`) where the drift watchdog last left an issue open. */
  watchdogIssues: Set<string>;
}

/** Delivery ids already handled (or in hand), so a redelivered webhook acts once. */
export interface DeliveryLog {
  /** False when the delivery was handled already; otherwise records it. */
  begin(id: string): boolean;
  /** Forgets a delivery whose handling failed, so GitHub's redelivery can try again. */
  fail(id: string): void;
}

/** Runs tasks with the same key one after another (one pull request's evaluations stay in order). */
export interface KeyedQueue {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
}

function createDeliveryLog(size: number): DeliveryLog {
  const seen = new LruCache<string, true>(size);
  return {
    begin(id) {
      if (seen.has(id)) return false;
      seen.set(id, true);
      return true;
    },
    fail(id) {
      seen.delete(id);
    },
  };
}

function createKeyedQueue(): KeyedQueue {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run(key, task) {
      const previous = tails.get(key) ?? Promise.resolve();
      const next = previous.catch(() => undefined).then(task);
      tails.set(key, next);
      const forget = () => {
        if (tails.get(key) === next) tails.delete(key);
      };
      next.then(forget, forget);
      return next;
    },
  };
}

export function createAppState(options: AppOptions = {}): AppState {
  const fromEnv = Number(process.env.APP_ID);
  const now = options.now ?? (() => new Date());
  return {
    appId: options.appId ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : undefined),
    now,
    rechecks: createRechecks(now, options.setTimer),
    cache: createGitHubCache(),
    deliveries: createDeliveryLog(5000),
    queue: createKeyedQueue(),
    watchdogIssues: new Set(),
  };
}

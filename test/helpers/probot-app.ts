/** A Probot instance with the modelci App loaded, for tests: retries and throttling off, a fixed clock. */
import { generateKeyPairSync } from "node:crypto";
import { Probot, ProbotOctokit } from "probot";
import type { SetTimer } from "../../app/gate/schedule-rechecks.ts";
import { createApp } from "../../app/index.ts";
import type { GitHubApi } from "./github-api.ts";

export const APP_ID = 123;
export const INSTALLATION = 2;

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

export interface TestAppOptions {
  now?: Date;
  /** A clock that moves (wins over `now`). */
  clock?: () => Date;
  /** Timers for soak re-checks (default: none ever fire). */
  setTimer?: SetTimer;
  /** Retries with no delay (Probot's retry plugin), to test GitHub's 5xx answers. */
  retries?: number;
  /** Receives the drift watchdog's sweep, for the test to run when it likes. */
  scheduleWatchdog?: (sweep: () => Promise<void>) => void;
}

export async function testApp(options: TestAppOptions = {}): Promise<Probot> {
  const retry =
    options.retries === undefined ? { enabled: false } : { retries: options.retries, retryAfterBaseValue: 0 };
  const probot = new Probot({
    appId: APP_ID,
    privateKey,
    logLevel: "fatal" as never,
    // A function, so these win over the throttle options Probot adds to every client it creates.
    Octokit: ProbotOctokit.defaults((instance: object) => ({
      ...instance,
      retry,
      throttle: { enabled: false },
    })),
  });
  const now = options.now ?? new Date("2025-03-04T06:00:00Z");
  const setTimer = options.setTimer ?? (() => () => undefined);
  const watchdog = options.scheduleWatchdog ? { scheduleWatchdog: options.scheduleWatchdog } : {};
  await probot.load(createApp({ appId: APP_ID, now: options.clock ?? (() => now), setTimer, ...watchdog }));
  return probot;
}

/** The installation token request Probot makes before the first API call of an installation. */
export function expectToken(api: GitHubApi): GitHubApi {
  return api.expect("POST", `/app/installations/${INSTALLATION}/access_tokens`, {
    reply: [
      201,
      { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z", permissions: {}, repository_selection: "all" },
    ],
  });
}

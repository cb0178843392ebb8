/**
 * Starts the App as a web server with Probot's standard environment: APP_ID, PRIVATE_KEY or
 * PRIVATE_KEY_PATH, WEBHOOK_SECRET, WEBHOOK_PATH, PORT, HOST, LOG_LEVEL, LOG_FORMAT, and
 * GHE_HOST/GHE_PROTOCOL for GitHub Enterprise Server (API at `${GHE_PROTOCOL}://${GHE_HOST}/api/v3`).
 * The HTTP front is the App's own (serve-webhooks.ts): Probot's reads a whole body before it checks
 * anything, so it handles events only. MODELCI_WATCHDOG_MINUTES: how often the drift-check watchdog
 * sweeps every installed repository (default 60, 0 turns it off).
 */
import { createProbot, type ProbotOctokit } from "probot";
import { describeError } from "../core/errors.ts";
import { createApp } from "./index.ts";
import { DEFAULT_LIMITS, type DeliveryLimits } from "./webhooks/handle-delivery.ts";
import { type RunningApp, serveWebhooks } from "./webhooks/serve-webhooks.ts";

export type { RunningApp } from "./webhooks/serve-webhooks.ts";

/** Probot's development secret, used when WEBHOOK_SECRET is unset outside production. */
const DEVELOPMENT_SECRET = "development";

/** Why the App must not start with this environment, if it must not. */
export function checkEnvironment(env: NodeJS.ProcessEnv): string | undefined {
  if (env.NODE_ENV === "production" && !env.WEBHOOK_SECRET) {
    return "WEBHOOK_SECRET is not set: in production the App refuses to start, since it could not tell GitHub's deliveries from forged ones";
  }
  if (!env.APP_ID || !(env.PRIVATE_KEY || env.PRIVATE_KEY_PATH)) {
    return "APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH) must be set: they are on the App's settings page on GitHub";
  }
  return undefined;
}

export interface StartOptions {
  /** The Octokit class Probot builds clients from (the bench turns throttling off). */
  Octokit?: typeof ProbotOctokit;
  /** Bounds on deliveries (default: 25 MB bodies, 16 in flight). */
  limits?: Partial<DeliveryLimits>;
}

/** Starts the App's HTTP server; webhooks are verified against WEBHOOK_SECRET before anything else. */
export async function startApp(
  env: NodeJS.ProcessEnv = process.env,
  options: StartOptions = {},
): Promise<RunningApp> {
  const problem = checkEnvironment(env);
  if (problem !== undefined) throw new Error(problem);
  const probot = createProbot({
    env: { LOG_FORMAT: env.NODE_ENV === "production" ? "json" : "pretty", ...env },
    ...(options.Octokit ? { overrides: { Octokit: options.Octokit } } : {}),
  });
  const appId = Number(env.APP_ID);
  const minutes = Number(env.MODELCI_WATCHDOG_MINUTES ?? 60);
  const scheduleWatchdog = (sweep: () => Promise<void>) => {
    if (!Number.isFinite(minutes) || minutes <= 0) return;
    const tick = () => {
      sweep().catch((error) => probot.log.warn(`drift watchdog: ${describeError(error)}`));
    };
    setInterval(tick, minutes * 60_000).unref();
  };
  await probot.load(
    createApp({ ...(Number.isInteger(appId) && appId > 0 ? { appId } : {}), scheduleWatchdog }),
  );
  return serveWebhooks(probot, {
    host: env.HOST || "localhost",
    port: Number(env.PORT) || 3000,
    path: env.WEBHOOK_PATH || "/api/github/webhooks",
    secret: env.WEBHOOK_SECRET || DEVELOPMENT_SECRET,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
  });
}

/** `npm run app`: starts, or says in one line why not and exits 1; stops cleanly on SIGTERM and SIGINT. */
export async function main(): Promise<void> {
  let app: RunningApp;
  try {
    app = await startApp();
  } catch (error) {
    console.error(
      `modelci app: ${
        describeError(error)
          .replace(/^Error: /, "")
          .split("\n")[0]
      }`,
    );
    process.exit(1);
  }
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      app.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

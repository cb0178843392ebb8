/**
 * Starts the App as a web server with Probot's standard environment: APP_ID, PRIVATE_KEY or
 * PRIVATE_KEY_PATH, WEBHOOK_SECRET, WEBHOOK_PATH, PORT, HOST, LOG_LEVEL, and GHE_HOST/GHE_PROTOCOL
 * for GitHub Enterprise Server (API at `${GHE_PROTOCOL}://${GHE_HOST}/api/v3`); and
 * MODELCI_WATCHDOG_MINUTES, how often the drift-check watchdog sweeps (default 60, 0 turns it off).
 */
import { run, type Server } from "probot";
import { describeError } from "../core/errors.ts";
import { createApp } from "./index.ts";

/** Why the App must not start with this environment, if it must not. */
export function checkEnvironment(env: NodeJS.ProcessEnv): string | undefined {
  if (env.NODE_ENV === "production" && !env.WEBHOOK_SECRET) {
    return "WEBHOOK_SECRET is not set: in production the App refuses to start, since it could not tell GitHub's deliveries from forged ones";
  }
  return undefined;
}

/** Starts Probot's server with the App loaded; webhooks are verified against WEBHOOK_SECRET. */
export async function startApp(env: NodeJS.ProcessEnv = process.env): Promise<Server> {
  const problem = checkEnvironment(env);
  if (problem !== undefined) throw new Error(problem);
  const appId = Number(env.APP_ID);
  const minutes = Number(env.MODELCI_WATCHDOG_MINUTES ?? 60);
  const scheduleWatchdog =
    Number.isFinite(minutes) && minutes > 0 && appId > 0
      ? (sweep: () => Promise<void>) => {
          const tick = () =>
            sweep().catch((error) => console.error(`modelci app: drift watchdog: ${describeError(error)}`));
          setInterval(tick, minutes * 60_000).unref();
        }
      : undefined;
  return run(
    createApp({
      ...(Number.isInteger(appId) && appId > 0 ? { appId } : {}),
      ...(scheduleWatchdog ? { scheduleWatchdog } : {}),
    }),
    { env },
  );
}

/** `npm run app`: starts, or says in one line why not and exits 1; stops cleanly on SIGTERM. */
export async function main(): Promise<void> {
  let server: Server;
  try {
    server = await startApp();
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
  process.once("SIGTERM", () => {
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

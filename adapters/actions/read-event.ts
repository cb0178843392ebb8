import { readFileSync } from "node:fs";
import { UserError } from "../../core/errors.ts";

/** The parts of a workflow's triggering event that modelci uses. */
export interface EventCommits {
  name: string;
  base?: string;
  head?: string;
}

const NULL_SHA = /^0+$/;

/** Base and head commits of the triggering event: a pull request's, or a push's before and after. */
export function readEventCommits(env: NodeJS.ProcessEnv = process.env): EventCommits {
  const name = env.GITHUB_EVENT_NAME ?? "";
  const path = env.GITHUB_EVENT_PATH;
  if (!path) return { name };
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch (error) {
    throw new UserError(
      `cannot read the event payload at ${path}: ${error instanceof Error ? error.message : error}`,
    );
  }
  const pull = event.pull_request as { base?: { sha?: string }; head?: { sha?: string } } | undefined;
  if (pull) return { name, base: pull.base?.sha, head: pull.head?.sha };
  const before = typeof event.before === "string" && !NULL_SHA.test(event.before) ? event.before : undefined;
  const after = typeof event.after === "string" && !NULL_SHA.test(event.after) ? event.after : env.GITHUB_SHA;
  return { name, base: before, head: after };
}

import { readFileSync } from "node:fs";

/** Where the report goes: the repository, the pull request (if any) and the commit to check. */
export interface ReportContext {
  owner: string;
  repo: string;
  pullNumber?: number;
  headSha: string;
  runUrl?: string;
  artifactsUrl?: string;
  workflow: string;
}

/** Reads the repository, pull request number and head commit from the runner's environment and event. */
export function readReportContext(env: NodeJS.ProcessEnv = process.env): ReportContext {
  const [owner = "", repo = ""] = (env.GITHUB_REPOSITORY ?? "").split("/");
  let event: { pull_request?: { number?: number; head?: { sha?: string } } } = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8"));
    } catch {
      event = {};
    }
  }
  const server = env.GITHUB_SERVER_URL ?? "https://github.com";
  const runUrl = env.GITHUB_RUN_ID
    ? `${server}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}`
    : undefined;
  return {
    owner,
    repo,
    ...(event.pull_request?.number === undefined ? {} : { pullNumber: event.pull_request.number }),
    headSha: event.pull_request?.head?.sha ?? env.GITHUB_SHA ?? "",
    ...(runUrl === undefined ? {} : { runUrl, artifactsUrl: `${runUrl}#artifacts` }),
    workflow: env.GITHUB_WORKFLOW ?? "default",
  };
}

/** A report key from a workflow name: letters, digits and . _ / - only. */
export function keyFromWorkflow(workflow: string): string {
  const key = workflow
    .replace(/[^A-Za-z0-9._/-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 100);
  return key === "" ? "default" : key;
}

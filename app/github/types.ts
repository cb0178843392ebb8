import type { ProbotOctokit } from "probot";

/** The installation-authenticated client a webhook handler gets from Probot. */
export type GitHub = ProbotOctokit;

/** A repository, as GitHub's REST paths name it. */
export interface Repo {
  owner: string;
  repo: string;
}

/** Whether an Octokit error is GitHub answering `status`. */
export function hasStatus(error: unknown, status: number): boolean {
  return (error as { status?: unknown } | null)?.status === status;
}

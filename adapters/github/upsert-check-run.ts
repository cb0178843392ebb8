import type { Octokit } from "@octokit/rest";
import { githubUserError } from "./classify-github-error.ts";
import { CHECK_OUTPUT_LIMIT, truncateMarkdown } from "./truncate-markdown.ts";

export type CheckRunConclusion = "success" | "failure" | "neutral";

export interface CheckRunReport {
  owner: string;
  repo: string;
  /** The check's name, e.g. `modelci/metrics`; one check run per name and commit. */
  name: string;
  headSha: string;
  conclusion: CheckRunConclusion;
  title: string;
  /** Markdown; cut safely to GitHub's 65,535 characters. */
  summary: string;
  /** More Markdown below the summary; cut the same way. */
  text?: string;
  detailsUrl?: string;
  externalId?: string;
}

export interface UpsertCheckRunResult {
  id: number;
  action: "created" | "updated";
  /** The check run's page on GitHub. */
  url: string | undefined;
}

/**
 * Completes the named check run on a commit: updates the newest one of that name when the commit
 * has one (a re-run replaces its verdict), creates it otherwise.
 */
export async function upsertCheckRun(
  octokit: Octokit,
  report: CheckRunReport,
): Promise<UpsertCheckRunResult> {
  const { owner, repo } = report;
  const where = `check run ${report.name} on ${owner}/${repo}@${report.headSha.slice(0, 12)}`;
  const completed = {
    status: "completed" as const,
    conclusion: report.conclusion,
    output: {
      title: report.title,
      summary: truncateMarkdown(report.summary, CHECK_OUTPUT_LIMIT),
      ...(report.text !== undefined ? { text: truncateMarkdown(report.text, CHECK_OUTPUT_LIMIT) } : {}),
    },
    ...(report.detailsUrl !== undefined ? { details_url: report.detailsUrl } : {}),
    ...(report.externalId !== undefined ? { external_id: report.externalId } : {}),
  };
  let existingId: number | undefined;
  try {
    const { data } = await octokit.rest.checks.listForRef({
      owner,
      repo,
      ref: report.headSha,
      check_name: report.name,
      per_page: 100,
    });
    for (const run of data.check_runs)
      if (run.name === report.name && (existingId === undefined || run.id > existingId)) existingId = run.id;
  } catch (error) {
    throw githubUserError(error, `cannot look up the ${where}`);
  }
  try {
    if (existingId !== undefined) {
      const { data } = await octokit.rest.checks.update({
        owner,
        repo,
        check_run_id: existingId,
        ...completed,
      });
      return { id: data.id, action: "updated", url: data.html_url ?? undefined };
    }
    const { data } = await octokit.rest.checks.create({
      owner,
      repo,
      name: report.name,
      head_sha: report.headSha,
      ...completed,
    });
    return { id: data.id, action: "created", url: data.html_url ?? undefined };
  } catch (error) {
    throw githubUserError(error, `cannot ${existingId !== undefined ? "update" : "create"} the ${where}`);
  }
}

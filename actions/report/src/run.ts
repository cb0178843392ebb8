import { mkdir, writeFile } from "node:fs/promises";
import { dirname, relative, resolve, sep } from "node:path";
import * as core from "@actions/core";
import { uploadFiles } from "../../../adapters/actions/upload-artifact.ts";
import { classifyGitHubError, isReadOnlyError } from "../../../adapters/github/classify-github-error.ts";
import { createOctokit } from "../../../adapters/github/create-octokit.ts";
import { upsertCheckRun } from "../../../adapters/github/upsert-check-run.ts";
import { upsertStickyComment } from "../../../adapters/github/upsert-sticky-comment.ts";
import { loadValidProject } from "../../../adapters/pipeline/load-valid-project.ts";
import { readRunOutputs } from "../../../adapters/pipeline/read-run-outputs.ts";
import { type ModelVerdict, VERDICT_ORDER } from "../../../core/compare/compare-model.ts";
import { compareRunOutputs } from "../../../core/compare/compare-run-outputs.ts";
import { describeError } from "../../../core/errors.ts";
import { CHECK_RUN_LIMIT, JOB_SUMMARY_LIMIT } from "../../../core/report/measure-size.ts";
import { renderReport } from "../../../core/report/render-report.ts";
import { isPassing, renderSummary } from "../../../core/report/render-summary.ts";
import { readReportInputs } from "./inputs.ts";
import { keyFromWorkflow, readReportContext } from "./pull-request-context.ts";

/** Where the full report is written, relative to the workspace. */
const REPORT_DIR = ".modelci/report";

/** Uploads the full report as the workflow artifact `modelci-report-<key>`; a failed upload only warns. */
async function uploadReport(key: string, reportPath: string): Promise<void> {
  const name = `modelci-report-${key}`.replace(/[^A-Za-z0-9._-]/g, "_");
  try {
    await uploadFiles(name, [reportPath], dirname(reportPath));
  } catch (error) {
    core.warning(`Could not upload the report as artifact ${name}: ${describeError(error)}`);
  }
}

/** The worst verdict; `no-champion` only when every model lacks a champion. */
function overallVerdict(verdicts: readonly ModelVerdict[]): ModelVerdict {
  if (verdicts.length === 0) return "pass";
  const worst =
    [...verdicts].sort((a, b) => VERDICT_ORDER.indexOf(a) - VERDICT_ORDER.indexOf(b))[0] ?? "pass";
  if (worst === "no-champion" && verdicts.some((v) => v === "pass")) return "pass";
  return worst;
}

/** Runs a GitHub write; a read-only token (fork pull requests) gets a warning instead of a failure. */
async function tryWrite<T>(what: string, write: () => Promise<T>): Promise<T | undefined> {
  try {
    return await write();
  } catch (error) {
    if (isReadOnlyError(error)) {
      core.warning(
        `Could not ${what}: ${classifyGitHubError(error).message} The report is in the job summary.`,
      );
      return undefined;
    }
    throw error;
  }
}

/** Judges the results, writes the job summary, the sticky comment and the check run; sets outputs. */
export async function run(): Promise<void> {
  try {
    const inputs = readReportInputs();
    const context = readReportContext();
    const key = inputs.key === "" ? keyFromWorkflow(context.workflow) : inputs.key;
    const outputs = await readRunOutputs(inputs.results);
    const project = await loadValidProject(resolve(inputs.root));
    const models = compareRunOutputs(
      project,
      outputs.results,
      outputs.manifests,
      undefined,
      outputs.failures,
    );
    const verdict = overallVerdict(models.map((m) => m.verdict));
    const input = {
      models,
      key,
      ...(context.runUrl ? { runUrl: context.runUrl } : {}),
      ...(context.artifactsUrl ? { artifactsUrl: context.artifactsUrl } : {}),
    };
    const full = renderReport(input, { limit: JOB_SUMMARY_LIMIT });
    const limited = renderReport(input, { limit: CHECK_RUN_LIMIT });
    const title = renderSummary(models);

    // Inside the workspace, under .modelci/ (never its root), so the `report` output is a path there.
    const reportPath = resolve(REPORT_DIR, `${key.replace(/[^A-Za-z0-9._-]/g, "_")}.md`);
    await mkdir(dirname(reportPath), { recursive: true });
    await writeFile(reportPath, full.markdown);
    await core.summary.addRaw(full.markdown).write();
    core.setOutput("verdict", verdict);
    core.setOutput("report", relative(process.cwd(), reportPath).split(sep).join("/"));
    await uploadReport(key, reportPath);

    if (inputs["github-token"] === "" || context.owner === "") {
      core.warning("No github-token or repository: the report is only in the job summary.");
    } else {
      const octokit = createOctokit({ token: inputs["github-token"], baseUrl: process.env.GITHUB_API_URL });
      const { owner, repo, pullNumber, headSha } = context;
      // The check run is written whatever happens to the comment; the comment's failure is raised after.
      let commentFailure: unknown;
      if (pullNumber !== undefined) {
        try {
          const comment = await tryWrite("comment on the pull request", () =>
            upsertStickyComment(octokit, {
              owner,
              repo,
              issueNumber: pullNumber,
              key,
              body: limited.markdown,
            }),
          );
          if (comment) {
            core.setOutput("comment-id", String(comment.id));
            core.info(`Sticky comment ${comment.action} (id ${comment.id}).`);
          }
        } catch (error) {
          commentFailure = error;
          core.error(`Could not comment on the pull request: ${classifyGitHubError(error).message}`);
        }
      } else {
        core.info("Not a pull request: no comment.");
      }
      if (headSha !== "") {
        const conclusion = models.every((m) => isPassing(m.verdict)) ? "success" : "failure";
        const check = await tryWrite("write the check run", () =>
          upsertCheckRun(octokit, {
            owner,
            repo,
            name: inputs["check-name"],
            headSha,
            conclusion,
            title,
            summary: limited.markdown,
            ...(context.runUrl ? { detailsUrl: context.runUrl } : {}),
          }),
        );
        if (check) core.setOutput("check-run-id", String(check.id));
      }
      if (commentFailure !== undefined) throw commentFailure;
    }
    core.info(`${title} (verdict: ${verdict})`);
    if (inputs["fail-on-gate"] && (verdict === "fail" || verdict === "error")) {
      core.setFailed(`modelci report: ${title}`);
    }
  } catch (error) {
    core.setFailed(describeError(error));
  }
}

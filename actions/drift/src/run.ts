import { mkdir, writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import * as core from "@actions/core";
import { uploadFolder } from "../../../adapters/actions/upload-artifact.ts";
import { classifyGitHubError, isReadOnlyError } from "../../../adapters/github/classify-github-error.ts";
import { createOctokit } from "../../../adapters/github/create-octokit.ts";
import { truncateMarkdown } from "../../../adapters/github/truncate-markdown.ts";
import { upsertCheckRun } from "../../../adapters/github/upsert-check-run.ts";
import { checkFileDrift } from "../../../adapters/pipeline/check-file-drift.ts";
import { checkTargetDrift } from "../../../adapters/pipeline/check-target-drift.ts";
import { DEFAULT_DRIFT_OPTIONS, type DriftOptions } from "../../../core/drift/check-drift.ts";
import { renderDriftSection, renderTargetDriftMarkdown } from "../../../core/drift/render-drift-markdown.ts";
import { describeError, UserError } from "../../../core/errors.ts";
import { JOB_SUMMARY_LIMIT } from "../../../core/report/measure-size.ts";
import { renderDriftResultBlock } from "../../../core/retrain/read-drift-check.ts";
import { readDriftInputs } from "./inputs.ts";

interface Checked {
  drifted: boolean;
  title: string;
  markdown: string;
  json: unknown;
  /** A target's result, carried in the check run for the App's retraining pull requests. */
  forApp?: string;
}

async function check(inputs: ReturnType<typeof readDriftInputs>): Promise<Checked> {
  const overrides: Partial<DriftOptions> = {
    ...(inputs.method === undefined ? {} : { method: inputs.method }),
    ...(inputs.stats === undefined ? {} : { stats: inputs.stats }),
  };
  if (inputs.target !== undefined) {
    const result = await checkTargetDrift({
      root: resolve(inputs.root),
      target: inputs.target,
      overrides,
      loadOrt: async () => {
        throw new UserError("onnxruntime is not bundled with the drift Action");
      },
      warn: (message) => core.warning(message),
    });
    const models = Object.entries(result.models);
    const drifted = models.filter(([, m]) => m.dataset.verdict === "drift").map(([name]) => name);
    return {
      drifted: result.drifted,
      title: result.drifted
        ? `drift in ${drifted.join(", ")} on ${result.target}`
        : `no drift on ${result.target}`,
      markdown: renderTargetDriftMarkdown(result),
      json: result,
      forApp: renderDriftResultBlock(result),
    };
  }
  if (inputs.reference === undefined || inputs.current === undefined) {
    throw new UserError('give "target", or both "reference" and "current"');
  }
  const result = await checkFileDrift({
    reference: inputs.reference,
    current: inputs.current,
    drift: { ...DEFAULT_DRIFT_OPTIONS, ...overrides },
    warn: (message) => core.warning(message),
  });
  const drifted = result.dataset.verdict === "drift";
  return {
    drifted,
    title: `${result.dataset.verdict}: ${result.dataset.drifted} of ${result.dataset.features} features drifted`,
    markdown: `## modelci drift\n\n${renderDriftSection(`${inputs.current} vs ${inputs.reference}`, result)}`,
    json: result,
  };
}

/** Checks drift, writes the job summary, the artifact and the check run; sets outputs; fails on drift. */
export async function run(): Promise<void> {
  try {
    const inputs = readDriftInputs();
    const checked = await check(inputs);
    const folder = resolve(process.env.RUNNER_TEMP ?? ".", "modelci-drift");
    await mkdir(folder, { recursive: true });
    const resultPath = join(folder, "drift.json");
    await writeFile(resultPath, `${JSON.stringify(checked.json, null, 2)}\n`);
    await writeFile(join(folder, "drift.md"), checked.markdown);
    await core.summary.addRaw(truncateMarkdown(checked.markdown, JOB_SUMMARY_LIMIT)).write();
    core.setOutput("drifted", String(checked.drifted));
    core.setOutput("result", relative(process.cwd(), resultPath));
    await uploadFolder(inputs["artifact-name"], folder, undefined);

    const [owner = "", repo = ""] = (process.env.GITHUB_REPOSITORY ?? "").split("/");
    const sha = inputs.sha === "" ? (process.env.GITHUB_SHA ?? "") : inputs.sha;
    if (inputs["github-token"] === "" || owner === "" || sha === "") {
      core.warning("No github-token, repository or commit: the report is only in the job summary.");
    } else {
      const octokit = createOctokit({ token: inputs["github-token"], baseUrl: process.env.GITHUB_API_URL });
      const runUrl = process.env.GITHUB_RUN_ID
        ? `${process.env.GITHUB_SERVER_URL ?? "https://github.com"}/${owner}/${repo}/actions/runs/${process.env.GITHUB_RUN_ID}`
        : undefined;
      try {
        const written = await upsertCheckRun(octokit, {
          owner,
          repo,
          name: inputs["check-name"],
          headSha: sha,
          conclusion: checked.drifted ? "failure" : "success",
          title: checked.title,
          summary: checked.markdown,
          ...(checked.forApp ? { text: checked.forApp } : {}),
          ...(runUrl ? { detailsUrl: runUrl } : {}),
        });
        core.setOutput("check-run-id", String(written.id));
      } catch (error) {
        if (!isReadOnlyError(error)) throw error;
        core.warning(`Could not write the check run: ${classifyGitHubError(error).message}`);
      }
    }
    core.info(checked.title);
    if (inputs["fail-on-drift"] && checked.drifted) core.setFailed(`modelci drift: ${checked.title}`);
  } catch (error) {
    core.setFailed(describeError(error));
  }
}

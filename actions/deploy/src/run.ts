import { resolve } from "node:path";
import * as core from "@actions/core";
import { readEventCommits } from "../../../adapters/actions/read-event.ts";
import { type GitHubDeployments, runDeploy } from "../../../adapters/deploy/run-deploy.ts";
import { createOctokit } from "../../../adapters/github/create-octokit.ts";
import { describeError, UserError } from "../../../core/errors.ts";
import { readDeployInputs } from "./inputs.ts";

/** GitHub Deployments for the run, or undefined without a token or repository. */
function githubDeployments(
  token: string,
  env: NodeJS.ProcessEnv,
  environmentUrl: string | undefined,
): GitHubDeployments | undefined {
  const [owner = "", repo = ""] = (env.GITHUB_REPOSITORY ?? "").split("/");
  if (token === "" || owner === "" || repo === "") return undefined;
  const baseUrl = env.GITHUB_API_URL || "https://api.github.com";
  const server = env.GITHUB_SERVER_URL || "https://github.com";
  return {
    octokit: createOctokit({ token, baseUrl }),
    owner,
    repo,
    logUrl: env.GITHUB_RUN_ID ? `${server}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}` : undefined,
    environmentUrl,
    driver: { owner, repo, token, baseUrl },
  };
}

/** Plans the push's deploy, then (unless plan-only) deploys each changed target; fails on any failure. */
export async function run(): Promise<void> {
  try {
    const inputs = readDeployInputs();
    const event = readEventCommits();
    const after = event.head ?? process.env.GITHUB_SHA;
    if (after === undefined) throw new UserError("no commit to deploy: GITHUB_SHA is not set");
    const dispatch = event.name === "workflow_dispatch";
    if (dispatch && inputs.target === undefined && !inputs["plan-only"]) {
      throw new UserError('a workflow_dispatch re-deploy needs the input "target"');
    }
    if (inputs["allow-older"] && !dispatch)
      core.warning(
        `allow-older is ignored on ${event.name || "this event"}: only a workflow_dispatch may deploy an older commit.`,
      );
    const github = inputs["plan-only"]
      ? undefined
      : githubDeployments(inputs["github-token"], process.env, inputs["environment-url"]);
    if (!inputs["plan-only"] && github === undefined)
      core.warning("No github-token or repository: deploying without GitHub Deployments.");
    const deploy = await runDeploy({
      dir: resolve(inputs.root),
      before: dispatch ? undefined : event.base,
      after,
      only: inputs.target,
      dryRun: inputs["plan-only"],
      force: dispatch,
      allowOlder: dispatch && inputs["allow-older"],
      env: process.env,
      log: (line) => core.info(line),
      error: (line) => core.error(line),
      github,
    });
    const include = deploy.plan.targets.map((t) => ({ target: t.target, environment: t.environment }));
    core.setOutput("targets", JSON.stringify({ include }));
    core.setOutput("has-targets", String(include.length > 0));
    const result = deploy.outcomes.map(({ target, environment, state, result, description }) => ({
      target,
      environment,
      state,
      result,
      description,
    }));
    core.setOutput("result", JSON.stringify(result));
    if (result.length > 0) {
      await core.summary
        .addHeading("modelci deploy", 2)
        .addTable([
          [
            { data: "target", header: true },
            { data: "environment", header: true },
            { data: "state", header: true },
            { data: "what happened", header: true },
          ],
          ...result.map((r) => [r.target, r.environment, r.state, r.description]),
        ])
        .write();
    }
    for (const r of result.filter((r) => r.result === "skipped-older"))
      core.warning(`${r.target}: ${r.description}`);
    const failed = result.filter((r) => r.state !== "success");
    if (failed.length > 0) {
      core.setFailed(failed.map((r) => `${r.target}: ${r.description}`).join("\n"));
    }
  } catch (error) {
    core.setFailed(describeError(error));
  }
}

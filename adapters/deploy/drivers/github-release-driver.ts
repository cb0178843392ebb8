/**
 * The `github-release` driver: one release per deploy of a target, tagged `deploy/<target>/<n>`
 * (n counts up per target), on the deployed commit, with each verified artifact attached as
 * `<model>-v<version>.onnx` and `deployment.json` (schemas/json/deploy-request.schema.json), for
 * consumers that pull their models from releases. Never marked latest.
 */
import { readFile } from "node:fs/promises";
import { buildRequestBody } from "../../../core/deploy/build-request-body.ts";
import type { DeployDriver } from "../../../core/deploy/deploy-driver.ts";
import { describeVersions } from "../../../core/deploy/plan-deploy.ts";
import { UserError } from "../../../core/errors.ts";
import { githubUserError } from "../../github/classify-github-error.ts";
import { createOctokit } from "../../github/create-octokit.ts";

export function githubReleaseDriver(): DeployDriver {
  return {
    async deploy(request, context) {
      const github = context.github;
      if (github === undefined) {
        throw new UserError(
          "the github-release driver needs GITHUB_TOKEN and GITHUB_REPOSITORY (or a GitHub remote)",
        );
      }
      const { owner, repo } = github;
      const octokit = createOctokit({ token: github.token, baseUrl: github.baseUrl });
      const prefix = `deploy/${request.target}/`;
      try {
        const { data: refs } = await octokit.rest.git.listMatchingRefs({
          owner,
          repo,
          ref: `tags/${prefix}`,
        });
        const taken = refs
          .map((r) => Number(r.ref.slice(`refs/tags/${prefix}`.length)))
          .filter(Number.isInteger);
        const tag = `${prefix}${Math.max(0, ...taken) + 1}`;
        const lines = request.models.map((m) => `- ${m.model}: ${describeVersions(m.versions)}`);
        const { data: release } = await octokit.rest.repos.createRelease({
          owner,
          repo,
          tag_name: tag,
          target_commitish: request.commit,
          name: `${request.target}${request.rollback ? " rollback" : ""}: ${lines.length} model(s)`,
          body: [
            `${request.rollback ? "Rolled back" : "Deployed"} ${request.target} (environment ${request.environment}) at ${request.commit}.`,
            "",
            ...lines,
            "",
            "Every asset's sha256 is in deployment.json.",
          ].join("\n"),
          make_latest: "false",
        });
        const assets: { name: string; data: Buffer }[] = [
          {
            name: "deployment.json",
            data: Buffer.from(`${JSON.stringify(buildRequestBody(request), null, 2)}\n`),
          },
        ];
        for (const { model, versions } of request.models) {
          for (const v of versions)
            assets.push({ name: `${model}-v${v.version}.onnx`, data: await readFile(v.path) });
        }
        for (const asset of assets) {
          await octokit.request({
            method: "POST",
            url: release.upload_url,
            name: asset.name,
            data: asset.data,
            headers: { "content-type": "application/octet-stream", "content-length": asset.data.length },
          });
        }
        context.log(`release ${tag}: ${assets.map((a) => a.name).join(", ")}`);
        return { url: release.html_url };
      } catch (error) {
        if (error instanceof UserError) throw error;
        throw githubUserError(error, `creating the deploy release of ${request.target} in ${owner}/${repo}`);
      }
    },
  };
}

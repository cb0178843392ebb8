import { listServed } from "../../core/promotion/describe-served.ts";
import type { DeployedVersion, DeploymentFacts } from "../../core/promotion/judge-deployment.ts";
import { findPromotionCheck } from "../github/find-promotion-check.ts";
import type { CommitPull, GitReader } from "../github/git-reader.ts";
import { loadDeclarations, TARGETS_ONLY } from "../github/load-declarations.ts";
import type { GitHub } from "../github/types.ts";

/** A merged pull request (the newest merge) before an open one. */
function pickPull(pulls: readonly CommitPull[]): CommitPull | undefined {
  const merged = pulls
    .filter((p) => p.mergedAt !== null)
    .sort((a, b) => (b.mergedAt ?? "").localeCompare(a.mergedAt ?? ""));
  return merged[0] ?? pulls.find((p) => p.state === "open");
}

/**
 * What the deployment protection rule judges: the target deploying through `environment` at `sha`,
 * its version files there, and the pull request whose promotion gate approved the target's content
 * (the one that brought the last change of the target's file) with its check run and head tree.
 */
export async function collectDeploymentFacts(
  gh: GitHub,
  reader: GitReader,
  appId: number,
  environment: string,
  sha: string,
): Promise<DeploymentFacts> {
  const facts: DeploymentFacts = { environment, sha, versions: [] };
  const targets = await loadDeclarations(reader, sha, TARGETS_ONLY);
  const target = [...targets.project.deployments.values()].find(
    (d) => (d.value.environment ?? d.name) === environment,
  );
  if (target === undefined) return facts;
  facts.target = { name: target.name, file: target.file, blob: targets.tree.files.get(target.file) };
  const served = Object.entries(target.value.models).flatMap(([model, entry]) =>
    listServed(entry).map(({ version }) => ({ model, version })),
  );
  const loaded = await loadDeclarations(reader, sha, {
    ...TARGETS_ONLY,
    versions: new Set(served.map(({ model, version }) => `${model}@${version}`)),
  });
  const root = loaded.project.root;
  facts.versions = served.map(({ model, version }): DeployedVersion => {
    const file =
      loaded.project.versions.get(model)?.get(version)?.file ??
      `${root}models/${model}/versions/${version}.yaml`;
    return {
      model,
      version,
      file,
      blob: loaded.tree.files.get(file),
      sha256: loaded.project.versions.get(model)?.get(version)?.value.artifact.sha256,
    };
  });
  const [last] = await reader.fileCommits(sha, target.file);
  if (last === undefined) return facts;
  facts.lastChange = last.sha;
  const pull = pickPull(await reader.commitPulls(last.sha));
  if (pull === undefined) return facts;
  const [check, head] = await Promise.all([
    findPromotionCheck(gh, reader.repo, pull.headSha, appId),
    reader.tree(pull.headSha),
  ]);
  facts.approval = { pull: pull.number, headSha: pull.headSha, check, blobs: head.files };
  return facts;
}

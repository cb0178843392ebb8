import { formatDiagnostic } from "../../core/declarations/diagnostic.ts";
import type { Project } from "../../core/declarations/project.ts";
import { ConfigError } from "../../core/errors.ts";
import type { PromotionInputs } from "../../core/promotion/evaluate-promotion.ts";
import { validateProject } from "../../core/rules/validate-project.ts";
import { changedPaths, resolveCommit } from "../git/changed-paths.ts";
import { gitRefSource } from "../git/git-ref-source.ts";
import { listBlobIds } from "../git/read-blobs.ts";
import { findServedSince } from "./find-served-since.ts";
import { readStoredArtifacts } from "./read-stored-artifacts.ts";

/** What the repository tells the promotion gate; reviews, team members and the time come from elsewhere. */
export interface RepositoryInputs extends Omit<PromotionInputs, "now" | "reviews"> {
  baseSha: string;
  headSha: string;
}

/** The declarations at a commit, or a ConfigError listing every error in them. */
async function loadValid(dir: string, sha: string, what: string): Promise<Project> {
  const validation = await validateProject(await gitRefSource(dir, sha));
  if (validation.errors > 0) {
    const lines = validation.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic);
    throw new ConfigError(
      `the declarations at the ${what} ${sha.slice(0, 12)} are invalid:\n${lines.join("\n")}`,
    );
  }
  return validation.project;
}

/**
 * Reads a promotion pull request from the repository folder `dir`: the declarations at `base`
 * (the policy) and `head` (the proposal), the paths the change touches against its merge base,
 * blob ids of model files, the digests of the promoted versions' stored bytes, and when each
 * version started serving in each base target.
 */
export async function collectPromotionInputs(
  dir: string,
  base: string,
  head: string,
): Promise<RepositoryInputs> {
  const baseSha = await resolveCommit(dir, base);
  const headSha = await resolveCommit(dir, head);
  const baseProject = await loadValid(dir, baseSha, "base");
  const headProject = await loadValid(dir, headSha, "head");
  const [changed, baseDigests, headDigests, servedSince] = await Promise.all([
    changedPaths(dir, baseSha, headSha),
    listBlobIds(dir, baseSha, `${baseProject.root}models`),
    listBlobIds(dir, headSha, `${headProject.root}models`),
    findServedSince(
      dir,
      baseSha,
      [...baseProject.deployments.values()].map((d) => ({ name: d.name, file: d.file })),
    ),
  ]);
  const digests = { base: baseDigests, head: headDigests };
  const stored = await readStoredArtifacts(dir, headSha, {
    base: baseProject,
    head: headProject,
    changed,
    digests,
  });
  return { baseSha, headSha, base: baseProject, head: headProject, changed, digests, stored, servedSince };
}

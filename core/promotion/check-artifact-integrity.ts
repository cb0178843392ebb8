import type { Project } from "../declarations/project.ts";
import type { FileDigests } from "./find-promotions.ts";
import { makeRule, type PromotionRule } from "./promotion-rule.ts";

/** A version file's path, as declared, else where it would be. */
function versionFile(project: Project, model: string, version: number): string {
  return (
    project.versions.get(model)?.get(version)?.file ??
    `${project.root}models/${model}/versions/${version}.yaml`
  );
}

/**
 * What the caller found in the artifact store for a version: the sha256 of the stored bytes and
 * where it read them, or why it could not read them here.
 */
export type StoredArtifactCheck = { sha256: string; where: string } | { unread: string };

/** What the rule says about bytes it did not read: deploy reads and verifies them before use. */
const DEPLOY_VERIFIES =
  "the stored bytes are not read by this check; deploy verifies them against it before use";

const short = (digest: string | undefined) => (digest === undefined ? "none" : digest.slice(0, 7));

/** Why a registered version's file may not change, and what to do instead. */
const IMMUTABLE_NEXT = (file: string) =>
  `restore ${file} as it is in the base; a registered version never changes: register a new version instead`;

/** The rule for a change to an existing version file: registered versions are immutable. */
export function checkVersionFileEdit(
  file: string,
  edit: "changed" | "removed",
  digests: FileDigests,
): PromotionRule {
  const what =
    edit === "removed"
      ? `${file} is removed; registered versions are the audit trail and stay`
      : `${file} changed after registration (blob ${short(digests.base.get(file))} → ${short(digests.head.get(file))})`;
  return makeRule("artifact-integrity", "failed", what, IMMUTABLE_NEXT(file));
}

/**
 * A promoted version's file exists in the base or the head, records the artifact's sha256, and,
 * when it was registered before this change, is byte-identical at the head.
 */
export function checkArtifactIntegrity(
  base: Project,
  head: Project,
  model: string,
  version: number,
  digests: FileDigests,
  stored?: StoredArtifactCheck,
): PromotionRule {
  const key = `${model}@${version}`;
  const inBase = base.present.versions.has(key);
  const inHead = head.present.versions.has(key);
  const headFile = versionFile(head, model, version);
  if (!inBase && !inHead) {
    return makeRule(
      "artifact-integrity",
      "failed",
      `version ${version} is not registered: no ${headFile} in the base or the head`,
      `register ${model} version ${version} before promoting it`,
    );
  }
  if (inBase) {
    const baseFile = versionFile(base, model, version);
    if (!inHead) return checkVersionFileEdit(baseFile, "removed", digests);
    const before = digests.base.get(baseFile);
    const after = digests.head.get(headFile);
    if (baseFile !== headFile || before !== after) return checkVersionFileEdit(baseFile, "changed", digests);
  }
  const declared = head.versions.get(model)?.get(version);
  if (declared === undefined) {
    return makeRule(
      "artifact-integrity",
      "failed",
      `${headFile} is not a valid version file`,
      "run `modelci validate` and fix the file",
    );
  }
  const { sha256 } = declared.value.artifact;
  if (!/^[a-f0-9]{64}$/.test(sha256)) {
    return makeRule("artifact-integrity", "failed", `${headFile} records no sha256 for its artifact`);
  }
  const when = inBase ? "unchanged since registration" : "registered in this change";
  const records = `${headFile} records the artifact's sha256 (${sha256.slice(0, 12)}…), ${when}`;
  if (stored === undefined) return makeRule("artifact-integrity", "met", `${records}; ${DEPLOY_VERIFIES}`);
  if ("unread" in stored) {
    return makeRule("artifact-integrity", "met", `${records}; ${stored.unread}, so ${DEPLOY_VERIFIES}`);
  }
  if (stored.sha256 !== sha256) {
    return makeRule(
      "artifact-integrity",
      "failed",
      `the stored artifact ${stored.where} has sha256 ${stored.sha256.slice(0, 12)}…, not the ${sha256.slice(0, 12)}… that ${headFile} records: its bytes changed after registration`,
      `restore the stored artifact's bytes; a registered version's artifact never changes: register a new version instead`,
    );
  }
  return makeRule(
    "artifact-integrity",
    "met",
    `${records}; the stored bytes ${stored.where} match it; deploy verifies them again`,
  );
}

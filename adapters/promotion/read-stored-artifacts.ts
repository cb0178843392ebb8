import { createHash } from "node:crypto";
import { posix } from "node:path";
import type { Project } from "../../core/declarations/project.ts";
import type { StoredArtifactCheck } from "../../core/promotion/check-artifact-integrity.ts";
import { type FileDigests, findPromotions } from "../../core/promotion/find-promotions.ts";
import { parseArtifactUri } from "../../core/registry/artifact-uri.ts";
import { hashFile } from "../files/hash-file.ts";
import { resolveInside } from "../files/resolve-inside.ts";
import { readBlobs } from "../git/read-blobs.ts";

/** `model@version` of every version the change promotes or registers. */
function promotedVersions(base: Project, head: Project, changed: readonly string[], digests: FileDigests) {
  const keys = new Set<string>();
  for (const change of findPromotions(base, head, changed, digests)) {
    if (change.kind === "deploy") for (const v of change.incoming) keys.add(`${change.model}@${v}`);
    if (change.kind === "version-file" && change.edit === "added")
      keys.add(`${change.model}@${change.version}`);
  }
  return keys;
}

/** The local store's file for a digest, relative to the repository folder (`<path>/sha256/<aa>/<sha256>`). */
const localStorePath = (folder: string, sha256: string): string =>
  posix.join(folder, "sha256", sha256.slice(0, 2), sha256);

/**
 * Reads the stored bytes of every version a change promotes, where `promotion-check` can reach
 * them: a local store committed at the head commit, else the local store on disk. A release asset
 * is not downloaded; the check then says deploy verifies it.
 */
export async function readStoredArtifacts(
  dir: string,
  headSha: string,
  inputs: { base: Project; head: Project; changed: readonly string[]; digests: FileDigests },
): Promise<Map<string, StoredArtifactCheck>> {
  const { base, head } = inputs;
  const stored = new Map<string, StoredArtifactCheck>();
  for (const key of promotedVersions(base, head, inputs.changed, inputs.digests)) {
    const [model = "", number = ""] = key.split("@");
    const version = Number(number);
    const declared = (head.versions.get(model)?.get(version) ?? base.versions.get(model)?.get(version))
      ?.value;
    if (declared === undefined) continue;
    let uri: ReturnType<typeof parseArtifactUri>;
    try {
      uri = parseArtifactUri(declared.artifact.uri);
    } catch {
      continue;
    }
    if (uri.kind !== "local") {
      stored.set(key, {
        unread: `the artifact is the release asset ${uri.tag}/${uri.file}, which this check does not download`,
      });
      continue;
    }
    const path = localStorePath(head.config.artifacts.path, uri.sha256);
    const [blob] = await readBlobs(dir, [`${headSha}:./${path}`]);
    if (blob !== undefined) {
      const sha256 = createHash("sha256").update(blob).digest("hex");
      stored.set(key, { sha256, where: `(${path} at the head commit)` });
      continue;
    }
    const onDisk = await resolveInside(dir, path, "artifacts.path")
      .then((file) => hashFile(file))
      .catch(() => undefined);
    stored.set(
      key,
      onDisk
        ? { sha256: onDisk.sha256, where: `(${path} in the local store on disk)` }
        : { unread: `the local store has no ${path} at the head commit or on disk here` },
    );
  }
  return stored;
}

/**
 * Fetches every artifact a target will serve from its store and checks its sha256, before any
 * driver sees it. A mismatch throws DigestMismatchError (both digests in full); nothing deploys.
 */
import type { VerifiedModel } from "../../core/deploy/deploy-driver.ts";
import type { ModelRelease } from "../../core/deploy/plan-deploy.ts";
import { DigestMismatchError } from "../../core/registry/artifact-store.ts";
import { fetchArtifact, type StoreContext } from "../stores/create-artifact-store.ts";

/** Every version of every model, fetched and verified, in the plan's order. */
export async function verifyArtifacts(
  releases: readonly ModelRelease[],
  context: StoreContext,
  log: (line: string) => void,
): Promise<VerifiedModel[]> {
  const verified: VerifiedModel[] = [];
  for (const { model, versions } of releases) {
    const out: VerifiedModel = { model, versions: [] };
    for (const { version, weight, artifact } of versions) {
      let path: string;
      try {
        path = await fetchArtifact(artifact, context);
      } catch (error) {
        if (error instanceof DigestMismatchError) {
          throw new ArtifactMismatch(model, version, error);
        }
        throw error;
      }
      log(`verified ${model} ${version}: sha256 ${artifact.sha256} (${path})`);
      out.versions.push({
        version,
        weight,
        uri: artifact.uri,
        sha256: artifact.sha256,
        size: artifact.size ?? 0,
        path,
      });
    }
    verified.push(out);
  }
  return verified;
}

/** A digest mismatch, with the model version it belongs to. */
export class ArtifactMismatch extends DigestMismatchError {
  constructor(
    readonly model: string,
    readonly version: number,
    cause: DigestMismatchError,
  ) {
    super(cause.uri, cause.expected, cause.actual, "");
    this.message = `${model} ${version}: ${cause.message}`;
    this.name = "ArtifactMismatch";
  }
}

/**
 * The artifact stores by kind: one factory each, picked by `artifacts.store` in modelci.yaml (or
 * `--store`) when registering, and by the URI's scheme when reading an artifact back.
 */
import { resolve } from "node:path";
import { UserError } from "../../core/errors.ts";
import type { ArtifactStore, ArtifactStoreKind } from "../../core/registry/artifact-store.ts";
import { storeKindOf } from "../../core/registry/artifact-uri.ts";
import type { Config } from "../../schemas/config.ts";
import { githubReleaseStore } from "./github-release-store.ts";
import { localStore } from "./local-store.ts";
import { resolveGithubRepository } from "./resolve-github-repository.ts";

export interface StoreContext {
  /** The repository folder (where modelci.yaml is); `artifacts.path` is relative to it. */
  dir: string;
  config: Pick<Config, "artifacts">;
  env: NodeJS.ProcessEnv;
}

export type StoreFactory = (context: StoreContext) => Promise<ArtifactStore>;

export const ARTIFACT_STORES: Record<ArtifactStoreKind, StoreFactory> = {
  local: async ({ dir, config }) => localStore(resolve(dir, config.artifacts.path)),
  "github-release": async ({ dir, config, env }) => {
    const token = env.GITHUB_TOKEN;
    if (token === undefined || token === "") {
      throw new UserError(
        "the github-release store needs GITHUB_TOKEN (a token that may write the repository's contents)",
      );
    }
    return githubReleaseStore({
      ...(await resolveGithubRepository(dir, env)),
      token,
      baseUrl: env.GITHUB_API_URL || "https://api.github.com",
      // Verified downloads share the local store's content-addressed folder.
      cacheFolder: resolve(dir, config.artifacts.path),
    });
  },
};

/** The store of a kind. */
export function createArtifactStore(kind: ArtifactStoreKind, context: StoreContext): Promise<ArtifactStore> {
  return ARTIFACT_STORES[kind](context);
}

/** The local path of a registered artifact's bytes, verified against the version file's sha256. */
export async function fetchArtifact(
  artifact: { uri: string; sha256: string },
  context: StoreContext,
): Promise<string> {
  const store = await createArtifactStore(storeKindOf(artifact.uri), context);
  return store.get(artifact.uri, artifact.sha256);
}

import { UserError } from "../errors.ts";
import type { ArtifactStoreKind } from "./artifact-store.ts";

/** An artifact URI taken apart. */
export type ArtifactUri =
  | { kind: "local"; sha256: string }
  | { kind: "github-release"; tag: string; model: string; version: number; file: string };

const LOCAL = /^local:(?:sha256:)?([a-f0-9]{64})$/;
const RELEASE = /^release:([a-z0-9][a-z0-9._-]*)@v([1-9][0-9]*)\/([^/\\]+)$/;

/** `local:sha256:<hex>` for the local store (`local:<hex>` is read too). */
export function localUri(sha256: string): string {
  return `local:sha256:${sha256}`;
}

/** The release tag of a model version: `<model>@v<n>`. */
export function releaseTag(model: string, version: number): string {
  return `${model}@v${version}`;
}

/** `release:<model>@v<n>/<file>` for a GitHub release asset. */
export function releaseUri(model: string, version: number, file: string): string {
  return `release:${releaseTag(model, version)}/${file}`;
}

/** Parses an artifact URI, or explains what it should look like. */
export function parseArtifactUri(uri: string): ArtifactUri {
  const local = LOCAL.exec(uri);
  if (local) return { kind: "local", sha256: local[1] as string };
  const release = RELEASE.exec(uri);
  if (release) {
    const [, model = "", version = "", file = ""] = release;
    return { kind: "github-release", tag: `${model}@v${version}`, model, version: Number(version), file };
  }
  throw new UserError(
    `unknown artifact URI ${JSON.stringify(uri)}: expected local:sha256:<sha256> or release:<model>@v<n>/<file>`,
  );
}

/** The kind of store that holds an artifact. */
export function storeKindOf(uri: string): ArtifactStoreKind {
  return parseArtifactUri(uri).kind;
}

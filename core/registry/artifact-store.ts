/**
 * Where registered model artifacts live. Core declares the interface; each kind of store is one
 * adapter (`adapters/stores/`), picked from `artifacts.store` in modelci.yaml or from an artifact's
 * URI. Every store is content-checked: `put` returns the sha256 it stored, `get` refuses bytes whose
 * sha256 differs from the version file's.
 */
import { UserError } from "../errors.ts";

/** The kinds of store, as `artifacts.store` in modelci.yaml names them. */
export type ArtifactStoreKind = "local" | "github-release";

export const ARTIFACT_STORE_KINDS: readonly ArtifactStoreKind[] = ["local", "github-release"];

/** What a store returns for a stored file: the URI a version file records, and the digest. */
export interface StoredArtifact {
  uri: string;
  sha256: string;
  size: number;
}

/** The version an artifact is stored for; stores that are not content-addressed key on it. */
export interface ArtifactTarget {
  model: string;
  version: number;
}

export interface ArtifactStore {
  readonly kind: ArtifactStoreKind;
  /**
   * Stores a file for a model version and returns its URI and digest. Storing the same bytes
   * again is harmless. Throws `ArtifactSlotTakenError` when the place for this version already
   * holds different bytes (another `register` got there first), so the caller can try the next
   * version number.
   */
  put(file: string, target: ArtifactTarget): Promise<StoredArtifact>;
  /**
   * The local path of the artifact's bytes, verified: throws a UserError naming both digests when
   * the stored bytes' sha256 is not `expectedSha256`.
   */
  get(uri: string, expectedSha256: string): Promise<string>;
}

/** The store already holds different bytes for this model version. */
export class ArtifactSlotTakenError extends UserError {
  constructor(
    readonly target: ArtifactTarget,
    message: string,
  ) {
    super(message);
    this.name = "ArtifactSlotTakenError";
  }
}

/** Stored bytes whose sha256 is not what the version file says. */
export class DigestMismatchError extends UserError {
  constructor(
    readonly uri: string,
    readonly expected: string,
    readonly actual: string,
    where: string,
  ) {
    super(
      `artifact ${uri} is corrupt or was replaced: expected sha256 ${expected}, found ${actual} (${where}); it will not be used`,
    );
    this.name = "DigestMismatchError";
  }
}

/** The refusal every store gives for bytes that are not what the version file says. */
export function digestMismatchError(uri: string, expected: string, actual: string, where: string): UserError {
  return new DigestMismatchError(uri, expected, actual, where);
}

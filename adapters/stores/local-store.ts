/**
 * The `local` artifact store: a content-addressed folder, `<path>/sha256/<aa>/<sha256>`, where
 * `<aa>` is the digest's first two hex characters. Files are written to a temporary name in the
 * same folder and renamed into place, so a reader never sees half a file, and made read-only.
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { UserError } from "../../core/errors.ts";
import {
  type ArtifactStore,
  digestMismatchError,
  type StoredArtifact,
} from "../../core/registry/artifact-store.ts";
import { localUri, parseArtifactUri } from "../../core/registry/artifact-uri.ts";
import { hashFile } from "../files/hash-file.ts";
import { copyHashing } from "./copy-hashing.ts";

/** Where the local store keeps the bytes of a digest. */
export function localArtifactPath(folder: string, sha256: string): string {
  return join(folder, "sha256", sha256.slice(0, 2), sha256);
}

/** A local store rooted at `folder` (absolute, or relative to the current directory). */
export function localStore(folder: string): ArtifactStore {
  return {
    kind: "local",
    async put(file): Promise<StoredArtifact> {
      const temp = join(folder, "tmp", `${basename(file)}.${process.pid}.${randomBytes(6).toString("hex")}`);
      await mkdir(dirname(temp), { recursive: true });
      try {
        const { sha256, size } = await copyHashing(file, temp);
        const target = localArtifactPath(folder, sha256);
        await mkdir(dirname(target), { recursive: true });
        await chmod(temp, 0o444);
        await rename(temp, target);
        return { uri: localUri(sha256), sha256, size };
      } finally {
        await rm(temp, { force: true });
      }
    },
    async get(uri, expectedSha256) {
      const parsed = parseArtifactUri(uri);
      if (parsed.kind !== "local") throw new UserError(`${uri} is not in the local store`);
      if (parsed.sha256 !== expectedSha256) {
        throw new UserError(
          `artifact ${uri} names sha256 ${parsed.sha256}, but the version file expects ${expectedSha256}`,
        );
      }
      const path = localArtifactPath(folder, parsed.sha256);
      const found = await stat(path).catch(() => undefined);
      if (!found?.isFile()) {
        throw new UserError(
          `artifact ${uri} is not in the local store ${folder}; commit the store folder (artifacts.path in modelci.yaml) with the version files, or register with the github-release store (artifacts: { store: github-release }) so that every clone and runner can fetch it`,
        );
      }
      const { sha256 } = await hashFile(path);
      if (sha256 !== expectedSha256) throw digestMismatchError(uri, expectedSha256, sha256, path);
      return path;
    },
  };
}

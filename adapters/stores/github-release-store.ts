/**
 * The `github-release` artifact store: each version's model file is an asset of the release on
 * tag `<model>@v<n>`, through the GitHub REST API (api.github.com or a GitHub Enterprise Server's
 * API URL). Uploads go to the release's own `upload_url`, which is where GitHub (uploads.github.com)
 * or GHES wants them. Downloads land in a content-addressed cache folder and are verified first.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Readable } from "node:stream";
import type { ReadableStream } from "node:stream/web";
import { UserError } from "../../core/errors.ts";
import {
  ArtifactSlotTakenError,
  type ArtifactStore,
  type ArtifactTarget,
  digestMismatchError,
} from "../../core/registry/artifact-store.ts";
import { parseArtifactUri, releaseTag, releaseUri } from "../../core/registry/artifact-uri.ts";
import { hashFile } from "../files/hash-file.ts";
import { githubUserError, httpErrorOf } from "../github/classify-github-error.ts";
import { createOctokit } from "../github/create-octokit.ts";
import { writeHashing } from "./copy-hashing.ts";
import { localArtifactPath } from "./local-store.ts";

export interface GithubReleaseStoreOptions {
  owner: string;
  repo: string;
  token: string;
  /** The REST API's base URL (`GITHUB_API_URL`); default https://api.github.com. */
  baseUrl?: string | undefined;
  /** A content-addressed folder where downloaded artifacts are kept once verified. */
  cacheFolder: string;
  /** Retries of a request after a server error (default 3). */
  retries?: number;
}

interface Asset {
  id: number;
  name: string;
  digest?: string | null;
}

interface Release {
  id: number;
  upload_url: string;
  assets: Asset[];
}

function statusOf(error: unknown): number | undefined {
  return httpErrorOf(error)?.status;
}

export function githubReleaseStore(options: GithubReleaseStoreOptions): ArtifactStore {
  const { owner, repo } = options;
  const octokit = createOctokit({
    token: options.token,
    ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
    ...(options.retries === undefined ? {} : { retries: options.retries }),
  });

  async function findRelease(tag: string): Promise<Release | undefined> {
    try {
      const { data } = await octokit.rest.repos.getReleaseByTag({ owner, repo, tag });
      return data;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw githubUserError(error, `reading release ${tag} of ${owner}/${repo}`);
    }
  }

  async function findOrCreateRelease(target: ArtifactTarget): Promise<Release> {
    const tag = releaseTag(target.model, target.version);
    const found = await findRelease(tag);
    if (found) return found;
    try {
      const { data } = await octokit.rest.repos.createRelease({
        owner,
        repo,
        tag_name: tag,
        name: `${target.model} v${target.version}`,
        body: `Model ${target.model}, version ${target.version}, registered by modelci. See models/${target.model}/versions/${target.version}.yaml.`,
        make_latest: "false",
      });
      return data;
    } catch (error) {
      // Someone created it at the same moment: use theirs.
      if (statusOf(error) === 422) {
        const raced = await findRelease(tag);
        if (raced) return raced;
      }
      throw githubUserError(error, `creating release ${tag} in ${owner}/${repo}`);
    }
  }

  /** Downloads an asset to a temporary file in the cache folder, hashing it; the caller removes it. */
  async function fetchAsset(asset: Asset, uri: string): Promise<{ temp: string; sha256: string }> {
    const temp = join(
      options.cacheFolder,
      "tmp",
      `${asset.id}.${process.pid}.${randomBytes(6).toString("hex")}`,
    );
    await mkdir(dirname(temp), { recursive: true });
    let body: ReadableStream;
    try {
      const response = await octokit.request("GET /repos/{owner}/{repo}/releases/assets/{asset_id}", {
        owner,
        repo,
        asset_id: asset.id,
        headers: { accept: "application/octet-stream" },
        request: { parseSuccessResponseBody: false },
      });
      body = response.data as unknown as ReadableStream;
    } catch (error) {
      throw githubUserError(error, `downloading ${uri}`);
    }
    try {
      return { temp, ...(await writeHashing(Readable.fromWeb(body), temp)) };
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  /** Downloads an asset into the cache folder and verifies it; returns its path there. */
  async function download(asset: Asset, uri: string, expected: string): Promise<string> {
    const { temp, sha256 } = await fetchAsset(asset, uri);
    try {
      if (sha256 !== expected)
        throw digestMismatchError(uri, expected, sha256, `release asset ${asset.name}`);
      const target = localArtifactPath(options.cacheFolder, expected);
      await mkdir(dirname(target), { recursive: true });
      await rename(temp, target);
      return target;
    } finally {
      await rm(temp, { force: true });
    }
  }

  /** The sha256 of an asset already on a release: GitHub's digest when it has one, else the bytes'. */
  async function assetSha256(asset: Asset, uri: string): Promise<string> {
    if (asset.digest?.startsWith("sha256:")) return asset.digest.slice("sha256:".length);
    const { temp, sha256 } = await fetchAsset(asset, uri);
    await rm(temp, { force: true });
    return sha256;
  }

  return {
    kind: "github-release",
    async put(file, target) {
      const { sha256, size } = await hashFile(file);
      const name = basename(file);
      const release = await findOrCreateRelease(target);
      const uri = releaseUri(target.model, target.version, name);
      const settle = async (asset: Asset) => {
        const existing = await assetSha256(asset, uri);
        if (existing === sha256)
          return { uri: releaseUri(target.model, target.version, asset.name), sha256, size };
        throw new ArtifactSlotTakenError(
          target,
          `release ${releaseTag(target.model, target.version)} already has ${asset.name} with sha256 ${existing}, not ${sha256}`,
        );
      };
      const existing = release.assets.find((asset) => asset.name === name);
      if (existing) return settle(existing);
      try {
        const { data } = await octokit.request({
          method: "POST",
          url: release.upload_url,
          name,
          data: await readFile(file),
          headers: { "content-type": "application/octet-stream", "content-length": size },
        });
        const uploaded = data as Asset;
        return { uri: releaseUri(target.model, target.version, uploaded.name), sha256, size };
      } catch (error) {
        if (statusOf(error) === 422) {
          const { data: assets } = await octokit.rest.repos.listReleaseAssets({
            owner,
            repo,
            release_id: release.id,
            per_page: 100,
          });
          const raced = assets.find((asset) => asset.name === name);
          if (raced) return settle(raced);
        }
        throw githubUserError(
          error,
          `uploading ${name} to release ${releaseTag(target.model, target.version)}`,
        );
      }
    },
    async get(uri, expectedSha256) {
      const parsed = parseArtifactUri(uri);
      if (parsed.kind !== "github-release") throw new UserError(`${uri} is not a GitHub release asset`);
      const cached = localArtifactPath(options.cacheFolder, expectedSha256);
      if ((await stat(cached).catch(() => undefined))?.isFile()) {
        const { sha256 } = await hashFile(cached);
        if (sha256 === expectedSha256) return cached;
        await rm(cached, { force: true });
      }
      const release = await findRelease(parsed.tag);
      if (!release) throw new UserError(`artifact ${uri}: ${owner}/${repo} has no release ${parsed.tag}`);
      const asset = release.assets.find((a) => a.name === parsed.file);
      if (!asset) {
        throw new UserError(
          `artifact ${uri}: release ${parsed.tag} of ${owner}/${repo} has no asset ${parsed.file}`,
        );
      }
      return download(asset, uri, expectedSha256);
    },
  };
}

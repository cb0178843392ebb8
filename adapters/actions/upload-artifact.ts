import { cp, readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { DefaultArtifactClient } from "@actions/artifact";
import * as core from "@actions/core";

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** Off a runner, artifacts go to this folder (one subfolder per artifact) when it is set. */
export const ARTIFACTS_DIR_ENV = "MODELCI_ARTIFACTS_DIR";

/**
 * Uploads a folder as a workflow artifact. Off a GitHub runner it copies the folder to
 * `$MODELCI_ARTIFACTS_DIR/<name>/` when that is set (how a local runner such as act, or a test,
 * passes artifacts between jobs), else says so and skips.
 */
export async function uploadFolder(
  name: string,
  runDir: string,
  retentionDays: number | undefined,
): Promise<boolean> {
  const local = process.env[ARTIFACTS_DIR_ENV];
  if ((!process.env.ACTIONS_RUNTIME_TOKEN || !process.env.ACTIONS_RESULTS_URL) && local) {
    await cp(runDir, join(resolve(local), name), { recursive: true });
    core.info(`Copied artifact ${name} to ${join(local, name)} (${ARTIFACTS_DIR_ENV})`);
    return true;
  }
  if (!process.env.ACTIONS_RUNTIME_TOKEN || !process.env.ACTIONS_RESULTS_URL) {
    core.notice(
      `Not on a GitHub Actions runner (no ACTIONS_RUNTIME_TOKEN): artifact ${name} was not uploaded.`,
    );
    return false;
  }
  const client = new DefaultArtifactClient();
  const files = await listFiles(runDir);
  const { id, size } = await client.uploadArtifact(
    name,
    files,
    runDir,
    retentionDays === undefined ? {} : { retentionDays },
  );
  core.info(`Uploaded artifact ${name} (id ${id}, ${size ?? 0} bytes)`);
  return true;
}

/** Uploads files under `rootDir` as one workflow artifact; off a GitHub runner it says so and skips. */
export async function uploadFiles(
  name: string,
  files: readonly string[],
  rootDir: string,
  retentionDays?: number,
): Promise<boolean> {
  if (!process.env.ACTIONS_RUNTIME_TOKEN || !process.env.ACTIONS_RESULTS_URL) {
    core.notice(
      `Not on a GitHub Actions runner (no ACTIONS_RUNTIME_TOKEN): artifact ${name} was not uploaded.`,
    );
    return false;
  }
  const client = new DefaultArtifactClient();
  const { id, size } = await client.uploadArtifact(
    name,
    [...files],
    rootDir,
    retentionDays === undefined ? {} : { retentionDays },
  );
  core.info(`Uploaded artifact ${name} (id ${id}, ${size ?? 0} bytes)`);
  return true;
}

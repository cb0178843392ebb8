import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REPO_ROOT = resolve(import.meta.dirname, "../..");
export const CLI = join(REPO_ROOT, "bin/modelci.js");

/** Copies a folder of this repository (relative to its root) to `to`, leaving build outputs behind. */
export function copyFromRepo(from: string, to: string): void {
  const skipped = /[/\\](out|node_modules|\.modelci)$/;
  cpSync(join(REPO_ROOT, from), to, { recursive: true, filter: (src) => !skipped.test(src) });
}

/** A fresh temp folder, optionally holding a copy of `from` (relative to the repository root). */
export function tempDir(from?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "modelci-test-"));
  if (from) copyFromRepo(from, dir);
  return dir;
}

/** Runs git with fixed identities, plus any extra environment (such as fixed commit dates). */
export function gitWith(dir: string, env: Record<string, string>, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd: dir,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.com",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.com",
      ...env,
    },
  }).trim();
}

export function git(dir: string, ...args: string[]): string {
  return gitWith(dir, {}, ...args);
}

/** Turns a folder into a git repository with everything committed; returns the commit sha. */
export function commitAll(dir: string, message = "commit"): string {
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "--no-gpg-sign", "-m", message);
  return git(dir, "rev-parse", "HEAD");
}

/** Runs the real modelci binary. */
export function runCli(args: string[], cwd = REPO_ROOT): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Edits a file in place. */
export function editFile(path: string, edit: (text: string) => string): void {
  writeFileSync(path, edit(readFileSync(path, "utf8")));
}

/** Matches a Node stack trace line; no user-facing output may contain one. */
export const STACK_TRACE = /\n\s+at .+:\d+:\d+/;

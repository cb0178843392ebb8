import { simpleGit } from "simple-git";
import {
  findServingStints,
  readServedVersions,
  type TargetSnapshot,
} from "../../core/promotion/find-serving-stints.ts";
import { readBlobs } from "../git/read-blobs.ts";

/** A deployment target and its file, relative to the repository folder. */
export interface TargetFile {
  name: string;
  file: string;
}

interface FileCommit {
  sha: string;
  date: Date;
  /** The file's path at that commit (it may have been renamed since). */
  path: string;
}

/**
 * The commits of `rev`'s first-parent history that changed `file`, oldest first. First parent,
 * so a merged promotion counts from the merge into the branch, not from the feature branch's
 * commit; committer date, so a rebased or squashed merge counts from when it landed. Renames are
 * followed.
 */
async function listFileCommits(dir: string, rev: string, file: string): Promise<FileCommit[]> {
  const out = await simpleGit({ baseDir: dir }).raw([
    "log",
    "--first-parent",
    "--follow",
    "--diff-merges=first-parent",
    "--relative",
    "--format=%x01%H %cI",
    "--name-only",
    rev,
    "--",
    file,
  ]);
  const commits: FileCommit[] = [];
  let path = file;
  for (const entry of out.split("\x01").slice(1)) {
    const [header = "", ...names] = entry.split("\n").filter((line) => line !== "");
    const [sha = "", date = ""] = header.split(" ");
    path = names[0] ?? path;
    commits.push({ sha, date: new Date(date), path });
  }
  return commits.reverse();
}

/**
 * `target@model@version` → when the version started serving in the target, in the stint that
 * lasts to `rev`, from the git history of each target's file. A target without history (a new
 * file, a shallow clone) contributes nothing.
 */
export async function findServedSince(
  dir: string,
  rev: string,
  targets: readonly TargetFile[],
): Promise<Map<string, Date>> {
  const since = new Map<string, Date>();
  for (const target of targets) {
    const commits = await listFileCommits(dir, rev, target.file).catch(() => []);
    const blobs = await readBlobs(
      dir,
      commits.map((c) => `${c.sha}:./${c.path}`),
    );
    const snapshots: TargetSnapshot[] = commits.map((commit, i) => ({
      date: commit.date,
      served: readServedVersions(blobs[i]),
    }));
    for (const [key, date] of findServingStints(target.name, snapshots)) since.set(key, date);
  }
  return since;
}

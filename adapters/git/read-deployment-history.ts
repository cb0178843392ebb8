/**
 * The history of the deployment files, read from git without a checkout: one `git log` over
 * `deployments/` along the first-parent line (so a merged promotion PR counts when it was merged),
 * then each changed file at its commit. Needs the full history (`fetch-depth: 0` in Actions).
 */
import { simpleGit } from "simple-git";
import { classifyPath } from "../../core/declarations/classify-path.ts";
import { parseDeclaration } from "../../core/declarations/parse-declaration.ts";
import { UserError } from "../../core/errors.ts";
import type { CommitInfo, DeploymentCommit } from "../../core/registry/serving-history.ts";

const RECORD = "\x1e";
const FIELD = "\x1f";

interface LoggedCommit extends CommitInfo {
  /** Status (A, M, D…) and path relative to `dir`, of each file the commit changed. */
  files: Array<{ status: string; path: string }>;
}

/** Commits (oldest first) that changed files under `pathspec`, with those files. */
export async function logChanges(
  dir: string,
  pathspec: string,
  extra: string[] = [],
): Promise<LoggedCommit[]> {
  const git = simpleGit({ baseDir: dir });
  if (!(await git.checkIsRepo().catch(() => false))) {
    throw new UserError(`${dir} is not inside a git repository; the history comes from git`);
  }
  let out: string;
  try {
    out = await git.raw([
      "log",
      "--first-parent",
      "--diff-merges=first-parent",
      "--reverse",
      "--no-renames",
      "--relative",
      "--name-status",
      `--format=${RECORD}%H${FIELD}%an${FIELD}%ae${FIELD}%aI${FIELD}%s`,
      ...extra,
      "--",
      pathspec,
    ]);
  } catch (error) {
    // A repository without commits has no history.
    if (/does not have any commits|bad default revision/.test((error as Error).message)) return [];
    throw error;
  }
  const commits: LoggedCommit[] = [];
  for (const record of out.split(RECORD).slice(1)) {
    const [header = "", ...lines] = record.split("\n");
    const [commit = "", author = "", email = "", date = "", subject = ""] = header.split(FIELD);
    const files = lines
      .filter((line) => line.trim() !== "")
      .map((line) => {
        const [status = "", path = ""] = line.split("\t");
        return { status: status.charAt(0), path };
      });
    commits.push({ commit, author, email, date, subject, files });
  }
  return commits;
}

/** Every commit that changed a deployment file, with the files it changed parsed at that commit. */
export async function readDeploymentHistory(dir: string, root: string): Promise<DeploymentCommit[]> {
  const git = simpleGit({ baseDir: dir });
  const history: DeploymentCommit[] = [];
  for (const { files, ...info } of await logChanges(dir, `${root}deployments`)) {
    const changes: DeploymentCommit["changes"] = [];
    for (const { status, path } of files) {
      const classified = classifyPath(path.slice(root.length));
      if (classified.kind !== "deployment") continue;
      if (status === "D") {
        changes.push({ target: classified.name, deployment: null });
        continue;
      }
      const bytes = await git.binaryCatFile(["blob", `${info.commit}:./${path}`]).catch(() => undefined);
      const parsed = bytes === undefined ? undefined : parseDeclaration("deployment", path, bytes);
      changes.push({ target: classified.name, deployment: parsed?.ok ? parsed.value : "invalid" });
    }
    if (changes.length > 0) history.push({ ...info, changes });
  }
  return history;
}

/** The first commit that added each version file of a model, by version number. */
export async function readVersionAdditions(
  dir: string,
  root: string,
  model: string,
): Promise<Map<number, CommitInfo>> {
  const added = new Map<number, CommitInfo>();
  const prefix = `${root}models/${model}/versions`;
  for (const { files, ...info } of await logChanges(dir, prefix, ["--diff-filter=A"])) {
    for (const { path } of files) {
      const classified = classifyPath(path.slice(root.length));
      if (classified.kind === "version" && !added.has(classified.version))
        added.set(classified.version, info);
    }
  }
  return added;
}

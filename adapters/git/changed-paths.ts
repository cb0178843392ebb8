import { simpleGit } from "simple-git";
import { UserError } from "../../core/errors.ts";

/** Resolves a revision to its full commit sha, or explains that the clone lacks it. */
export async function resolveCommit(dir: string, rev: string): Promise<string> {
  const git = simpleGit({ baseDir: dir });
  const sha = (await git.raw(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]).catch(() => "")).trim();
  if (sha === "") {
    throw new UserError(
      `unknown git revision ${JSON.stringify(rev)}; in GitHub Actions, check out with \`fetch-depth: 0\` so the base commit is in the clone`,
    );
  }
  return sha;
}

/**
 * Paths that differ between the merge base of `base` and `head`, and `head` (what a pull request
 * changes), relative to `dir` and limited to it. Renames count as a deletion and an addition.
 */
export async function changedPaths(dir: string, base: string, head: string): Promise<string[]> {
  const git = simpleGit({ baseDir: dir });
  const out = await git.raw(["diff", "--name-only", "-z", "--no-renames", "--relative", `${base}...${head}`]);
  return out.split("\0").filter((path) => path !== "");
}

/** The commit checked out in `dir` and whether the working tree has uncommitted changes. */
export async function currentCommit(dir: string): Promise<{ commit: string; dirty: boolean }> {
  const git = simpleGit({ baseDir: dir });
  if (!(await git.checkIsRepo().catch(() => false))) {
    throw new UserError(
      `${dir} is not inside a git repository; modelci records the commit each model was trained from`,
    );
  }
  const commit = (await git.raw(["rev-parse", "--verify", "--quiet", "HEAD"]).catch(() => "")).trim();
  if (commit === "") throw new UserError(`${dir}: the repository has no commit yet; commit your files first`);
  const status = await git.raw(["status", "--porcelain", "--untracked-files=no", "--", "."]);
  return { commit, dirty: status.trim() !== "" };
}

import { simpleGit } from "simple-git";
import { UserError } from "../../core/errors.ts";

/**
 * Makes sure a commit is in the clone: a shallow checkout (actions/checkout's default depth 1)
 * lacks the pull request's base, so it is fetched from `origin` by sha (GitHub serves any
 * reachable commit by sha). Returns the full sha, or explains what the checkout needs.
 */
export async function ensureCommit(dir: string, rev: string): Promise<string> {
  const git = simpleGit({ baseDir: dir });
  const resolve = async () =>
    (await git.raw(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]).catch(() => "")).trim();
  const found = await resolve();
  if (found !== "") return found;
  if (/^[0-9a-f]{40}$/.test(rev)) {
    await git.raw(["fetch", "--quiet", "--no-tags", "--depth=1", "origin", rev]).catch(() => "");
    const fetched = await resolve();
    if (fetched !== "") return fetched;
  }
  throw new UserError(
    `commit ${rev} is not in the clone and could not be fetched from origin; check out with \`fetch-depth: 2\` (a pull request's merge commit and both its parents) or \`fetch-depth: 0\``,
  );
}

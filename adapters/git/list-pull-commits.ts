import { simpleGit } from "simple-git";
import type { PullCommit } from "../../core/promotion/find-requesters.ts";

/**
 * The commits `head` adds to `base` (what a pull request from head into base holds), with their
 * author emails and messages. A clone cannot check GitHub's signatures without GitHub's key, so
 * each counts as verified: for requesters that only ever adds people whose approval is ignored.
 */
export async function listPullCommits(dir: string, base: string, head: string): Promise<PullCommit[]> {
  const git = simpleGit({ baseDir: dir });
  const out = await git.raw(["log", "-z", "--format=%ae%x1f%B", `${base}..${head}`]);
  return out
    .split("\0")
    .filter((entry) => entry !== "")
    .map((entry) => {
      const [authorEmail = "", message = ""] = entry.split("\x1f");
      return { authorEmail, message, verified: true };
    });
}

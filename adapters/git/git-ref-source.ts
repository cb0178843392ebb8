import { simpleGit } from "simple-git";
import type { FileSource } from "../../core/declarations/file-source.ts";
import { UserError } from "../../core/errors.ts";

/**
 * Declaration files as they are at a git revision, read through git without a checkout. Paths are
 * relative to `dir`, which may be a subfolder of the repository.
 */
export async function gitRefSource(dir: string, rev: string): Promise<FileSource> {
  const git = simpleGit({ baseDir: dir });
  if (!(await git.checkIsRepo().catch(() => false))) {
    throw new UserError(`${dir} is not inside a git repository; --ref needs one`);
  }
  let commit: string;
  try {
    commit = (await git.raw(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`])).trim();
  } catch {
    commit = "";
  }
  if (commit === "") throw new UserError(`unknown git revision ${JSON.stringify(rev)}`);
  return {
    label: `commit ${commit.slice(0, 12)}`,
    async listFiles(path) {
      const out = await git.raw([
        "ls-tree",
        "-r",
        "-z",
        "--name-only",
        commit,
        "--",
        path === "" ? "." : path,
      ]);
      return out
        .split("\0")
        .filter((p) => p !== "")
        .sort();
    },
    async readFile(path) {
      try {
        return await git.binaryCatFile(["blob", `${commit}:./${path}`]);
      } catch {
        return undefined;
      }
    },
  };
}

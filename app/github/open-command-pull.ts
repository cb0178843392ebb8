import { type GitHub, hasStatus, type Repo } from "./types.ts";

/** A pull request a command opens: one file changed on its own branch. */
export interface CommandPull extends Repo {
  branch: string;
  base: { ref: string; sha: string };
  file: { path: string; blob: string; content: string };
  message: string;
  title: string;
  body: string;
}

export interface OpenedPull {
  number: number;
  url: string;
  created: boolean;
}

async function findOpenPull(gh: GitHub, pull: CommandPull): Promise<OpenedPull | undefined> {
  const { data } = await gh.rest.pulls.list({
    owner: pull.owner,
    repo: pull.repo,
    head: `${pull.owner}:${pull.branch}`,
    state: "open",
    per_page: 1,
  });
  const [open] = data;
  return open === undefined ? undefined : { number: open.number, url: open.html_url, created: false };
}

/** The file's blob id on the branch, creating the branch from the base when it does not exist yet. */
async function prepareBranch(
  gh: GitHub,
  pull: CommandPull,
): Promise<{ blob: string | undefined; same: boolean }> {
  const where = { owner: pull.owner, repo: pull.repo };
  try {
    await gh.rest.git.getRef({ ...where, ref: `heads/${pull.branch}` });
  } catch (error) {
    if (!hasStatus(error, 404)) throw error;
    await gh.rest.git.createRef({ ...where, ref: `refs/heads/${pull.branch}`, sha: pull.base.sha });
    return { blob: pull.file.blob, same: false };
  }
  // The branch exists (an earlier attempt): reuse it, committing only if the file still differs.
  try {
    const { data } = await gh.rest.repos.getContent({ ...where, path: pull.file.path, ref: pull.branch });
    if (Array.isArray(data) || data.type !== "file" || !("content" in data))
      return { blob: undefined, same: false };
    const same = Buffer.from(data.content, "base64").toString("utf8") === pull.file.content;
    return { blob: data.sha, same };
  } catch (error) {
    if (hasStatus(error, 404)) return { blob: undefined, same: false };
    throw error;
  }
}

/**
 * Opens the pull request, at most once: an open pull request from the branch is returned as it is,
 * an existing branch is reused, and the file is committed through the contents API.
 */
export async function openCommandPull(gh: GitHub, pull: CommandPull): Promise<OpenedPull> {
  const open = await findOpenPull(gh, pull);
  if (open !== undefined) return open;
  const where = { owner: pull.owner, repo: pull.repo };
  const branch = await prepareBranch(gh, pull);
  if (!branch.same) {
    await gh.rest.repos.createOrUpdateFileContents({
      ...where,
      path: pull.file.path,
      message: pull.message,
      content: Buffer.from(pull.file.content, "utf8").toString("base64"),
      branch: pull.branch,
      ...(branch.blob === undefined ? {} : { sha: branch.blob }),
    });
  }
  const { data } = await gh.rest.pulls.create({
    ...where,
    title: pull.title,
    head: pull.branch,
    base: pull.base.ref,
    body: pull.body,
  });
  return { number: data.number, url: data.html_url, created: true };
}

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

/** The pull request opened, the one already open, or (another delivery racing this one) its branch. */
export type OpenedPull =
  | { number: number; url: string; created: boolean }
  | { number: undefined; url: string; created: false };

/** The branch's page: where the pull request another delivery is opening will show. */
function branchUrl(pull: CommandPull): string {
  return `https://github.com/${pull.owner}/${pull.repo}/tree/${pull.branch}`;
}

/**
 * After GitHub answered 422 to creating the branch or the pull request: another delivery of the
 * same command got there first. The pull request it opened, or its branch while it is opening it.
 */
async function lostRace(gh: GitHub, pull: CommandPull): Promise<OpenedPull> {
  return (await findOpenPull(gh, pull)) ?? { number: undefined, url: branchUrl(pull), created: false };
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

/**
 * The branch, at the base: created from it, or, when it exists already (an earlier attempt, or the
 * pull request of an earlier command was closed), moved back to it, so the commit made next is
 * this command's own, naming who asks now, never a leftover one.
 */
async function prepareBranch(gh: GitHub, pull: CommandPull): Promise<"ready" | "raced"> {
  const where = { owner: pull.owner, repo: pull.repo };
  try {
    await gh.rest.git.getRef({ ...where, ref: `heads/${pull.branch}` });
  } catch (error) {
    if (!hasStatus(error, 404)) throw error;
    try {
      await gh.rest.git.createRef({ ...where, ref: `refs/heads/${pull.branch}`, sha: pull.base.sha });
    } catch (createError) {
      // 422 Reference already exists: another delivery created it since.
      if (hasStatus(createError, 422)) return "raced";
      throw createError;
    }
    return "ready";
  }
  await gh.rest.git.updateRef({ ...where, ref: `heads/${pull.branch}`, sha: pull.base.sha, force: true });
  return "ready";
}

/**
 * Opens the pull request, at most once: an open pull request from the branch is returned as it is,
 * an existing branch without one is moved back to the base, and the file is committed through the
 * contents API. Two deliveries
 * of one command at the same moment: the one GitHub answers 422 (the branch or the pull request
 * exists already) returns what the other opened, or its branch while it is still opening it.
 */
export async function openCommandPull(gh: GitHub, pull: CommandPull): Promise<OpenedPull> {
  const open = await findOpenPull(gh, pull);
  if (open !== undefined) return open;
  const where = { owner: pull.owner, repo: pull.repo };
  if ((await prepareBranch(gh, pull)) === "raced") return lostRace(gh, pull);
  await gh.rest.repos.createOrUpdateFileContents({
    ...where,
    path: pull.file.path,
    message: pull.message,
    content: Buffer.from(pull.file.content, "utf8").toString("base64"),
    branch: pull.branch,
    sha: pull.file.blob,
  });
  try {
    const { data } = await gh.rest.pulls.create({
      ...where,
      title: pull.title,
      head: pull.branch,
      base: pull.base.ref,
      body: pull.body,
    });
    return { number: data.number, url: data.html_url, created: true };
  } catch (error) {
    // 422 A pull request already exists: another delivery opened it since.
    if (hasStatus(error, 422)) return lostRace(gh, pull);
    throw error;
  }
}

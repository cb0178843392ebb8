/**
 * Writes a retraining pull request through the Git Data API: one tree (the marker file on top of
 * the base), one commit, the branch, then the pull request with the owners as reviewers and the
 * `modelci:retrain` label. An open pull request gets its branch fast-forwarded and its body edited
 * in place instead. A concurrent delivery that created the branch or the pull request first is
 * recognised, never reported as an error.
 */
import type { RetrainPull } from "../../core/retrain/decide-retrain.ts";
import { retrainBranch } from "../../core/retrain/decide-retrain.ts";
import type { RetrainPullText } from "../../core/retrain/render-retrain-pull.ts";
import { type GitHub, hasStatus, type Repo } from "../github/types.ts";

export const RETRAIN_LABEL = "modelci:retrain";

export interface RetrainWrite {
  repo: Repo;
  model: string;
  defaultBranch: string;
  /** The commit the new commit goes on: the default branch's head, or the open pull request's head. */
  base: string;
  markerPath: string;
  text: RetrainPullText;
}

export interface Written {
  number: number;
  url: string;
  created: boolean;
}

async function commitMarker(gh: GitHub, write: RetrainWrite): Promise<string> {
  const where = { owner: write.repo.owner, repo: write.repo.repo };
  const { data: tree } = await gh.rest.git.createTree({
    ...where,
    base_tree: write.base,
    tree: [{ path: write.markerPath, mode: "100644", type: "blob", content: write.text.marker }],
  });
  const { data: commit } = await gh.rest.git.createCommit({
    ...where,
    message: write.text.message,
    tree: tree.sha,
    parents: [write.base],
  });
  return commit.sha;
}

/** Points the branch at `sha`: created, or (left by a closed or merged pull request) reset. */
async function setBranch(gh: GitHub, write: RetrainWrite, sha: string): Promise<void> {
  const where = { owner: write.repo.owner, repo: write.repo.repo };
  const branch = retrainBranch(write.model);
  try {
    await gh.rest.git.createRef({ ...where, ref: `refs/heads/${branch}`, sha });
  } catch (error) {
    if (!hasStatus(error, 422)) throw error;
    await gh.rest.git.updateRef({ ...where, ref: `heads/${branch}`, sha, force: true });
  }
}

function reviewersOf(owners: readonly string[], exclude: readonly string[]) {
  const skip = new Set(exclude.map((login) => login.toLowerCase()));
  const reviewers: string[] = [];
  const teams: string[] = [];
  for (const owner of owners) {
    const name = owner.replace(/^@/, "");
    const [org, team] = name.split("/");
    if (team !== undefined && org !== undefined) teams.push(team);
    else if (!skip.has(name.toLowerCase())) reviewers.push(name);
  }
  return { reviewers, team_reviewers: teams };
}

/** Opens the pull request; owners become reviewers (bar `exclude`, who asked), and it gets the label. */
export async function openRetrainPull(
  gh: GitHub,
  write: RetrainWrite,
  owners: readonly string[],
  exclude: readonly string[] = [],
): Promise<Written> {
  const where = { owner: write.repo.owner, repo: write.repo.repo };
  await setBranch(gh, write, await commitMarker(gh, write));
  let pull: { number: number; html_url: string };
  try {
    ({ data: pull } = await gh.rest.pulls.create({
      ...where,
      title: write.text.title,
      head: retrainBranch(write.model),
      base: write.defaultBranch,
      body: write.text.body,
    }));
  } catch (error) {
    // Another delivery opened it a moment ago ("A pull request already exists").
    if (!hasStatus(error, 422)) throw error;
    const { data } = await gh.rest.pulls.list({
      ...where,
      head: `${write.repo.owner}:${retrainBranch(write.model)}`,
      state: "open",
      per_page: 1,
    });
    const [open] = data;
    if (open === undefined) throw error;
    return { number: open.number, url: open.html_url, created: false };
  }
  const people = reviewersOf(owners, exclude);
  if (people.reviewers.length + people.team_reviewers.length > 0) {
    try {
      await gh.rest.pulls.requestReviewers({ ...where, pull_number: pull.number, ...people });
    } catch (error) {
      // An owner who cannot review here (not a collaborator) must not undo the pull request.
      if (!hasStatus(error, 422)) throw error;
    }
  }
  await gh.rest.issues.addLabels({ ...where, issue_number: pull.number, labels: [RETRAIN_LABEL] });
  return { number: pull.number, url: pull.html_url, created: true };
}

/** Moves the open pull request's branch forward with the new marker and edits its body in place. */
export async function updateRetrainPull(
  gh: GitHub,
  write: RetrainWrite,
  pull: RetrainPull,
): Promise<Written> {
  const where = { owner: write.repo.owner, repo: write.repo.repo };
  const sha = await commitMarker(gh, { ...write, base: pull.headRefOid });
  await gh.rest.git.updateRef({ ...where, ref: `heads/${retrainBranch(write.model)}`, sha, force: false });
  await gh.rest.pulls.update({
    ...where,
    pull_number: pull.number,
    title: write.text.title,
    body: write.text.body,
  });
  return { number: pull.number, url: pull.url, created: false };
}

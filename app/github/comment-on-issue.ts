import { COMMENT_BODY_LIMIT, truncateMarkdown } from "../../adapters/github/truncate-markdown.ts";
import { type GitHub, hasStatus, type Repo } from "./types.ts";

/** 👀 on a comment: the command was received. */
export async function reactWithEyes(gh: GitHub, repo: Repo, commentId: number): Promise<void> {
  await gh.rest.reactions.createForIssueComment({
    owner: repo.owner,
    repo: repo.repo,
    comment_id: commentId,
    content: "eyes",
  });
}

/** Replies on an issue or pull request. */
export async function replyOnIssue(gh: GitHub, repo: Repo, issue: number, body: string): Promise<void> {
  await gh.rest.issues.createComment({
    owner: repo.owner,
    repo: repo.repo,
    issue_number: issue,
    body: truncateMarkdown(body, COMMENT_BODY_LIMIT),
  });
}

/** Whether a user may write to the repository (write, maintain or admin). */
export async function canWrite(gh: GitHub, repo: Repo, username: string): Promise<boolean> {
  try {
    const { data } = await gh.rest.repos.getCollaboratorPermissionLevel({
      owner: repo.owner,
      repo: repo.repo,
      username,
    });
    return data.permission === "admin" || data.permission === "write";
  } catch (error) {
    if (hasStatus(error, 404)) return false;
    throw error;
  }
}

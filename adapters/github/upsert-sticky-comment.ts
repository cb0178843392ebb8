import type { Octokit } from "@octokit/rest";
import { githubUserError } from "./classify-github-error.ts";
import { findStickyComment, type StickyCommentTarget, stickyMarker } from "./find-sticky-comment.ts";
import { COMMENT_BODY_LIMIT, truncateMarkdown } from "./truncate-markdown.ts";

export interface UpsertStickyCommentResult {
  id: number;
  action: "created" | "updated" | "unchanged";
}

/** The body as written: truncated to GitHub's limit if need be, the key's marker on its last line. */
export function stickyCommentBody(body: string, key: string): string {
  const marker = stickyMarker(key);
  const content = body.includes(marker) ? body.replace(marker, "").trimEnd() : body.trimEnd();
  const suffix = `\n\n${marker}`;
  return `${truncateMarkdown(content, COMMENT_BODY_LIMIT - suffix.length)}${suffix}`;
}

/**
 * Keeps one comment per key on an issue or pull request: edits it in place when it exists (no
 * write at all when the body is already the same), creates it otherwise. A second run never adds
 * a second comment.
 */
export async function upsertStickyComment(
  octokit: Octokit,
  target: StickyCommentTarget & { body: string },
): Promise<UpsertStickyCommentResult> {
  const body = stickyCommentBody(target.body, target.key);
  const where = `${target.owner}/${target.repo}#${target.issueNumber}`;
  const existing = await findStickyComment(octokit, target);
  if (existing && existing.body.replace(/\r\n/g, "\n") === body)
    return { id: existing.id, action: "unchanged" };
  try {
    if (existing) {
      await octokit.rest.issues.updateComment({
        owner: target.owner,
        repo: target.repo,
        comment_id: existing.id,
        body,
      });
      return { id: existing.id, action: "updated" };
    }
    const created = await octokit.rest.issues.createComment({
      owner: target.owner,
      repo: target.repo,
      issue_number: target.issueNumber,
      body,
    });
    return { id: created.data.id, action: "created" };
  } catch (error) {
    const doing = existing
      ? `cannot update comment ${existing.id} on ${where}`
      : `cannot comment on ${where}`;
    throw githubUserError(error, doing);
  }
}

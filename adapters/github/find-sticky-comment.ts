import type { Octokit } from "@octokit/rest";
import { reportMarker } from "../../core/report/report-marker.ts";
import { githubUserError } from "./classify-github-error.ts";

/** An issue or pull request, and the key of one sticky comment on it (one per report kind). */
export interface StickyCommentTarget {
  owner: string;
  repo: string;
  issueNumber: number;
  /** Names the comment, e.g. `metrics`; several keys give several sticky comments. */
  key: string;
}

export interface StickyComment {
  id: number;
  body: string;
}

/** The hidden marker that identifies a sticky comment: the report's own marker. */
export const stickyMarker = reportMarker;

/**
 * Finds the comment carrying the key's marker, reading every page of the issue's comments (100 a
 * page, following GitHub's Link headers). Where several carry it, the newest wins.
 */
export async function findStickyComment(
  octokit: Octokit,
  target: StickyCommentTarget,
): Promise<StickyComment | undefined> {
  const marker = stickyMarker(target.key);
  let found: StickyComment | undefined;
  try {
    const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
      owner: target.owner,
      repo: target.repo,
      issue_number: target.issueNumber,
      per_page: 100,
    });
    for await (const page of pages)
      for (const comment of page.data)
        if (comment.body?.includes(marker) && (!found || comment.id > found.id))
          found = { id: comment.id, body: comment.body };
  } catch (error) {
    throw githubUserError(
      error,
      `cannot read the comments of ${target.owner}/${target.repo}#${target.issueNumber}`,
    );
  }
  return found;
}

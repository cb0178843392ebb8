import type { Repo } from "../github/types.ts";

/** A pull request as the promotion gate needs it. */
export interface PullRef extends Repo {
  number: number;
  baseSha: string;
  baseRef: string;
  headSha: string;
  author: string;
  draft: boolean;
  open: boolean;
}

/** The fields of a pull request that webhooks and the REST API share. */
export interface PullLike {
  number: number;
  state: string;
  draft?: boolean | undefined;
  user: { login: string } | null;
  base: { sha: string; ref: string };
  head: { sha: string };
}

/** A pull request of `repo` (the repository it merges into). */
export function pullRefOf(pull: PullLike, repo: Repo): PullRef {
  return {
    owner: repo.owner,
    repo: repo.repo,
    number: pull.number,
    baseSha: pull.base.sha,
    baseRef: pull.base.ref,
    headSha: pull.head.sha,
    author: pull.user?.login ?? "",
    draft: pull.draft === true,
    open: pull.state === "open",
  };
}

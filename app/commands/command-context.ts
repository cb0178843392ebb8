import type { Requester } from "../../core/commands/render-command-pull.ts";
import type { GitReader } from "../github/git-reader.ts";
import type { GitHub, Repo } from "../github/types.ts";

/** Where a command runs: the repository, its default branch, and who asked where. */
export interface CommandContext {
  gh: GitHub;
  reader: GitReader;
  repo: Repo;
  defaultBranch: string;
  requester: Requester;
}

/** The commit the default branch points at now: commands branch from it. */
export async function readBranchHead(ctx: CommandContext): Promise<string> {
  const { data } = await ctx.gh.rest.git.getRef({
    owner: ctx.repo.owner,
    repo: ctx.repo.repo,
    ref: `heads/${ctx.defaultBranch}`,
  });
  return data.object.sha;
}

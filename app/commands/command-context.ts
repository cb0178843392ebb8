import type { Requester } from "../../core/commands/render-command-pull.ts";
import { withRequesterTrailer } from "../../core/commands/requester-trailer.ts";
import { didYouMean } from "../../core/declarations/did-you-mean.ts";
import type { Declared, Project } from "../../core/declarations/project.ts";
import { UserError } from "../../core/errors.ts";
import type { Deployment } from "../../schemas/deployment.ts";
import type { KeyedQueue } from "../app-state.ts";
import type { GitReader } from "../github/git-reader.ts";
import type { GitHub, Repo } from "../github/types.ts";

/** Where a command runs: the repository, its default branch, and who asked where. */
export interface CommandContext {
  gh: GitHub;
  reader: GitReader;
  repo: Repo;
  defaultBranch: string;
  requester: Requester;
  /** Whether the comment is on a pull request (not an issue). */
  onPullRequest: boolean;
  /** The App's queue: commands that share a key (a model's retraining) run one at a time. */
  queue: KeyedQueue;
  now: () => Date;
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

/**
 * The declaration of target `name` on the default branch, or a reply-ready error: the file is
 * invalid there, or there is no such target (with the nearest name).
 */
export function requireTarget(project: Project, name: string, branch: string): Declared<Deployment> {
  const deployment = project.deployments.get(name);
  if (deployment !== undefined) return deployment;
  throw new UserError(
    project.present.deployments.has(name)
      ? `${project.root}deployments/${name}.yaml is invalid on ${branch}; run \`modelci validate\``
      : `there is no deployment target "${name}" on ${branch}${didYouMean(name, [...project.present.deployments])}`,
  );
}

/**
 * The message of the commit a command's pull request is made of: its title, who asked where, and
 * the requester trailer the promotion gate reads (from this App's own commits only), so that the
 * person who asked counts as the pull request's author. Every command that opens a pull request
 * uses it.
 */
export function commandCommitMessage(title: string, ctx: CommandContext): string {
  const { login, issue } = ctx.requester;
  return withRequesterTrailer(`${title}\n\nRequested by @${login} in #${issue}.`, login);
}

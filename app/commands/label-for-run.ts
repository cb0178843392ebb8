import { UserError } from "../../core/errors.ts";
import { hasStatus } from "../github/types.ts";
import type { CommandContext } from "./command-context.ts";

/** The label the reusable workflow's `fork-label` input expects by default. */
export const RUN_LABEL = "modelci:run";

/**
 * `/modelci run` in a pull request: adds the `modelci:run` label, removing it first when an earlier
 * commit had it, because the reusable workflow trains a fork's pull request only on the event of
 * the label being added, and then the head commit of that moment.
 */
export async function labelForRun(ctx: CommandContext): Promise<string> {
  const repo = { owner: ctx.repo.owner, repo: ctx.repo.repo };
  const where = { ...repo, issue_number: ctx.requester.issue };
  if (!ctx.onPullRequest) {
    throw new UserError(
      "it belongs in a pull request comment, where it trains the pull request's head commit",
    );
  }
  const { data: pull } = await ctx.gh.rest.pulls.get({ ...repo, pull_number: ctx.requester.issue });
  if (pull.state !== "open") throw new UserError(`#${pull.number} is closed`);
  try {
    await ctx.gh.rest.issues.removeLabel({ ...where, name: RUN_LABEL });
  } catch (error) {
    if (!hasStatus(error, 404)) throw error;
  }
  await ctx.gh.rest.issues.addLabels({ ...where, labels: [RUN_LABEL] });
  return [
    `added the \`${RUN_LABEL}\` label: the modelci workflow trains head \`${pull.head.sha.slice(0, 7)}\`.`,
    "A later push needs `/modelci run` again.",
  ].join(" ");
}

import type { Context } from "probot";
import { classifyGitHubError } from "../../adapters/github/classify-github-error.ts";
import { type ParsedCommand, parseCommand } from "../../core/commands/parse-command.ts";
import { UserError } from "../../core/errors.ts";
import { endSentence } from "../../core/format/end-sentence.ts";
import type { AppState } from "../app-state.ts";
import type { CommandContext } from "../commands/command-context.ts";
import { HELP, runCommand } from "../commands/run-command.ts";
import { canWrite, reactWithEyes, replyOnIssue } from "../github/comment-on-issue.ts";
import { createGitReader } from "../github/git-reader.ts";

/** The reply to a command: its result, why it was refused, or what is wrong with it. */
async function answer(ctx: CommandContext, parsed: ParsedCommand): Promise<string> {
  const login = ctx.requester.login;
  if (!parsed.ok) return `@${login} ${parsed.error}.\n\n${HELP}`;
  const { command } = parsed;
  if (command.kind === "help") return HELP;
  if (!(await canWrite(ctx.gh, ctx.repo, login))) {
    return `Sorry @${login}, only people with write access to this repository can run \`/modelci ${command.kind}\`. A maintainer can run it for you.`;
  }
  try {
    return `@${login} ${await runCommand(ctx, command)}`;
  } catch (error) {
    if (error instanceof UserError)
      return `@${login} \`/modelci ${command.kind}\` did nothing: ${endSentence(error.message)}`;
    throw error;
  }
}

/**
 * `/modelci …` in a pull request or issue comment: 👀 on receipt, then one reply with the result.
 * Comments by bots (this App's own replies included) are ignored, and a redelivered webhook is
 * answered once.
 */
export function onIssueComment(state: AppState) {
  return async (context: Context<"issue_comment.created">): Promise<void> => {
    const { payload, log } = context;
    const { comment, issue, repository } = payload;
    if (comment.user?.type === "Bot" || context.isBot) {
      log.debug(`comment ${comment.id} is by a bot`);
      return;
    }
    const parsed = parseCommand(comment.body);
    if (parsed === undefined) {
      log.debug(`comment ${comment.id} holds no /modelci command`);
      return;
    }
    if (!state.deliveries.begin(context.id)) {
      log.debug(`delivery ${context.id} was handled already`);
      return;
    }
    const repo = { owner: repository.owner.login, repo: repository.name };
    const ctx: CommandContext = {
      gh: context.octokit,
      reader: createGitReader(context.octokit, repo, state.cache),
      repo,
      defaultBranch: repository.default_branch,
      requester: { login: comment.user?.login ?? payload.sender.login, issue: issue.number },
      onPullRequest: issue.pull_request !== undefined && issue.pull_request !== null,
      queue: state.queue,
      now: state.now,
    };
    let failure: unknown;
    let reply: string;
    try {
      await reactWithEyes(ctx.gh, repo, comment.id);
      reply = await answer(ctx, parsed);
    } catch (error) {
      failure = error;
      state.deliveries.fail(context.id);
      reply = `@${ctx.requester.login} the command failed: ${endSentence(classifyGitHubError(error).message)} Try again later.`;
    }
    try {
      await replyOnIssue(ctx.gh, repo, issue.number, reply);
    } catch (error) {
      if (failure === undefined) throw error;
      log.warn({ err: error }, "could not reply about the failed command");
    }
    if (failure !== undefined) throw failure;
  };
}

import { retrainModel } from "../retrain/retrain-model.ts";
import type { CommandContext } from "./command-context.ts";

export interface RetrainCommand {
  model: string;
  reason: string;
}

/**
 * `/modelci retrain MODEL [reason]`: the retraining pull request a failed drift check would open,
 * asked for by hand. An open one is pointed to instead; the cool-down does not hold a person back.
 */
export async function retrainCommand(ctx: CommandContext, command: RetrainCommand): Promise<string> {
  const outcome = await retrainModel(
    { gh: ctx.gh, repo: ctx.repo, defaultBranch: ctx.defaultBranch, queue: ctx.queue, now: ctx.now },
    { kind: "manual", model: command.model, requester: ctx.requester, reason: command.reason },
  );
  const { decision, written } = outcome;
  if (written !== undefined)
    return `Opened #${written.number} to retrain ${command.model}; the pull request loop trains it and compares it with the champion.`;
  const pull = decision.action === "skip" ? decision.pull : undefined;
  return pull === undefined
    ? `nothing to do: ${decision.why}.`
    : `#${pull.number} already retrains ${command.model}: ${pull.url}`;
}

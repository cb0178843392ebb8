import { type Command, USAGE } from "../../core/commands/parse-command.ts";
import type { CommandContext } from "./command-context.ts";
import { labelForRun } from "./label-for-run.ts";
import { promoteModel } from "./promote-model.ts";
import { retrainCommand } from "./retrain-command.ts";
import { rollbackTarget } from "./rollback-target.ts";

/** The reply to `/modelci help`, and after a malformed command. */
export const HELP = [
  "modelci commands (people with write access to this repository can run them):",
  "",
  ...USAGE.map((line) => `- ${line}`),
  "",
  "promote and rollback open a pull request; the `modelci/promotion` check judges it before it can merge. retrain opens one that retrains the model through the pull request loop.",
].join("\n");

/** Runs a parsed command; returns the reply. Users' mistakes throw UserError. */
export async function runCommand(ctx: CommandContext, command: Command): Promise<string> {
  switch (command.kind) {
    case "help":
      return HELP;
    case "promote":
      return promoteModel(ctx, command);
    case "rollback":
      return rollbackTarget(ctx, command.target);
    case "retrain":
      return retrainCommand(ctx, command);
    case "run":
      return labelForRun(ctx);
  }
}

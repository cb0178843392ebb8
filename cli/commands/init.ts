import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { UsageError } from "../../core/errors.ts";
import { scaffoldFiles } from "../../core/scaffold-files.ts";
import { NAME_PATTERN, NAME_RULE } from "../../schemas/common.ts";
import type { Command } from "../command.ts";
import { stringOption } from "../parse-command-line.ts";

export const initCommand: Command = {
  name: "init",
  help: `Usage: modelci init [DIR] [--model NAME] [--task classification|regression] [--owner WHO]

Writes modelci.yaml, one experiment, one model and staging and production deployment targets
into DIR (default: .). Files that already exist are kept as they are and reported.

Options:
  --model NAME   the model's name (default: my-model)
  --task TASK    classification (default) or regression
  --owner WHO    the model's owner: a GitHub user or @org/team (default: @my-org/ml)

Example:
  modelci init my-repo --model churn --owner @acme/ml`,
  options: {
    model: { type: "string", default: "my-model" },
    task: { type: "string", default: "classification" },
    owner: { type: "string", default: "@my-org/ml" },
  },
  maxPositionals: 1,
  async run(args, output) {
    const dir = args.positionals[0] ?? ".";
    const model = stringOption(args, "model") ?? "my-model";
    if (!NAME_PATTERN.test(model)) {
      throw new UsageError(`--model ${JSON.stringify(model)}: ${NAME_RULE}`);
    }
    const task = stringOption(args, "task", ["classification", "regression"] as const) ?? "classification";
    const owner = stringOption(args, "owner") ?? "@my-org/ml";
    let created = 0;
    for (const [path, content] of Object.entries(scaffoldFiles({ model, task, owner }))) {
      const target = join(dir, path);
      await mkdir(dirname(target), { recursive: true });
      try {
        await writeFile(target, content, { flag: "wx" });
        output.out(`created  ${target}\n`);
        created += 1;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        output.out(`kept     ${target} (exists)\n`);
      }
    }
    output.out(`${created} file${created === 1 ? "" : "s"} created. Next: modelci validate --root ${dir}\n`);
    return 0;
  },
};

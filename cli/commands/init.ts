import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { readTemplateFiles } from "../../adapters/files/read-template-files.ts";
import { UsageError } from "../../core/errors.ts";
import { scaffoldFiles, TEMPLATES } from "../../core/scaffold-files.ts";
import { NAME_PATTERN, NAME_RULE } from "../../schemas/common.ts";
import type { Command } from "../command.ts";
import { stringOption } from "../parse-command-line.ts";

export const initCommand: Command = {
  name: "init",
  help: `Usage: modelci init [DIR] [--template node|python] [--model NAME] [--task classification|regression] [--owner WHO]

Scaffolds a modelci repository in DIR (default: .) whose first \`modelci run\` succeeds: a
trainer (train.js, or train.py with requirements.txt), a small data set (data/train.csv and
data/eval.csv), modelci.yaml, one experiment, one model, staging and production targets,
.github/workflows/models.yml (calls modelci's reusable workflow on pull requests) and a
.gitignore that ignores the run folders (.modelci/) and keeps the artifact store (artifacts/).
Files that already exist are kept as they are and reported.

Options:
  --template T   node (default: plain Node.js, no dependencies) or python (scikit-learn, onnx)
  --model NAME   the model's name (default: my-model)
  --task TASK    classification (default) or regression
  --owner WHO    the model's owner: a GitHub user or @org/team (default: @my-org/ml)

Example:
  modelci init my-repo --template python --model churn --owner @acme/ml`,
  options: {
    template: { type: "string", default: "node" },
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
    const template = stringOption(args, "template", TEMPLATES) ?? "node";
    const owner = stringOption(args, "owner") ?? "@my-org/ml";
    const files = {
      ...(await readTemplateFiles(template)),
      ...scaffoldFiles({ model, task, owner, template }),
    };
    let created = 0;
    for (const [path, content] of Object.entries(files)) {
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
    const next = [
      ...(dir === "." ? [] : [`cd ${dir}`]),
      ...(template === "python"
        ? ["pip install -r requirements.txt   # or: sudo apt-get install python3-sklearn python3-onnx"]
        : []),
      'git init -q && git add . && git commit -qm "Add modelci"   # runs record the commit they train',
      "npx modelci run                   # trains, evaluates with onnxruntime, prints the report",
    ];
    output.out(
      `${created} file${created === 1 ? "" : "s"} created. Next:\n${next.map((line) => `  ${line}\n`).join("")}`,
    );
    return 0;
  },
};

import { describeError, UsageError, UserError } from "../core/errors.ts";
import packageJson from "../package.json" with { type: "json" };
import { checkRootFolder } from "./check-root-folder.ts";
import type { Output } from "./command.ts";
import { COMMANDS } from "./commands/index.ts";
import { parseCommandLine } from "./parse-command-line.ts";

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `modelci ${packageJson.version}: Git-native CI/CD for machine-learning models

Usage: modelci <command> [options]

Commands:
${lines.join("\n")}

Run \`modelci <command> --help\` for a command's options.
`;
}

const processOutput: Output = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Runs the CLI and returns the exit code: 0 success, 1 failure, 2 usage error. Never throws. */
export async function main(argv: string[], output: Output = processOutput): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === "--help" || name === "-h" || name === "help") {
      const topic = COMMANDS.find((c) => c.name === rest[0]);
      output.out(topic ? `${(await topic.load()).help}\n` : overview());
      return name === undefined ? 2 : 0;
    }
    if (name === "--version" || name === "-v") {
      output.out(`${packageJson.version}\n`);
      return 0;
    }
    const entry = COMMANDS.find((c) => c.name === name);
    if (!entry) throw new UsageError(`unknown command ${JSON.stringify(name)}; run \`modelci --help\``);
    const command = await entry.load();
    if (rest.includes("--help") || rest.includes("-h")) {
      output.out(`${command.help}\n`);
      return 0;
    }
    const args = parseCommandLine(command, rest);
    if (typeof args.values.root === "string") checkRootFolder(args.values.root);
    return await command.run(args, output);
  } catch (error) {
    output.err(`modelci${name && !name.startsWith("-") ? ` ${name}` : ""}: ${describeError(error)}\n`);
    if (error instanceof UsageError) return 2;
    if (!(error instanceof UserError) && process.env.MODELCI_DEBUG && error instanceof Error) {
      output.err(`${error.stack}\n`);
    }
    return 1;
  }
}

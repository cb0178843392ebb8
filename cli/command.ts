import type { ParseArgsConfig } from "node:util";

/** Where a command writes; tests capture it, the binary passes process streams. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** One `modelci` subcommand. `run` returns the exit code. */
export interface Command {
  name: string;
  /** Full `--help` text: usage line, description, options, examples. */
  help: string;
  options: OptionSpec;
  /** Most positionals the command takes. */
  maxPositionals: number;
  run(args: ParsedArgs, output: Output): Promise<number>;
}

import { parseArgs } from "node:util";
import { UsageError } from "../core/errors.ts";
import type { Command, ParsedArgs } from "./command.ts";

/** Parses a subcommand's arguments strictly; anything unexpected is a usage error (exit code 2). */
export function parseCommandLine(command: Command, argv: string[]): ParsedArgs {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(command, argv),
      options: command.options,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new UsageError(`${message?.replace(/\. To specify a positional.*$/, "")}`);
  }
  if (parsed.positionals.length > command.maxPositionals) {
    const extra = parsed.positionals.slice(command.maxPositionals).join(" ");
    throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
  }
  return { values: parsed.values as ParsedArgs["values"], positionals: parsed.positionals };
}

/**
 * `--resamples -5` as `--resamples=-5`: a value that looks like a negative number belongs to the
 * string option before it (node's parseArgs would call it ambiguous), so the option's own check
 * can say what is wrong with it.
 */
function joinNegativeValues(command: Command, argv: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    const name = arg.startsWith("--") ? arg.slice(2) : undefined;
    const option = name === undefined ? undefined : command.options[name];
    if (option?.type === "string" && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      i += 1;
    } else {
      joined.push(arg);
    }
    if (arg === "--") {
      joined.push(...argv.slice(i + 1));
      break;
    }
  }
  return joined;
}

/** One string option, checked against the allowed values when there are any. */
export function stringOption<T extends string>(
  args: ParsedArgs,
  name: string,
  allowed?: readonly T[],
): T | undefined {
  const value = args.values[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new UsageError(`--${name} needs a value`);
  if (allowed && !allowed.includes(value as T)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(", ")}; got ${JSON.stringify(value)}`);
  }
  return value as T;
}

/** `--base` (required), `--head` (default HEAD) and `--root` (default .) of a command that compares two commits. */
export function revisionOptions(args: ParsedArgs): { base: string; head: string; root: string } {
  const base = stringOption(args, "base");
  if (base === undefined) throw new UsageError("--base is required (for example --base origin/main)");
  return { base, head: stringOption(args, "head") ?? "HEAD", root: stringOption(args, "root") ?? "." };
}

/**
 * Slash commands in pull request and issue comments: `/modelci promote MODEL VERSION to TARGET`,
 * `/modelci rollback TARGET`, `/modelci retrain MODEL [reason]`, `/modelci run`, `/modelci help`. Pure: a comment body in, a command
 * or an error out.
 */
import { NAME_PATTERN, NAME_RULE, VERSION_DIGITS } from "../../schemas/common.ts";
import { didYouMean } from "../declarations/did-you-mean.ts";

export type Command =
  | { kind: "promote"; model: string; version: number; target: string }
  | { kind: "rollback"; target: string }
  | { kind: "retrain"; model: string; reason: string }
  | { kind: "run" }
  | { kind: "help" };

export type ParsedCommand = { ok: true; command: Command } | { ok: false; error: string };

export const COMMAND_NAMES = ["promote", "rollback", "retrain", "run", "help"] as const;

export const USAGE = [
  "`/modelci promote MODEL VERSION to TARGET`: open a pull request that makes TARGET serve that version",
  "`/modelci rollback TARGET`: open a pull request that restores what TARGET served before its last change",
  "`/modelci retrain MODEL [reason]`: open (or point to) the pull request that retrains MODEL, as a failed drift check would",
  "`/modelci run`: in a pull request, train its head commit (adds the `modelci:run` label, which lets a fork's pull request use self-hosted runners once)",
  "`/modelci help`: list the commands",
];

const PREFIX = "/modelci";
const VERSION = new RegExp(`^v?(${VERSION_DIGITS})$`);

/** The `/modelci` lines of a comment, outside fenced code blocks and quotes. */
function commandLines(body: string): string[] {
  const lines: string[] = [];
  let fenced = false;
  for (const raw of body.split(/\r?\n/)) {
    const line = raw.trim();
    if (/^(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced || line.startsWith(">")) continue;
    if (line === PREFIX || line.startsWith(`${PREFIX} `) || line.startsWith(`${PREFIX}\t`)) lines.push(line);
  }
  return lines;
}

const fail = (error: string): ParsedCommand => ({ ok: false, error });

function checkName(what: string, name: string): string | undefined {
  if (NAME_PATTERN.test(name)) return undefined;
  return `${what} ${JSON.stringify(name)} is not a valid name: ${NAME_RULE}`;
}

function parsePromote(args: readonly string[]): ParsedCommand {
  const example = "`/modelci promote weather 8 to staging`";
  const [model = "", version = "", to = "", target = "", ...extra] = args;
  if (args.length < 4) return fail(`promote needs MODEL VERSION to TARGET, for example ${example}`);
  if (extra.length > 0)
    return fail(`promote takes MODEL VERSION to TARGET; unexpected ${JSON.stringify(extra.join(" "))}`);
  const badModel = checkName("model", model);
  if (badModel) return fail(badModel);
  const number = VERSION.exec(version)?.[1];
  if (number === undefined)
    return fail(`VERSION must be a version number such as 8, got ${JSON.stringify(version)}`);
  if (to.toLowerCase() !== "to")
    return fail(`expected \`to\` before the target, got ${JSON.stringify(to)}: ${example}`);
  const badTarget = checkName("target", target);
  if (badTarget) return fail(badTarget);
  return { ok: true, command: { kind: "promote", model, version: Number(number), target } };
}

function parseRollback(args: readonly string[]): ParsedCommand {
  const [target = "", ...extra] = args;
  if (target === "") return fail("rollback needs a TARGET, for example `/modelci rollback production`");
  if (extra.length > 0)
    return fail(`rollback takes one TARGET; unexpected ${JSON.stringify(extra.join(" "))}`);
  const badTarget = checkName("target", target);
  return badTarget ? fail(badTarget) : { ok: true, command: { kind: "rollback", target } };
}

function parseRetrain(args: readonly string[]): ParsedCommand {
  const [model = "", ...reason] = args;
  if (model === "")
    return fail("retrain needs a MODEL, for example `/modelci retrain weather inputs shifted`");
  const badModel = checkName("model", model);
  return badModel
    ? fail(badModel)
    : { ok: true, command: { kind: "retrain", model, reason: reason.join(" ") } };
}

/**
 * The command in a comment: undefined when no line starts with `/modelci` (an ordinary comment),
 * else the command or what is wrong with it. One command per comment.
 */
export function parseCommand(body: string): ParsedCommand | undefined {
  const lines = commandLines(body);
  const [line] = lines;
  if (line === undefined) return undefined;
  if (lines.length > 1) return fail(`one /modelci command per comment; this one has ${lines.length}`);
  const [, name = "", ...args] = line.split(/\s+/);
  switch (name.toLowerCase()) {
    case "":
      return fail("a command is missing after /modelci; try `/modelci help`");
    case "promote":
      return parsePromote(args);
    case "rollback":
      return parseRollback(args);
    case "retrain":
      return parseRetrain(args);
    case "help":
    case "run":
      return args.length === 0
        ? { ok: true, command: { kind: name.toLowerCase() as "help" | "run" } }
        : fail(`${name.toLowerCase()} takes no arguments; unexpected ${JSON.stringify(args.join(" "))}`);
    default:
      return fail(
        `unknown command ${JSON.stringify(name)}${didYouMean(name, COMMAND_NAMES)}; the commands are ${COMMAND_NAMES.join(", ")}`,
      );
  }
}

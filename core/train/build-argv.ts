/**
 * Turns an experiment's command template into an argv array, without a shell.
 *
 * The template is split into words the way a POSIX shell splits them (whitespace, single quotes,
 * double quotes, backslash escapes), but nothing is expanded: `$VAR`, globs, pipes, redirections and
 * `;` are rejected, because the command is executed directly. `${{ params.NAME }}` references are
 * substituted after splitting, inside their word, so a value never adds or splits an argument. They are
 * substituted inside quotes too (as GitHub Actions does with `${{ }}`), so `'${{ params.name }}'` works.
 */
import { UserError } from "../errors.ts";

export type ParamValue = string | number | boolean;

type Segment = { kind: "text"; text: string } | { kind: "param"; name: string; index: number };

const PARAM_REFERENCE = /^\$\{\{\s*params\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}/;
const ANY_REFERENCE = /\$\{\{\s*params\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}/g;
const ENV_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);
/** Characters a shell would treat as syntax when unquoted, with what the shell would do. */
const SHELL_SYNTAX: Record<string, string> = {
  "|": "a pipe",
  "&": "a background job or `&&`",
  ";": "a command separator",
  "<": "a redirection",
  ">": "a redirection",
  "(": "a subshell",
  ")": "a subshell",
  "`": "command substitution",
  $: "variable expansion",
  "*": "a glob",
  "?": "a glob",
  "[": "a glob",
};
/** Characters that are shell syntax only at the start of a word. */
const WORD_START_SYNTAX: Record<string, string> = { "~": "home directory expansion", "#": "a comment" };

/** Builds the argv for one run: splits `command` into words and substitutes `${{ params.NAME }}`. */
export function buildArgv(command: string, params: Readonly<Record<string, ParamValue>>): string[] {
  const words = splitCommand(command);
  if (words.length === 0) throw new UserError("command: the command is empty");
  const first = words[0]?.[0];
  if (first?.kind === "text" && ENV_ASSIGNMENT.test(first.text)) {
    throw new UserError(
      `command: the first word "${first.text}" is an environment assignment, which only a shell understands; ` +
        "put it in a script (for example train.sh) and run that script",
    );
  }
  return words.map((segments) => segments.map((segment) => renderSegment(command, segment, params)).join(""));
}

/** The param names a command template references, each once, in order of first appearance. */
export function findParamReferences(command: string): string[] {
  const names = new Set<string>();
  try {
    for (const word of splitCommand(command)) {
      for (const segment of word) if (segment.kind === "param") names.add(segment.name);
    }
  } catch {
    // Shell syntax is reported by buildArgv; here a best-effort scan is enough.
    for (const match of command.matchAll(ANY_REFERENCE)) if (match[1] !== undefined) names.add(match[1]);
  }
  return [...names];
}

function renderSegment(
  command: string,
  segment: Segment,
  params: Readonly<Record<string, ParamValue>>,
): string {
  if (segment.kind === "text") return segment.text;
  const value = Object.hasOwn(params, segment.name) ? params[segment.name] : undefined;
  if (value === undefined) {
    const known = Object.keys(params);
    const list = known.length === 0 ? "no params are declared" : `known params: ${known.join(", ")}`;
    throw new UserError(
      `command: unknown param "${segment.name}" at ${describePosition(command, segment.index)}; ${list}`,
    );
  }
  return String(value);
}

/** Splits a command template into words; each word is a list of literal text and param references. */
function splitCommand(command: string): Segment[][] {
  const words: Segment[][] = [];
  let word: Segment[] | undefined;
  let text = "";
  const flushText = () => {
    if (text !== "") word?.push({ kind: "text", text });
    text = "";
  };
  const startWord = () => {
    word ??= [];
    return word;
  };
  let i = 0;
  while (i < command.length) {
    const char = command.charAt(i);
    const reference = readParamReference(command, i);
    if (reference !== undefined) {
      startWord();
      flushText();
      word?.push({ kind: "param", name: reference.name, index: i });
      i = reference.end;
    } else if (WHITESPACE.has(char)) {
      if (word !== undefined) {
        flushText();
        words.push(word);
        word = undefined;
      }
      i += 1;
    } else if (char === "'") {
      startWord();
      i = readSingleQuoted(command, i + 1, (piece) => {
        if (typeof piece === "string") text += piece;
        else {
          flushText();
          word?.push(piece);
        }
      });
    } else if (char === '"') {
      startWord();
      i = readDoubleQuoted(command, i + 1, (piece) => {
        if (typeof piece === "string") text += piece;
        else {
          flushText();
          word?.push(piece);
        }
      });
    } else if (char === "\\") {
      const next = command.charAt(i + 1);
      if (next === "") throw syntaxError(command, i, "a backslash at the end of the command");
      if (next !== "\n") {
        startWord();
        text += next;
      }
      i += 2;
    } else {
      const meaning = SHELL_SYNTAX[char] ?? (word === undefined ? WORD_START_SYNTAX[char] : undefined);
      if (meaning !== undefined) throw shellSyntaxError(command, i, char, meaning);
      startWord();
      text += char;
      i += 1;
    }
  }
  if (word !== undefined) {
    flushText();
    words.push(word);
  }
  return words;
}

/**
 * Reads a single-quoted string starting after its opening quote; returns the index after the closing one.
 * Everything is literal except `${{ params.NAME }}`, which is a template reference, not shell syntax.
 */
function readSingleQuoted(command: string, start: number, emit: (piece: string | Segment) => void): number {
  let i = start;
  while (i < command.length) {
    const reference = readParamReference(command, i);
    if (reference !== undefined) {
      emit({ kind: "param", name: reference.name, index: i });
      i = reference.end;
    } else if (command.charAt(i) === "'") {
      return i + 1;
    } else {
      emit(command.charAt(i));
      i += 1;
    }
  }
  throw syntaxError(command, start - 1, "an unterminated single quote");
}

/** Reads a double-quoted string starting after its opening quote; returns the index after the closing one. */
function readDoubleQuoted(command: string, start: number, emit: (piece: string | Segment) => void): number {
  let i = start;
  while (i < command.length) {
    const char = command.charAt(i);
    const reference = readParamReference(command, i);
    if (reference !== undefined) {
      emit({ kind: "param", name: reference.name, index: i });
      i = reference.end;
    } else if (char === '"') {
      return i + 1;
    } else if (char === "\\") {
      const next = command.charAt(i + 1);
      // Inside double quotes a backslash escapes only these; elsewhere it is literal (POSIX).
      if (next === "\n") i += 2;
      else if (next === "\\" || next === '"' || next === "$" || next === "`") {
        emit(next);
        i += 2;
      } else {
        emit(char);
        i += 1;
      }
    } else if (char === "$" || char === "`") {
      throw shellSyntaxError(command, i, char, SHELL_SYNTAX[char] ?? "");
    } else {
      emit(char);
      i += 1;
    }
  }
  throw syntaxError(command, start - 1, "an unterminated double quote");
}

function readParamReference(command: string, index: number): { name: string; end: number } | undefined {
  if (!command.startsWith("${{", index)) return undefined;
  const match = PARAM_REFERENCE.exec(command.slice(index));
  if (match?.[1] === undefined) {
    throw syntaxError(
      command,
      index,
      "an expression that is not `${{ params.NAME }}` (the only one supported)",
    );
  }
  return { name: match[1], end: index + match[0].length };
}

/** A command template that cannot be split into words; `index` is where, in the template. */
export class CommandSyntaxError extends UserError {
  constructor(
    message: string,
    readonly index: number,
    /** The message without its position, for callers that point at the position themselves. */
    readonly detail: string,
  ) {
    super(message);
    this.name = "CommandSyntaxError";
  }
}

function shellSyntaxError(command: string, index: number, char: string, meaning: string): UserError {
  const rest =
    `is shell syntax (${meaning}), but the command ` +
    "is executed directly, not by a shell; escape it with a backslash or put it in single quotes if you " +
    "mean it literally, or put the shell logic in a script (for example train.sh) and run that script";
  return new CommandSyntaxError(
    `command: "${char}" at ${describePosition(command, index)} ${rest}`,
    index,
    `"${char}" ${rest}`,
  );
}

function syntaxError(command: string, index: number, what: string): UserError {
  return new CommandSyntaxError(`command: ${what} at ${describePosition(command, index)}`, index, what);
}

/** "column 12", or "line 2, column 5" for a multi-line command; both 1-based. */
function describePosition(command: string, index: number): string {
  const before = command.slice(0, index);
  const lineStart = before.lastIndexOf("\n") + 1;
  const column = index - lineStart + 1;
  if (!command.includes("\n")) return `column ${column}`;
  const line = before.split("\n").length;
  return `line ${line}, column ${column}`;
}

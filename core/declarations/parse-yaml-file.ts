import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type YAMLError,
} from "yaml";
import { type Diagnostic, formatFieldPath } from "./diagnostic.ts";
import { findDeepNesting, MAX_NESTING } from "./find-deep-nesting.ts";
import { findHostileValues } from "./find-hostile-values.ts";
import { findInvalidUtf8, positionOfByte } from "./find-invalid-utf8.ts";

/** Declarations are small; anything larger is a mistake (or an attack), refused before parsing. */
export const MAX_DECLARATION_BYTES = 1024 * 1024;
/** Aliases allowed per document; a "billion laughs" document needs far more. */
const MAX_ALIASES = 100;

export interface SourceDocument {
  file: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

export type ParsedYaml =
  | { ok: true; source: SourceDocument; value: Record<string, unknown> }
  | { ok: false; diagnostics: Diagnostic[] };

function fail(file: string, line: number, col: number, message: string): ParsedYaml {
  return { ok: false, diagnostics: [{ severity: "error", file, line, col, field: "", message }] };
}

/** The first line of a yaml library message, without its own "at line X, column Y" suffix. */
function cleanYamlMessage(message: string): string {
  const first = message.split("\n")[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, "").replace(/:$/, "");
}

/** The offset of the last "[" or "{" before `end` that is never closed, skipping quotes and comments. */
function unclosedBracket(text: string, end: number): number | undefined {
  const open: number[] = [];
  let quote: string | undefined;
  for (let i = 0; i < end; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(text[i - 1] ?? ""))) i = text.indexOf("\n", i) >>> 0 || end;
    else if (c === "[" || c === "{") open.push(i);
    else if (c === "]" || c === "}") open.pop();
  }
  return open.at(-1);
}

/** A YAML error in the words of a declaration file, and where it really is. */
function describeYamlError(error: YAMLError, text: string): { offset: number; message: string } {
  const offset = error.pos[0];
  if (error.code === "DUPLICATE_KEY") {
    const key = /^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^:\n]+?)\s*:/.exec(text.slice(offset))?.[1] ?? "";
    return { offset, message: `duplicate key ${JSON.stringify(key.replace(/^["']|["']$/g, ""))}` };
  }
  if (error.code === "MULTIPLE_DOCS") {
    return {
      offset,
      message: "a declaration file holds one YAML document; remove the second `---` document",
    };
  }
  const message = cleanYamlMessage(error.message);
  if (/reserved character/.test(message)) {
    return { offset, message: `${lowerFirst(message)}; put the value in quotes, like "@org/team"` };
  }
  if (/^Flow (sequence|mapping) in block collection/.test(message)) {
    const bracket = unclosedBracket(text, offset);
    if (bracket !== undefined) {
      const [open, close] = text[bracket] === "[" ? ["[", "]"] : ["{", "}"];
      const what = open === "[" ? "a list" : "a mapping";
      return {
        offset: bracket,
        message: `this "${open}" is never closed; ${what} in brackets must end with "${close}"`,
      };
    }
  }
  if (/^Nested mappings are not allowed in compact mappings/.test(message)) {
    const colon = /:(?=\s|$)/m.exec(text.slice(offset));
    if (colon) {
      const at = offset + colon.index;
      const sameLine = !text.slice(offset, at).includes("\n");
      if (sameLine) {
        return {
          offset: at,
          message: 'unexpected ":" in a value; put the value in quotes if the ":" is part of it',
        };
      }
      const lineStart = text.lastIndexOf("\n", at) + 1;
      const keyStart = lineStart + (/^\s*/.exec(text.slice(lineStart))?.[0].length ?? 0);
      const key = text.slice(keyStart, at).trim();
      const aboveStart = text.lastIndexOf("\n", offset) + 1;
      const above = /^\s*([^:\n]+?)\s*:/.exec(text.slice(aboveStart))?.[1];
      const other = above === undefined ? "the key above it" : JSON.stringify(above);
      return {
        offset: keyStart,
        message: `bad indentation: ${JSON.stringify(key)} is indented more than ${other} above it`,
      };
    }
  }
  return { offset, message: lowerFirst(message) };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** The offset of the first alias (`*name`) in a document, for errors about aliases. */
function firstAliasOffset(doc: Document.Parsed): number {
  let offset = 0;
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

/** Parses one declaration file's bytes into a YAML document and its plain value, keeping positions. */
export function parseYamlFile(file: string, bytes: Uint8Array): ParsedYaml {
  if (bytes.length > MAX_DECLARATION_BYTES) {
    const mib = (bytes.length / 1024 / 1024).toFixed(1);
    return fail(file, 1, 1, `file is ${mib} MiB; declaration files are limited to 1 MiB`);
  }
  const invalid = findInvalidUtf8(bytes);
  if (invalid >= 0) {
    const { line, col } = positionOfByte(bytes, invalid);
    const hex = (bytes[invalid] as number).toString(16).padStart(2, "0");
    return fail(file, line, col, `invalid UTF-8 byte 0x${hex}; declaration files must be UTF-8`);
  }
  let text = new TextDecoder().decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === "" || /^(\s*#.*\n?)*\s*$/.test(text))
    return fail(file, 1, 1, "file is empty; expected a mapping");

  const lineCounter = new LineCounter();
  const at = (offset: number) => lineCounter.linePos(offset);
  const deep = findDeepNesting(text);
  if (deep !== undefined) {
    lineCounter.addNewLine(0);
    for (const line of text.matchAll(/\n/g)) lineCounter.addNewLine(line.index + 1);
    const { line, col } = at(deep);
    return fail(file, line, col, `nesting deeper than ${MAX_NESTING} levels; declarations need far fewer`);
  }
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const first = doc.errors[0];
  if (first) {
    const described = describeYamlError(first, text);
    const { line, col } = at(described.offset);
    return fail(file, line, col, described.message);
  }
  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    return fail(file, 1, 1, "file is empty; expected a mapping");
  }
  if (!isMap(contents)) {
    const { line, col } = at(contents?.range?.[0] ?? 0);
    const kind = isSeq(contents) ? "a list" : "a scalar";
    return fail(file, line, col, `expected a mapping of fields at the top level, got ${kind}`);
  }
  const hostile = findHostileValues(doc);
  if (hostile.length > 0) {
    const diagnostics = hostile.map(({ path, offset, message }): Diagnostic => {
      const { line, col } = at(offset);
      return { severity: "error", file, line, col, field: formatFieldPath(path), message };
    });
    return { ok: false, diagnostics };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const { line, col } = at(firstAliasOffset(doc));
    if (/^Unresolved alias/.test(message)) {
      const name = message.split(": ").pop() ?? "";
      return fail(file, line, col, `alias *${name} refers to no anchor &${name} defined before it`);
    }
    if (/alias count|resource exhaustion/i.test(message)) {
      return fail(
        file,
        line,
        col,
        `aliases expand too much (more than ${MAX_ALIASES} expansions); refusing a possible "billion laughs" document`,
      );
    }
    return fail(file, line, col, cleanYamlMessage(message));
  }
  return { ok: true, source: { file, doc, lineCounter }, value: value as Record<string, unknown> };
}

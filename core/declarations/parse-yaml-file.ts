import { type Document, isMap, isSeq, LineCounter, parseDocument, visit, type YAMLError } from "yaml";
import type { Diagnostic } from "./diagnostic.ts";
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

/** Says what a YAML error means in the words of a declaration file. */
function describeYamlError(error: YAMLError, text: string): string {
  if (error.code === "DUPLICATE_KEY") {
    const key =
      text.slice(error.pos[0], error.pos[1]).trim() || text.slice(error.pos[0]).split(/[:\n]/)[0]?.trim();
    return `duplicate key ${JSON.stringify(key)}`;
  }
  if (error.code === "MULTIPLE_DOCS")
    return "a declaration file holds one YAML document; remove the second `---` document";
  const message = cleanYamlMessage(error.message);
  if (/reserved character/.test(message)) return `${message}; put the value in quotes, like "@org/team"`;
  return message;
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
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const at = (offset: number) => lineCounter.linePos(offset);
  const first = doc.errors[0];
  if (first) {
    const { line, col } = at(first.pos[0]);
    return fail(file, line, col, describeYamlError(first, text));
  }
  const contents = doc.contents;
  if (!isMap(contents)) {
    const { line, col } = at(contents?.range?.[0] ?? 0);
    const kind = contents === null ? "nothing" : isSeq(contents) ? "a list" : "a scalar";
    return fail(file, line, col, `expected a mapping of fields at the top level, got ${kind}`);
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

import { isMissingValue } from "../../core/data/missing-values.ts";
import { abbreviate, parseNumberText, scanNumber, scanned } from "./parse-number.ts";

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const TRUE = Buffer.from("true");
const FALSE = Buffer.from("false");
const NULL = Buffer.from("null");

/** How a value is wanted: parsed as a number, kept as a category's text, or stepped over. */
export type Wanted = "number" | "category" | "skip";

/** Where `readJsonValue` leaves what it read, so that reading a number allocates nothing. */
export interface JsonValue {
  number: number;
  text: string;
  /** Set when the value is missing: null, or a string core/data/missing-values.ts calls missing. */
  missing: boolean;
}

/** Whether the string found by the last `stringEnd` had a backslash escape. */
export const lastString = { escaped: false };

/** Index of the first byte from `p` that is not a space, tab or CR. */
export function skipSpace(bytes: Uint8Array, p: number, end: number): number {
  while (p < end) {
    const c = bytes[p];
    if (c !== 32 && c !== 9 && c !== 13) break;
    p++;
  }
  return p;
}

/** Index of the quote that closes the string opened at `quote`, or -1. */
export function stringEnd(bytes: Uint8Array, quote: number, end: number): number {
  lastString.escaped = false;
  for (let p = quote + 1; p < end; p++) {
    const c = bytes[p];
    if (c === QUOTE) return p;
    if (c === BACKSLASH) {
      lastString.escaped = true;
      p++;
    }
  }
  return -1;
}

/** The text of the string just found by `stringEnd` (undefined for a bad escape). */
export function decodeString(bytes: Buffer, quote: number, close: number): string | undefined {
  if (!lastString.escaped) return bytes.toString("utf8", quote + 1, close);
  try {
    return JSON.parse(bytes.toString("utf8", quote, close + 1)) as string;
  } catch {
    return undefined;
  }
}

/**
 * Reads the JSON value at `p` as `wanted` into `out`. Returns the index after the value, or a
 * problem: one that starts with "invalid JSON" is about the line, any other about the cell.
 * Booleans read as 1/0 (and "true"/"false" as categories); null and missing-value strings
 * ("", "NA", "NaN", "null") set `out.missing`.
 */
export function readJsonValue(
  bytes: Buffer,
  p: number,
  end: number,
  wanted: Wanted,
  max: number,
  out: JsonValue,
): number | string {
  const c = bytes[p];
  out.missing = false;
  if (c === QUOTE) {
    const close = stringEnd(bytes, p, end);
    if (close < 0) return "invalid JSON: string is not closed";
    if (wanted === "skip") return close + 1;
    const text = decodeString(bytes, p, close);
    if (text === undefined) return "invalid JSON: bad escape in a string";
    if (isMissingValue(text)) {
      out.missing = true;
      return close + 1;
    }
    if (wanted === "number") return `expected a number, got string ${JSON.stringify(abbreviate(text))}`;
    if (text === "") return "empty value";
    out.text = text;
    return close + 1;
  }
  if (c === OPEN_BRACE || c === OPEN_BRACKET) {
    const after = nestedEnd(bytes, p, end);
    if (after < 0) return "invalid JSON: object or array is not closed";
    if (wanted === "skip") return after;
    const expected = wanted === "number" ? "a number" : "a string or number";
    return `expected ${expected}, got ${c === OPEN_BRACE ? "an object" : "an array"}`;
  }
  if (c === 116 || c === 102 || c === 110) {
    const literal = c === 116 ? TRUE : c === 102 ? FALSE : NULL;
    if (!bytes.subarray(p, p + literal.length).equals(literal)) return "invalid JSON: unexpected token";
    if (wanted !== "skip" && c === 110) {
      out.missing = true;
      return p + literal.length;
    }
    out.number = c === 116 ? 1 : 0;
    out.text = c === 116 ? "true" : "false";
    return p + literal.length;
  }
  let value = scanNumber(bytes, p, end);
  let q = scanned.end;
  if (Number.isNaN(value) || (q < end && !endsToken(bytes[q] as number))) {
    q = p;
    while (q < end && !endsToken(bytes[q] as number)) q++;
    if (q === p) return "invalid JSON: expected a value";
    if (wanted === "skip") return q;
    const parsed = parseNumberText(bytes.toString("utf8", p, q), max);
    if (typeof parsed === "string") return parsed;
    value = parsed;
  }
  out.number = value;
  if (wanted === "category") out.text = String(value);
  return q;
}

function endsToken(c: number): boolean {
  return c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || c === 32 || c === 9 || c === 13;
}

/** Index after the object or array that opens at `p`, or -1 when it is not closed on the line. */
function nestedEnd(bytes: Uint8Array, p: number, end: number): number {
  let depth = 0;
  while (p < end) {
    const c = bytes[p];
    if (c === QUOTE) {
      const close = stringEnd(bytes, p, end);
      if (close < 0) return -1;
      p = close + 1;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) return p + 1;
    p++;
  }
  return -1;
}

const COLON = 58;

/** Reads (or skips) the value of the key at `bytes[keyQuote, keyClose]`; returns the index after it. */
export type KeyVisitor = (
  bytes: Buffer,
  keyQuote: number,
  keyClose: number,
  value: number,
  end: number,
) => number;

/** Makes the error for a line that is not one JSON object. */
export type JsonLineFailure = (bytes: Buffer, lineStart: number, p: number, problem: string) => Error;

/**
 * Walks the one JSON object on the line `bytes[start, end)`, calling `visit` for each key.
 * Returns the index of its `{`, or -1 for a blank line.
 */
export function walkJsonObject(
  bytes: Buffer,
  start: number,
  end: number,
  visit: KeyVisitor,
  fail: JsonLineFailure,
): number {
  let p = skipSpace(bytes, start, end);
  if (p === end) return -1;
  const open = p;
  if (bytes[p] !== OPEN_BRACE) throw fail(bytes, start, p, "expected a JSON object");
  p = skipSpace(bytes, p + 1, end);
  if (bytes[p] === CLOSE_BRACE) p++;
  else
    for (;;) {
      if (bytes[p] !== QUOTE) throw fail(bytes, start, p, "expected a key in double quotes");
      const keyClose = stringEnd(bytes, p, end);
      if (keyClose < 0) throw fail(bytes, start, p, "string is not closed");
      const colon = skipSpace(bytes, keyClose + 1, end);
      if (bytes[colon] !== COLON) throw fail(bytes, start, colon, 'expected ":" after a key');
      p = skipSpace(bytes, visit(bytes, p, keyClose, skipSpace(bytes, colon + 1, end), end), end);
      if (bytes[p] === COMMA) {
        p = skipSpace(bytes, p + 1, end);
      } else if (bytes[p] === CLOSE_BRACE) {
        p++;
        break;
      } else throw fail(bytes, start, p, 'expected "," or "}" after a value');
    }
  p = skipSpace(bytes, p, end);
  if (p < end) throw fail(bytes, start, p, "unexpected text after the object");
  return open;
}

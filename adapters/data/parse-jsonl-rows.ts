import { bomLength } from "./parse-csv-header.ts";
import { resolveColumns } from "./resolve-columns.ts";
import { decodeString, type JsonValue, lastString, readJsonValue, walkJsonObject } from "./scan-json.ts";
import type { TextTableParser } from "./stream-text-table.ts";
import { BatchBuilder, FLOAT32_MAX, type StreamTableOptions } from "./table-batch.ts";
import { cellError, columnAt, syntaxError } from "./table-errors.ts";

const LF = 10;

/** The end of the line that starts at `p`: its LF, or `end` at the end of the file; -1 when more bytes may come. */
function lineEnd(bytes: Buffer, p: number, end: number, eof: boolean): number {
  const lf = bytes.indexOf(LF, p);
  if (lf >= 0 && lf < end) return lf;
  return eof ? end : -1;
}

/** Where the rows of a JSON Lines file start, and the keys of its first object (its columns), in file order. */
export function parseJsonlHeader(
  path: string,
  bytes: Buffer,
  end: number,
  eof: boolean,
): { names: string[]; start: number; line: number } | undefined {
  const names: string[] = [];
  let start = bomLength(bytes, end);
  let line = 1;
  const fail = (lineBytes: Buffer, lineStart: number, p: number, problem: string) =>
    syntaxError(path, line, columnAt(lineBytes, lineStart, p), `invalid JSON: ${problem}`);
  const scratch: JsonValue = { number: 0, text: "", missing: false };
  const visit = (lineBytes: Buffer, quote: number, close: number, value: number, stop: number) => {
    const name = decodeString(lineBytes, quote, close);
    if (name === undefined) throw fail(lineBytes, start, quote, "bad escape in a string");
    names.push(name);
    const after = readJsonValue(lineBytes, value, stop, "skip", 0, scratch);
    if (typeof after === "string") throw fail(lineBytes, start, value, after.replace("invalid JSON: ", ""));
    return after;
  };
  for (;;) {
    if (start >= end && eof) throw syntaxError(path, line, 1, "no rows, expected one JSON object per line");
    const stop = lineEnd(bytes, start, end, eof);
    if (stop < 0) return undefined;
    if (walkJsonObject(bytes, start, stop, visit, fail) >= 0) return { names, start, line };
    start = stop + 1;
    line++;
  }
}

/**
 * JSON Lines rows straight into a batch. Each line is scanned byte by byte: keys are matched
 * against the wanted columns without decoding them, numbers are parsed into the Float32Array, and
 * values of other keys are skipped. Blank lines are skipped; keys beyond the header's are ignored.
 */
export class JsonlTableParser implements TextTableParser {
  batch: BatchBuilder | null = null;
  private names: string[] = [];
  /** UTF-8 bytes of each wanted key, and its role: a feature slot, or -1 for the label. */
  private keys: Buffer[] = [];
  private roles = new Int32Array(0);
  private byName = new Map<string, number>();
  /** The serial of the last row that had each wanted key. */
  private seen = new Int32Array(0);
  private serial = 0;
  private guess = 0;
  private line = 1;
  private lineStart = 0;
  private label = "";
  private readonly value: JsonValue = { number: 0, text: "", missing: false };
  /** Where the current row's first missing cell is, if it has one. */
  private missingAt: string | undefined;
  private readonly visit = this.readValue.bind(this);
  private readonly fail = this.syntax.bind(this);

  constructor(
    private readonly path: string,
    private readonly options: StreamTableOptions,
  ) {}

  parseHeader(bytes: Buffer, end: number, eof: boolean): number {
    const header = parseJsonlHeader(this.path, bytes, end, eof);
    if (header === undefined) return -1;
    const { options } = this;
    const resolved = resolveColumns(this.path, header.names, options.label, options.features);
    this.names = [...resolved.featureNames, options.label];
    this.keys = this.names.map((name) => Buffer.from(name, "utf8"));
    this.roles = Int32Array.from(this.names, (_, i) => (i < resolved.featureNames.length ? i : -1));
    this.byName = new Map(this.names.map((name, i) => [name, i]));
    this.seen = new Int32Array(this.names.length);
    this.line = header.line;
    this.batch = new BatchBuilder(resolved.featureNames.length, options.labelKind, options.batchRows);
    return header.start;
  }

  shift(): void {}

  parseRows(bytes: Buffer, p: number, end: number, eof: boolean): number {
    const batch = this.batch as BatchBuilder;
    while (p < end && !batch.full) {
      const stop = lineEnd(bytes, p, end, eof);
      if (stop < 0) return p;
      this.lineStart = p;
      const serial = ++this.serial;
      this.missingAt = undefined;
      const open = walkJsonObject(bytes, p, stop, this.visit, this.fail);
      if (open >= 0) {
        const { seen } = this;
        for (let k = 0; k < seen.length; k++) {
          if (seen[k] !== serial) this.missingAt ??= this.where(bytes, open, this.names[k] as string);
        }
        if (this.missingAt !== undefined) batch.skipMissing(this.missingAt);
        else {
          if (batch.labelKind === "category") batch.categoryLabels[batch.rows] = this.label;
          batch.rows++;
        }
      }
      this.line++;
      p = stop + 1;
    }
    return Math.min(p, end);
  }

  /** The KeyVisitor for rows: wanted values go into the batch, others are skipped. */
  private readValue(bytes: Buffer, quote: number, close: number, p: number, end: number): number {
    const k = this.matchKey(bytes, quote, close);
    const batch = this.batch as BatchBuilder;
    const role = k < 0 ? -2 : (this.roles[k] as number);
    const wanted = k < 0 ? "skip" : role >= 0 || batch.labelKind === "number" ? "number" : "category";
    const { value } = this;
    const after = readJsonValue(bytes, p, end, wanted, role >= 0 ? FLOAT32_MAX : Number.MAX_VALUE, value);
    if (typeof after === "string") {
      if (k < 0 || after.startsWith("invalid JSON")) {
        throw syntaxError(this.path, this.line, columnAt(bytes, this.lineStart, p), after);
      }
      throw this.cell(bytes, p, this.names[k] as string, after);
    }
    if (k >= 0) {
      this.seen[k] = this.serial;
      if (value.missing) this.missingAt ??= this.where(bytes, p, this.names[k] as string);
      else if (role >= 0) batch.features[batch.rows * batch.featureCount + role] = value.number;
      else if (wanted === "number") batch.numberLabels[batch.rows] = value.number;
      else this.label = value.text;
    }
    return after;
  }

  /** Index of the wanted column named by the key just found at `bytes[quote, close]`, or -1. */
  private matchKey(bytes: Buffer, quote: number, close: number): number {
    if (lastString.escaped) return this.byName.get(decodeString(bytes, quote, close) ?? "") ?? -1;
    const from = quote + 1;
    const length = close - from;
    const { keys } = this;
    let k = this.guess;
    for (let tried = 0; tried < keys.length; tried++) {
      const key = keys[k] as Buffer;
      if (key.length === length && sameBytes(bytes, from, key)) {
        this.guess = k + 1 === keys.length ? 0 : k + 1;
        return k;
      }
      k = k + 1 === keys.length ? 0 : k + 1;
    }
    return -1;
  }

  private syntax(bytes: Buffer, lineStart: number, p: number, problem: string): Error {
    return syntaxError(this.path, this.line, columnAt(bytes, lineStart, p), `invalid JSON: ${problem}`);
  }

  /** `path:line:col: column "x"` of the cell at `p`. */
  private where(bytes: Buffer, p: number, column: string): string {
    return `${this.path}:${this.line}:${columnAt(bytes, this.lineStart, p)}: column ${JSON.stringify(column)}`;
  }

  private cell(bytes: Buffer, p: number, column: string, problem: string): Error {
    return cellError(this.path, this.line, columnAt(bytes, this.lineStart, p), column, problem);
  }
}

function sameBytes(bytes: Buffer, from: number, key: Buffer): boolean {
  for (let i = 0; i < key.length; i++) if (bytes[from + i] !== key[i]) return false;
  return true;
}

import { isMissingValue } from "../../core/data/missing-values.ts";
import { LabelInterner } from "./intern-labels.ts";
import { COMMA, CR, LF, parseCsvHeader, QUOTE } from "./parse-csv-header.ts";
import { parseNumberText, scanNumber, scanned } from "./parse-number.ts";
import { resolveColumns } from "./resolve-columns.ts";
import type { TextTableParser } from "./stream-text-table.ts";
import { BatchBuilder, FLOAT32_MAX, type StreamTableOptions } from "./table-batch.ts";
import { cellError, columnAt, syntaxError } from "./table-errors.ts";

const IGNORE = -1;
const CATEGORY_LABEL = -2;
const NUMBER_LABEL = -3;

/**
 * CSV rows straight into a batch: numeric cells are parsed from the bytes into the Float32Array,
 * so a row allocates nothing but its label (for a category label). Cells of columns that are not
 * used are skipped, not decoded. Fully blank lines are skipped.
 */
export class CsvTableParser implements TextTableParser {
  batch: BatchBuilder | null = null;
  private columns: string[] = [];
  /** Per file column: the feature slot, IGNORE, CATEGORY_LABEL or NUMBER_LABEL. */
  private roles = new Int32Array(0);
  /** Physical line (1-based) at the parse position, and the index where that line starts. */
  private line = 1;
  private lineStart = 0;
  private readonly labels = new LabelInterner();
  /** Where the current row's first missing cell is, if it has one. */
  private missingAt: string | undefined;

  constructor(
    private readonly path: string,
    private readonly options: StreamTableOptions,
  ) {}

  parseHeader(bytes: Buffer, end: number, eof: boolean): number {
    const header = parseCsvHeader(this.path, bytes, end, eof);
    if (header === undefined) return -1;
    const { options } = this;
    const resolved = resolveColumns(this.path, header.names, options.label, options.features);
    this.columns = header.names;
    this.roles = new Int32Array(header.names.length).fill(IGNORE);
    resolved.featureIndexes.forEach((column, slot) => {
      this.roles[column] = slot;
    });
    this.roles[resolved.labelIndex] = options.labelKind === "number" ? NUMBER_LABEL : CATEGORY_LABEL;
    this.line = header.nextLine;
    this.lineStart = header.next;
    this.batch = new BatchBuilder(resolved.featureNames.length, options.labelKind, options.batchRows);
    return header.next;
  }

  shift(offset: number): void {
    this.lineStart -= offset;
  }

  parseRows(bytes: Buffer, p: number, end: number, eof: boolean): number {
    const batch = this.batch as BatchBuilder;
    while (p < end && !batch.full) {
      const { line, lineStart } = this;
      const next = this.parseRow(bytes, p, end, eof, batch);
      if (next < 0) {
        this.line = line;
        this.lineStart = lineStart;
        return p;
      }
      p = next;
    }
    return p;
  }

  /** One record from `p`; returns the index after it, or -1 when it runs past `end` before `eof`. */
  private parseRow(bytes: Buffer, p: number, end: number, eof: boolean, batch: BatchBuilder): number {
    const first = bytes[p];
    if (first === LF || first === CR) return this.endLine(bytes, p, end, eof);
    this.missingAt = undefined;
    const { roles } = this;
    const fields = roles.length;
    const features = batch.features;
    const base = batch.rows * batch.featureCount;
    let label = "";
    for (let f = 0; f < fields; f++) {
      const role = roles[f] as number;
      if (bytes[p] === QUOTE && p < end) {
        const cellLine = this.line;
        const cellLineStart = this.lineStart;
        const cell = p;
        let escaped = false;
        let q = p + 1;
        for (;;) {
          if (q >= end) {
            if (!eof) return -1;
            throw syntaxError(
              this.path,
              cellLine,
              columnAt(bytes, cellLineStart, cell),
              "quoted field is not closed",
            );
          }
          const c = bytes[q];
          if (c === QUOTE) {
            if (q + 1 >= end && !eof) return -1;
            if (bytes[q + 1] !== QUOTE) break;
            escaped = true;
            q += 2;
            continue;
          }
          if (c === LF) {
            this.line++;
            this.lineStart = q + 1;
          }
          q++;
        }
        if (role !== IGNORE) {
          const raw = bytes.toString("utf8", p + 1, q);
          const text = escaped ? raw.replaceAll('""', '"') : raw;
          if (role === CATEGORY_LABEL)
            label = this.readCategory(text, cellLine, cellLineStart, bytes, cell, f);
          else {
            const value = this.readNumber(text, role, cellLine, cellLineStart, bytes, cell, f);
            if (role >= 0) features[base + role] = value;
            else batch.numberLabels[batch.rows] = value;
          }
        }
        p = q + 1;
      } else if (role >= 0 || role === NUMBER_LABEL) {
        let value = scanNumber(bytes, p, end);
        let q = scanned.end;
        if (q < end) {
          const c = bytes[q];
          if (c !== COMMA && c !== LF && c !== CR) value = Number.NaN;
        } else if (!eof) return -1;
        if (Number.isNaN(value)) {
          q = fieldEnd(bytes, p, end);
          if (q >= end && !eof) return -1;
          const text = bytes.toString("utf8", p, q);
          value = this.readNumber(text, role, this.line, this.lineStart, bytes, p, f);
        }
        if (role >= 0) features[base + role] = value;
        else batch.numberLabels[batch.rows] = value;
        p = q;
      } else {
        const q = fieldEnd(bytes, p, end);
        if (q >= end && !eof) return -1;
        if (role === CATEGORY_LABEL) {
          label = this.readCategory(this.labels.text(bytes, p, q), this.line, this.lineStart, bytes, p, f);
        }
        p = q;
      }
      if (p >= end) {
        if (!eof) return -1;
        if (f < fields - 1) throw this.fieldCountError(bytes, p, `expected ${fields} fields, found ${f + 1}`);
        break;
      }
      const c = bytes[p];
      if (c === COMMA) {
        if (f === fields - 1) throw this.fieldCountError(bytes, p, `expected ${fields} fields, found more`);
        p++;
      } else if (c === LF || c === CR) {
        if (f < fields - 1) throw this.fieldCountError(bytes, p, `expected ${fields} fields, found ${f + 1}`);
        p = this.endLine(bytes, p, end, eof);
        if (p < 0) return -1;
      } else {
        throw syntaxError(
          this.path,
          this.line,
          columnAt(bytes, this.lineStart, p),
          "unexpected character after a closing quote",
        );
      }
    }
    if (this.missingAt !== undefined) {
      batch.skipMissing(this.missingAt);
      this.missingAt = undefined;
      return p;
    }
    if (batch.labelKind === "category") batch.categoryLabels[batch.rows] = label;
    batch.rows++;
    return p;
  }

  /** Steps over the line break at `p` (LF, CRLF or CR); -1 when a CR ends the window before `eof`. */
  private endLine(bytes: Buffer, p: number, end: number, eof: boolean): number {
    if (bytes[p] === CR) {
      if (p + 1 >= end && !eof) return -1;
      p += bytes[p + 1] === LF ? 2 : 1;
    } else {
      p++;
    }
    this.line++;
    this.lineStart = p;
    return p;
  }

  /** A number cell read the slow way, or the error that says what is wrong with it. */
  private readNumber(
    text: string,
    role: number,
    line: number,
    lineStart: number,
    bytes: Buffer,
    cell: number,
    field: number,
  ): number {
    if (isMissingValue(text)) return this.missing(line, lineStart, bytes, cell, field);
    const parsed = parseNumberText(text, role >= 0 ? FLOAT32_MAX : Number.MAX_VALUE);
    if (typeof parsed === "number") return parsed;
    throw cellError(this.path, line, columnAt(bytes, lineStart, cell), this.columns[field] as string, parsed);
  }

  private readCategory(
    text: string,
    line: number,
    lineStart: number,
    bytes: Buffer,
    cell: number,
    field: number,
  ) {
    if (!isMissingValue(text)) return text;
    this.missing(line, lineStart, bytes, cell, field);
    return "";
  }

  /** Notes the row's first missing cell; the row is left out when it ends. */
  private missing(line: number, lineStart: number, bytes: Buffer, cell: number, field: number): number {
    this.missingAt ??= `${this.path}:${line}:${columnAt(bytes, lineStart, cell)}: column ${JSON.stringify(this.columns[field])}`;
    return Number.NaN;
  }

  private fieldCountError(bytes: Buffer, p: number, problem: string): Error {
    return syntaxError(this.path, this.line, columnAt(bytes, this.lineStart, p), problem);
  }
}

/** Index of the comma or line break that ends the unquoted field starting at `p`, or `end`. */
function fieldEnd(bytes: Buffer, p: number, end: number): number {
  while (p < end) {
    const c = bytes[p];
    if (c === COMMA || c === LF || c === CR) return p;
    p++;
  }
  return end;
}

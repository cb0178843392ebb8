/**
 * Named CSV columns, streamed straight from bytes into drift collectors: a cell that is a plain
 * decimal number is parsed from its bytes (exactly what `Number(text)` gives, see parse-number.ts),
 * with no string in between; any other cell is decoded and read as `csvCell` reads it (missing
 * values, text, numbers the fast path leaves alone). Cells of columns that are not wanted are
 * skipped, not decoded. Same records and errors as split-csv-records.ts: RFC 4180 quoting, LF,
 * CRLF or CR line ends, blank lines skipped, every record as wide as the header.
 */
import { type FileHandle, open } from "node:fs/promises";
import type { ColumnCollector } from "../../core/drift/collect-column.ts";
import { UserError } from "../../core/errors.ts";
import { COMMA, CR, LF, parseCsvHeader, QUOTE } from "./parse-csv-header.ts";
import { scanNumber, scanned } from "./parse-number.ts";
import { csvCell } from "./read-table-cells.ts";
import { fileError, syntaxError } from "./table-errors.ts";

const SPACE = 32;
const TAB = 9;
const NUMBER = 0;
const OTHER = 1;

const WINDOW_BYTES = 1 << 20;

/**
 * Reads the file at `path` through one reused buffer: `take(window, eof)` gets the bytes not yet
 * consumed and returns how many it consumed; the rest moves to the front and more bytes follow.
 * The buffer doubles only when one record outgrows it. No chunk is left behind for the GC.
 */
async function readWindows(path: string, take: (window: Buffer, eof: boolean) => number): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, "r");
    let buffer = Buffer.allocUnsafe(WINDOW_BYTES);
    let filled = 0;
    let position = 0;
    for (;;) {
      if (filled === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, filled);
        buffer = bigger;
      }
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, position);
      position += bytesRead;
      filled += bytesRead;
      const eof = bytesRead === 0;
      const consumed = take(buffer.subarray(0, filled), eof);
      if (eof) return;
      buffer.copyWithin(0, consumed, filled);
      filled -= consumed;
    }
  } catch (error) {
    throw fileError(path, error);
  } finally {
    await handle?.close();
  }
}

/** An upper bound on the data rows of a CSV file: its line breaks (LF, or CR for old Mac files), plus one. */
export async function countCsvLines(path: string): Promise<number> {
  let lf = 0;
  let cr = 0;
  await readWindows(path, (window) => {
    for (let i = window.indexOf(LF); i >= 0; i = window.indexOf(LF, i + 1)) lf++;
    if (lf === 0) for (let i = window.indexOf(CR); i >= 0; i = window.indexOf(CR, i + 1)) cr++;
    return window.length;
  });
  return Math.max(lf, cr) + 1;
}

class CsvColumnsParser {
  /** Per file column: whether any wanted column reads it. */
  private wanted = new Uint8Array(0);
  /** Per wanted column: its index in the file, or -1 when the file lacks it. */
  private fieldOf: Int32Array;
  private width = 0;
  /** The current row's cells, per file column: kind, and the number or the cell's value. */
  private kinds = new Uint8Array(0);
  private numbers = new Float64Array(0);
  private others: (string | number | null)[] = [];
  line = 1;
  rows = 0;
  started = false;

  constructor(
    private readonly path: string,
    private readonly names: readonly string[],
    private readonly collectors: readonly ColumnCollector[],
  ) {
    this.fieldOf = new Int32Array(names.length).fill(-1);
  }

  /** Reads the header from `bytes`; the index where the rows start, or -1 when it needs more bytes. */
  parseHeader(bytes: Buffer, eof: boolean): number {
    const header = parseCsvHeader(this.path, bytes, bytes.length, eof);
    if (header === undefined) return -1;
    this.width = header.names.length;
    this.wanted = new Uint8Array(this.width);
    this.names.forEach((name, c) => {
      const field = header.names.indexOf(name);
      this.fieldOf[c] = field;
      if (field >= 0) this.wanted[field] = 1;
    });
    this.kinds = new Uint8Array(this.width);
    this.numbers = new Float64Array(this.width);
    this.others = new Array(this.width).fill(null);
    this.line = header.nextLine;
    this.started = true;
    return header.next;
  }

  /** Reads whole rows from `bytes[p, end)`; returns the index after the last one it read. */
  parseRows(bytes: Buffer, p: number, eof: boolean): number {
    const end = bytes.length;
    while (p < end) {
      const c = bytes[p];
      if (c === LF || c === CR) {
        if (c === CR && p + 1 >= end && !eof) return p;
        p += c === CR && bytes[p + 1] === LF ? 2 : 1;
        this.line++;
        continue;
      }
      const next = this.parseRow(bytes, p, end, eof);
      if (next < 0) return p;
      p = next;
    }
    return p;
  }

  /** One record from `p`; the index after its line break, or -1 when it runs past `end` before `eof`. */
  private parseRow(bytes: Buffer, p: number, end: number, eof: boolean): number {
    const { wanted, width, kinds, others } = this;
    const recordLine = this.line;
    let line = this.line;
    let field = 0;
    for (;;) {
      let q = p;
      if (bytes[q] === QUOTE && q < end) {
        let text = "";
        let from = ++q;
        for (;;) {
          if (q >= end) {
            if (!eof) return -1;
            throw syntaxError(this.path, recordLine, 1, "quoted field is not closed");
          }
          const c = bytes[q];
          if (c === QUOTE) {
            if (q + 1 >= end && !eof) return -1;
            if (bytes[q + 1] !== QUOTE) break;
            text += bytes.toString("utf8", from, q + 1);
            q += 2;
            from = q;
            continue;
          }
          if (c === LF) line++;
          q++;
        }
        if (field < width && wanted[field] === 1) {
          kinds[field] = OTHER;
          others[field] = csvCell(text + bytes.toString("utf8", from, q));
        }
        q++;
        if (q < end) {
          const c = bytes[q];
          if (c !== COMMA && c !== LF && c !== CR) {
            throw syntaxError(this.path, line, 1, "unexpected character after a closing quote");
          }
        }
      } else {
        while (q < end) {
          const c = bytes[q];
          if (c === COMMA || c === LF || c === CR) break;
          q++;
        }
        if (q >= end && !eof) return -1;
        if (field < width && wanted[field] === 1) this.readCell(bytes, p, q, field);
      }
      field++;
      if (q >= end) {
        this.finishRow(field, recordLine);
        this.line = line;
        return q;
      }
      const c = bytes[q];
      if (c === COMMA) {
        p = q + 1;
        continue;
      }
      if (c === CR && q + 1 >= end && !eof) return -1;
      this.finishRow(field, recordLine);
      this.line = line + 1;
      return q + (c === CR && bytes[q + 1] === LF ? 2 : 1);
    }
  }

  /** An unquoted cell `bytes[start, stop)`: a number from its bytes when it is a plain one. */
  private readCell(bytes: Buffer, start: number, stop: number, field: number): void {
    let a = start;
    let b = stop;
    while (a < b && (bytes[a] === SPACE || bytes[a] === TAB)) a++;
    while (b > a && (bytes[b - 1] === SPACE || bytes[b - 1] === TAB)) b--;
    if (a < b) {
      const value = scanNumber(bytes, a, b);
      if (scanned.end === b && !Number.isNaN(value)) {
        this.kinds[field] = NUMBER;
        this.numbers[field] = value;
        return;
      }
    }
    this.kinds[field] = OTHER;
    this.others[field] = csvCell(bytes.toString("utf8", start, stop));
  }

  private finishRow(fields: number, line: number): void {
    if (fields !== this.width) {
      throw new UserError(`${this.path}:${line}:1: expected ${this.width} fields, found ${fields}`);
    }
    const { fieldOf, collectors, kinds, numbers, others } = this;
    for (let c = 0; c < fieldOf.length; c++) {
      const field = fieldOf[c] as number;
      const collector = collectors[c] as ColumnCollector;
      if (field < 0) collector.add(null);
      else if (kinds[field] === NUMBER) collector.add(numbers[field] as number);
      else collector.add(others[field]);
    }
    this.rows++;
  }
}

/**
 * Streams the CSV file at `path` into one collector per name (in `names` order; a column the file
 * lacks is all missing). Returns the number of data rows. Memory holds one window of the file.
 */
export async function readCsvColumns(
  path: string,
  names: readonly string[],
  collectors: readonly ColumnCollector[],
): Promise<number> {
  const parser = new CsvColumnsParser(path, names, collectors);
  await readWindows(path, (bytes, eof) => {
    let p = 0;
    if (!parser.started) {
      p = parser.parseHeader(bytes, eof);
      if (p < 0) return 0;
    }
    return parser.parseRows(bytes, p, eof);
  });
  return parser.rows;
}

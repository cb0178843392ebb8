import { syntaxError } from "./table-errors.ts";

const State = { FieldStart: 0, Unquoted: 1, Quoted: 2, QuoteInQuoted: 3 } as const;
type State = (typeof State)[keyof typeof State];

/** One record's fields and the physical line (1-based) it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * Splits CSV text into records of raw field strings (RFC 4180: quoted fields, `""` escapes, fields
 * spanning lines, LF, CRLF or CR line ends), fed in chunks that may cut anywhere. Blank lines are
 * skipped. For readers that need every column's text, such as profiling; evaluation reads numbers
 * straight from bytes in parse-csv-rows.ts instead.
 */
export class CsvRecordSplitter {
  private state: State = State.FieldStart;
  private field = "";
  private record: string[] = [];
  private skipLf = false;
  private started = false;
  /** The physical line (1-based) the parser is on, and the one the current record started on. */
  line = 1;
  recordLine = 1;

  constructor(private readonly path: string) {}

  /** Feeds a chunk; appends the records it completes to `out`. */
  push(text: string, out: CsvRecord[]): void {
    const n = text.length;
    let i = 0;
    if (!this.started && n > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    while (i < n) {
      const c = text.charCodeAt(i);
      if (this.skipLf) {
        this.skipLf = false;
        if (c === 10) {
          i++;
          continue;
        }
      }
      switch (this.state) {
        case State.FieldStart:
        case State.Unquoted: {
          if (this.state === State.FieldStart && c === 34) {
            this.state = State.Quoted;
            i++;
            break;
          }
          let j = i;
          while (j < n) {
            const d = text.charCodeAt(j);
            if (d === 44 || d === 10 || d === 13) break;
            j++;
          }
          this.field += text.slice(i, j);
          this.state = State.Unquoted;
          i = j;
          if (i < n) i = this.delimiter(text.charCodeAt(i), i, out);
          break;
        }
        case State.Quoted: {
          const close = text.indexOf('"', i);
          const stop = close < 0 ? n : close;
          const part = text.slice(i, stop);
          for (let k = part.indexOf("\n"); k >= 0; k = part.indexOf("\n", k + 1)) this.line++;
          this.field += part;
          i = stop;
          if (close >= 0) {
            this.state = State.QuoteInQuoted;
            i++;
          }
          break;
        }
        case State.QuoteInQuoted: {
          if (c === 34) {
            this.field += '"';
            this.state = State.Quoted;
            i++;
          } else if (c === 44 || c === 10 || c === 13) {
            i = this.delimiter(c, i, out);
          } else {
            throw syntaxError(this.path, this.line, 1, "unexpected character after a closing quote");
          }
          break;
        }
      }
    }
  }

  /** Ends the input; appends the last record when the file does not end with a line break. */
  end(out: CsvRecord[]): void {
    if (this.state === State.Quoted) {
      throw syntaxError(this.path, this.recordLine, 1, "quoted field is not closed");
    }
    if (this.state !== State.FieldStart || this.record.length > 0) this.endRecord(out);
  }

  /** Handles a comma or line break at `i`; returns the index after it. */
  private delimiter(c: number, i: number, out: CsvRecord[]): number {
    if (c === 44) {
      this.record.push(this.field);
      this.field = "";
      this.state = State.FieldStart;
      return i + 1;
    }
    this.endRecord(out);
    this.line++;
    this.recordLine = this.line;
    if (c === 13) this.skipLf = true;
    return i + 1;
  }

  private endRecord(out: CsvRecord[]): void {
    this.record.push(this.field);
    const blank = this.record.length === 1 && this.field === "" && this.state !== State.QuoteInQuoted;
    if (!blank) out.push({ line: this.recordLine, fields: this.record });
    this.record = [];
    this.field = "";
    this.state = State.FieldStart;
  }
}

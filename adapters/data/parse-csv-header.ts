import { columnAt, syntaxError } from "./table-errors.ts";

export const COMMA = 44;
export const LF = 10;
export const CR = 13;
export const QUOTE = 34;

/** The header record of a CSV file, and where the data rows start. */
export interface CsvHeader {
  names: string[];
  /** Index of the first byte after the header's line break. */
  next: number;
  /** Physical line (1-based) on which the first data row starts. */
  nextLine: number;
}

/** Length of a UTF-8 byte order mark at the start of `bytes`, if there is one. */
export function bomLength(bytes: Uint8Array, end: number): number {
  return end >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

/**
 * Parses the first record of a CSV file (RFC 4180: quoted fields, `""` escapes, CRLF or LF, an
 * optional BOM). Returns undefined when the record continues past `end` and more bytes may come.
 */
export function parseCsvHeader(
  path: string,
  bytes: Buffer,
  end: number,
  eof: boolean,
): CsvHeader | undefined {
  let p = bomLength(bytes, end);
  let line = 1;
  let lineStart = p;
  const names: string[] = [];
  if (p >= end && eof) throw syntaxError(path, 1, 1, "empty file, expected a header line with column names");
  for (;;) {
    if (bytes[p] === QUOTE) {
      const open = p;
      const openLine = line;
      const openLineStart = lineStart;
      let text = "";
      let from = ++p;
      for (;;) {
        if (p >= end) {
          if (!eof) return undefined;
          throw syntaxError(
            path,
            openLine,
            columnAt(bytes, openLineStart, open),
            "quoted field is not closed",
          );
        }
        const c = bytes[p];
        if (c === QUOTE) {
          if (p + 1 >= end && !eof) return undefined;
          if (bytes[p + 1] !== QUOTE) break;
          text += bytes.toString("utf8", from, p + 1);
          p += 2;
          from = p;
          continue;
        }
        if (c === LF) {
          line++;
          lineStart = p + 1;
        }
        p++;
      }
      names.push(text + bytes.toString("utf8", from, p));
      p++;
    } else {
      const from = p;
      while (p < end && bytes[p] !== COMMA && bytes[p] !== LF && bytes[p] !== CR) p++;
      names.push(bytes.toString("utf8", from, p));
    }
    if (p >= end) {
      if (!eof) return undefined;
      return { names, next: p, nextLine: line + 1 };
    }
    const c = bytes[p];
    if (c === COMMA) {
      p++;
      continue;
    }
    if (c === CR) {
      if (p + 1 >= end && !eof) return undefined;
      p += bytes[p + 1] === LF ? 2 : 1;
      return { names, next: p, nextLine: line + 1 };
    }
    if (c === LF) return { names, next: p + 1, nextLine: line + 1 };
    throw syntaxError(
      path,
      line,
      columnAt(bytes, lineStart, p),
      "unexpected character after a closing quote",
    );
  }
}

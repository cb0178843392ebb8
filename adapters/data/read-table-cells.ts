/**
 * Tables read cell by cell, keeping every column's type: numbers as numbers, text as strings,
 * empty cells as null. For the training-data profile, which needs categorical columns too (the
 * evaluation reader, read-table.ts, keeps only numeric features).
 *
 * - CSV: a cell that is a decimal number is a number; the missing values of
 *   core/data/missing-values.ts (empty, NA, NaN, null, after trimming) are missing; anything else
 *   is a string.
 * - JSON Lines: the first object's keys are the columns; numbers are numbers, strings stay
 *   strings (even "1.5"), booleans are "true"/"false", null and absent keys are missing.
 * - Parquet: numbers (int64 too) are numbers, strings are strings, booleans "true"/"false",
 *   timestamps ISO 8601 strings, nulls missing.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { asyncBufferFromFile, parquetMetadataAsync, parquetScan } from "hyparquet";
import { isMissingValue } from "../../core/data/missing-values.ts";
import { UserError } from "../../core/errors.ts";
import type { Cell, CellBatch } from "../../core/registry/profile-table.ts";
import { loadParquetCompressors } from "./load-parquet-compressors.ts";
import { parseNumberText } from "./parse-number.ts";
import { readParquetColumns } from "./read-parquet.ts";
import { type TableFormat, tableFormat } from "./read-table.ts";
import { type CsvRecord, CsvRecordSplitter } from "./split-csv-records.ts";
import { fileError } from "./table-errors.ts";

const BATCH_ROWS = 65536;

/** A CSV cell's value. */
export function csvCell(text: string): Cell {
  const trimmed = text.trim();
  if (isMissingValue(trimmed)) return null;
  const number = parseNumberText(trimmed);
  return typeof number === "number" ? number : text;
}

/** A JSON or Parquet value as a cell. */
export function valueCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return Number.isNaN(value) ? null : value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? String(v) : v));
}

async function* csvRecords(path: string): AsyncGenerator<CsvRecord> {
  const splitter = new CsvRecordSplitter(path);
  const records: CsvRecord[] = [];
  try {
    for await (const chunk of createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 20 })) {
      splitter.push(chunk as string, records);
      yield* records.splice(0);
    }
  } catch (error) {
    throw fileError(path, error);
  }
  splitter.end(records);
  yield* records;
}

/** Each JSON Lines object with its line number; a line that is not an object is an error at it. */
export async function* jsonlObjects(
  path: string,
): AsyncGenerator<{ line: number; row: Record<string, unknown> }> {
  let line = 0;
  try {
    const lines = createInterface({
      input: createReadStream(path, { encoding: "utf8" }),
      crlfDelay: Infinity,
    });
    for await (const text of lines) {
      line++;
      const trimmed = (line === 1 ? text.replace(/^\uFEFF/, "") : text).trim();
      if (trimmed === "") continue;
      let row: unknown;
      try {
        row = JSON.parse(trimmed);
      } catch (error) {
        throw new UserError(`${path}:${line}:1: invalid JSON: ${(error as Error).message}`);
      }
      if (row === null || typeof row !== "object" || Array.isArray(row)) {
        throw new UserError(`${path}:${line}:1: expected a JSON object per line`);
      }
      yield { line, row: row as Record<string, unknown> };
    }
  } catch (error) {
    throw fileError(path, error);
  }
}

/** The table's column names, in file order. */
export async function readTableColumnNames(path: string, format = tableFormat(path)): Promise<string[]> {
  if (format === "parquet") return readParquetColumns(path);
  const rows = format === "csv" ? csvRecords(path) : jsonlObjects(path);
  const first = await rows.next();
  await rows.return(undefined);
  if (first.done) throw new UserError(`${path}: the table is empty`);
  return "fields" in first.value ? first.value.fields : Object.keys(first.value.row);
}

/** Batches of the named columns' cells (in `columns` order); a column the file lacks is all missing. */
export async function* readTableCells(
  path: string,
  columns: readonly string[],
  format: TableFormat = tableFormat(path),
): AsyncGenerator<CellBatch> {
  if (format === "parquet") {
    yield* parquetCells(path, columns);
    return;
  }
  let values: Cell[][] = columns.map(() => []);
  let rows = 0;
  const flush = (): CellBatch => {
    const batch = { rows, values };
    values = columns.map(() => []);
    rows = 0;
    return batch;
  };
  if (format === "csv") {
    let indexes: number[] | undefined;
    let width = 0;
    for await (const { line, fields } of csvRecords(path)) {
      if (indexes === undefined) {
        indexes = columns.map((name) => fields.indexOf(name));
        width = fields.length;
        continue;
      }
      if (fields.length !== width) {
        throw new UserError(`${path}:${line}:1: expected ${width} fields, found ${fields.length}`);
      }
      indexes.forEach((index, c) => {
        (values[c] as Cell[]).push(index < 0 ? null : csvCell(fields[index] as string));
      });
      if (++rows === BATCH_ROWS) yield flush();
    }
  } else {
    for await (const { row } of jsonlObjects(path)) {
      columns.forEach((name, c) => {
        (values[c] as Cell[]).push(Object.hasOwn(row, name) ? valueCell(row[name]) : null);
      });
      if (++rows === BATCH_ROWS) yield flush();
    }
  }
  if (rows > 0) yield flush();
}

async function* parquetCells(path: string, columns: readonly string[]): AsyncGenerator<CellBatch> {
  const present = new Set(await readParquetColumns(path));
  const wanted = columns.filter((name) => present.has(name));
  let file: Awaited<ReturnType<typeof asyncBufferFromFile>>;
  try {
    file = await asyncBufferFromFile(path);
  } catch (error) {
    throw fileError(path, error);
  }
  const metadata = await parquetMetadataAsync(file);
  const compressors = await loadParquetCompressors();
  const scan = await parquetScan({ file, metadata, columns: wanted, compressors });
  for (const range of scan.ranges) {
    for (let start = range.rowStart; start < range.rowEnd; start += BATCH_ROWS) {
      const stop = Math.min(range.rowEnd, start + BATCH_ROWS);
      let read: ArrayLike<unknown>[];
      try {
        read = await Promise.all(
          wanted.map((column) => scan.readColumn({ column, rowStart: start, rowEnd: stop })),
        );
      } catch (error) {
        const message = (error as Error).message;
        throw new UserError(`${path}: cannot read rows ${start + 1}-${stop}: ${message}`, { cause: error });
      }
      const rows = stop - start;
      const values = columns.map((name) => {
        const source = read[wanted.indexOf(name)];
        return Array.from({ length: rows }, (_, i) => (source === undefined ? null : valueCell(source[i])));
      });
      yield { rows, values };
    }
  }
}

/**
 * Evaluation tables for `modelci evaluate`: CSV, JSON Lines and Parquet, streamed in batches of
 * typed columns so a file of millions of rows never sits in memory at once.
 *
 * - Format by extension: `.csv`, `.jsonl` / `.ndjson`, `.parquet`.
 * - Features default to every column but the label, in file order.
 * - Feature cells must be finite numbers that fit a float32. In JSON Lines, `true`/`false` read as
 *   1/0 and strings are an error (even "1.5"); in Parquet, integers (also int64) and booleans are
 *   numbers, and strings, timestamps and nulls are errors.
 * - A "category" label is always a string: JSON numbers and booleans as `String(value)` gives
 *   them; a "number" label is a Float64Array.
 * - Missing values (core/data/missing-values.ts: empty, NA, NaN, null; JSON null or an absent key;
 *   Parquet nulls and NaN) in a feature or the label: the file is refused after the last row,
 *   with the count and the first such cell, or (policy `drop`) those rows are left out.
 * - Errors name the cell: `path:line:col: column "x": …` for text files (physical line, 1-based,
 *   counting the header; col is the 1-based character where the cell starts), and
 *   `path: row N, column "x": …` for Parquet (N is 1-based).
 * - Text files: blank lines are skipped; in JSON Lines the first object's keys are the columns.
 * - Parquet pages may be UNCOMPRESSED, SNAPPY, GZIP or BROTLI; ZSTD needs Node 22.15+ or the
 *   optional `hyparquet-compressors` package (see load-parquet-compressors.ts).
 */
import { extname } from "node:path";
import { UserError } from "../../core/errors.ts";
import { parseCsvHeader } from "./parse-csv-header.ts";
import { CsvTableParser } from "./parse-csv-rows.ts";
import { JsonlTableParser, parseJsonlHeader } from "./parse-jsonl-rows.ts";
import { readParquetBatches, readParquetColumns } from "./read-parquet.ts";
import { readChunks, readFileStart, streamTextTable } from "./stream-text-table.ts";
import type { LabelKind, MissingPolicy, StreamTableOptions, TableBatch } from "./table-batch.ts";

export type { LabelKind, MissingPolicy, TableBatch } from "./table-batch.ts";

export type TableFormat = "csv" | "jsonl" | "parquet";

export interface ReadTableOptions {
  path: string;
  /** The label column. */
  label: string;
  /** Feature columns in the order the model expects them; default: every column but the label. */
  features?: string[];
  labelKind: LabelKind;
  /** Rows per batch (default 65536); every batch but the last is full. */
  batchRows?: number;
  /** Rows with a missing value (core/data/missing-values.ts) in a used column: error (default) or drop. */
  missing?: MissingPolicy | undefined;
  /** Told, after the last row, how many rows were dropped for missing values. */
  onDropped?: ((rows: number) => void) | undefined;
}

export const DEFAULT_BATCH_ROWS = 65536;

const FORMATS: Record<string, TableFormat> = {
  ".csv": "csv",
  ".jsonl": "jsonl",
  ".ndjson": "jsonl",
  ".parquet": "parquet",
};

/** The table's format, from the file's extension. */
export function tableFormat(path: string): TableFormat {
  const format = FORMATS[extname(path).toLowerCase()];
  if (format !== undefined) return format;
  throw new UserError(
    `${path}: unknown data file type ${JSON.stringify(extname(path))}; expected .csv, .jsonl, .ndjson or .parquet`,
  );
}

/** The column names of a table, in file order, reading no more of the file than the header. */
export async function readTableHeader(path: string): Promise<{ columns: string[]; format: TableFormat }> {
  const format = tableFormat(path);
  let columns: string[];
  if (format === "csv") {
    columns = await readFileStart(
      path,
      (bytes, eof) => parseCsvHeader(path, bytes, bytes.length, eof)?.names,
    );
  } else if (format === "jsonl") {
    columns = await readFileStart(
      path,
      (bytes, eof) => parseJsonlHeader(path, bytes, bytes.length, eof)?.names,
    );
  } else {
    columns = await readParquetColumns(path);
  }
  return { columns, format };
}

/** The table's rows, in batches of `batchRows` (the last one shorter). Errors surface on iteration. */
export async function* readTable(options: ReadTableOptions): AsyncGenerator<TableBatch> {
  const { path, batchRows = DEFAULT_BATCH_ROWS } = options;
  if (!Number.isSafeInteger(batchRows) || batchRows < 1) {
    throw new UserError(`batch size must be a positive integer, got ${batchRows}`);
  }
  const format = tableFormat(path);
  const streamOptions: StreamTableOptions = {
    label: options.label,
    features: options.features,
    labelKind: options.labelKind,
    batchRows,
    missing: options.missing,
    onDropped: options.onDropped,
  };
  if (format === "csv")
    yield* streamTextTable(readChunks(path), new CsvTableParser(path, streamOptions), streamOptions);
  else if (format === "jsonl")
    yield* streamTextTable(readChunks(path), new JsonlTableParser(path, streamOptions), streamOptions);
  else yield* readParquetBatches(path, streamOptions);
}

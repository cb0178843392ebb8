import {
  type AsyncBuffer,
  asyncBufferFromFile,
  type FileMetaData,
  parquetMetadataAsync,
  parquetScan,
  parquetSchema,
} from "hyparquet";
import { isMissingValue } from "../../core/data/missing-values.ts";
import { UserError } from "../../core/errors.ts";
import { canDecompress, loadParquetCompressors } from "./load-parquet-compressors.ts";
import { abbreviate } from "./parse-number.ts";
import { resolveColumns } from "./resolve-columns.ts";
import { BatchBuilder, FLOAT32_MAX, type StreamTableOptions, type TableBatch } from "./table-batch.ts";
import { fileError } from "./table-errors.ts";

/**
 * Rows decoded at once. A row group up to this size is decoded whole (hyparquet decodes whole
 * pages, so smaller reads would decode the same pages again); a larger one in windows this size.
 */
const WINDOW_ROWS = 1 << 20;

export async function openParquet(path: string): Promise<{ file: AsyncBuffer; metadata: FileMetaData }> {
  let file: AsyncBuffer;
  try {
    file = await asyncBufferFromFile(path);
  } catch (error) {
    throw fileError(path, error);
  }
  try {
    return { file, metadata: await parquetMetadataAsync(file) };
  } catch (error) {
    throw new UserError(`${path}: not a readable Parquet file: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

const TEMPORAL_CONVERTED = new Set([
  "DATE",
  "TIME_MILLIS",
  "TIME_MICROS",
  "TIMESTAMP_MILLIS",
  "TIMESTAMP_MICROS",
]);
const TEMPORAL_LOGICAL = new Set(["DATE", "TIME", "TIMESTAMP"]);

/**
 * The top-level column names of a Parquet file and, among them, those that hold dates, times or
 * timestamps (INT96 too), from one read of its footer.
 */
export async function readParquetColumnKinds(
  path: string,
): Promise<{ columns: string[]; temporal: string[] }> {
  const { metadata } = await openParquet(path);
  const elements = parquetSchema(metadata).children.map((child) => child.element);
  const temporal = elements.filter(
    (element) =>
      element.type === "INT96" ||
      TEMPORAL_CONVERTED.has(element.converted_type ?? "") ||
      TEMPORAL_LOGICAL.has(element.logical_type?.type ?? ""),
  );
  return { columns: elements.map((e) => e.name), temporal: temporal.map((e) => e.name) };
}

/** The top-level column names of a Parquet file, from its footer alone. */
export async function readParquetColumns(path: string): Promise<string[]> {
  const { metadata } = await openParquet(path);
  return parquetSchema(metadata).children.map((child) => child.element.name);
}

/** A Parquet file's rows in batches, decoded column by column, one row group (or window) at a time. */
export async function* readParquetBatches(
  path: string,
  options: StreamTableOptions,
): AsyncGenerator<TableBatch> {
  const { file, metadata } = await openParquet(path);
  const schema = parquetSchema(metadata).children;
  const names = schema.map((child) => child.element.name);
  const { featureNames } = resolveColumns(path, names, options.label, options.features);
  const wanted = [...featureNames, options.label];
  for (const name of wanted) {
    if (schema[names.indexOf(name)]?.children.length) {
      throw new UserError(
        `${path}: column ${JSON.stringify(name)} is nested (a struct or list), expected a flat column`,
      );
    }
  }
  const compressors = await loadParquetCompressors();
  for (const group of metadata.row_groups) {
    for (const chunk of group.columns) {
      const meta = chunk.meta_data;
      if (meta === undefined || !wanted.includes(meta.path_in_schema[0] as string)) continue;
      if (!canDecompress(compressors, meta.codec)) {
        throw new UserError(
          `${path}: column ${JSON.stringify(meta.path_in_schema[0])} is compressed with ${meta.codec}, which this ` +
            `Node.js ${process.version} cannot decompress; install hyparquet-compressors or use Node 22.15 or later`,
        );
      }
    }
  }
  const scan = await parquetScan({ file, metadata, columns: wanted, compressors });
  const batch = new BatchBuilder(featureNames.length, options.labelKind, options.batchRows);
  const windowRows = Math.max(options.batchRows, WINDOW_ROWS);
  const featureCount = featureNames.length;
  for (const range of scan.ranges) {
    for (let start = range.rowStart; start < range.rowEnd; start += windowRows) {
      const stop = Math.min(range.rowEnd, start + windowRows);
      let columns: ArrayLike<unknown>[];
      try {
        columns = await Promise.all(
          wanted.map((column) => scan.readColumn({ column, rowStart: start, rowEnd: stop })),
        );
      } catch (error) {
        const message = (error as Error).message;
        throw new UserError(`${path}: cannot read rows ${start + 1}-${stop}: ${message}`, { cause: error });
      }
      for (let r = 0; r < stop - start; ) {
        const missing = firstMissing(columns, r, stop - start);
        if (missing === r) {
          const column = wanted[missingColumn(columns, r)] as string;
          batch.skipMissing(`${path}: row ${start + r + 1}, column ${JSON.stringify(column)}`);
          r += 1;
          continue;
        }
        const count = Math.min(missing - r, batch.capacity - batch.rows);
        const row = { path, first: start + r, from: r, count };
        for (let k = 0; k < featureCount; k++) {
          const out = { array: batch.features, start: batch.rows * featureCount + k, stride: featureCount };
          copyNumbers(columns[k] as ArrayLike<unknown>, row, out, featureNames[k] as string, FLOAT32_MAX);
        }
        const labels = columns[featureCount] as ArrayLike<unknown>;
        if (options.labelKind === "number") {
          const out = { array: batch.numberLabels, start: batch.rows, stride: 1 };
          copyNumbers(labels, row, out, options.label, Number.MAX_VALUE);
        } else {
          copyCategories(labels, row, batch.categoryLabels, batch.rows, options.label);
        }
        batch.rows += count;
        r += count;
        if (batch.full) yield batch.take();
      }
    }
  }
  batch.finish(options.missing ?? "error", options.onDropped);
  if (batch.rows > 0) yield batch.take();
}

/** Whether a decoded Parquet value is missing: null, NaN, or a missing-value string. */
function isMissing(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    (typeof value === "number" && Number.isNaN(value)) ||
    (typeof value === "string" && isMissingValue(value))
  );
}

/** The first row from `from` (before `end`) with a missing value in any column, else `end`. */
function firstMissing(columns: readonly ArrayLike<unknown>[], from: number, end: number): number {
  for (let i = from; i < end; i++) {
    for (const column of columns) if (isMissing(column[i])) return i;
  }
  return end;
}

function missingColumn(columns: readonly ArrayLike<unknown>[], row: number): number {
  return columns.findIndex((column) => isMissing(column[row]));
}

/** Which decoded values to copy: `count` from index `from`, the first of them row `first` of the file (0-based). */
interface RowSpan {
  path: string;
  first: number;
  from: number;
  count: number;
}

function copyNumbers(
  source: ArrayLike<unknown>,
  span: RowSpan,
  out: { array: Float32Array | Float64Array; start: number; stride: number },
  column: string,
  max: number,
): void {
  const { array, stride } = out;
  for (let i = 0, j = out.start; i < span.count; i++, j += stride) {
    const value = source[span.from + i];
    if (typeof value === "number") {
      if (value <= max && value >= -max) array[j] = value;
      else throw valueError(span, i, column, numberProblem(value));
    } else if (typeof value === "bigint") array[j] = Number(value);
    else if (typeof value === "boolean") array[j] = value ? 1 : 0;
    else throw valueError(span, i, column, numberProblem(value));
  }
}

function copyCategories(
  source: ArrayLike<unknown>,
  span: RowSpan,
  out: string[],
  start: number,
  column: string,
) {
  for (let i = 0; i < span.count; i++) {
    const value = source[span.from + i];
    let text: string;
    if (typeof value === "string") text = value;
    else if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean")
      text = String(value);
    else if (value instanceof Date) text = value.toISOString();
    else text = "";
    if (text === "") {
      throw valueError(
        span,
        i,
        column,
        value == null || value === "" ? "empty value" : "expected a string or number",
      );
    }
    out[start + i] = text;
  }
}

function numberProblem(value: unknown): string {
  if (value === null || value === undefined) return "empty value";
  if (typeof value === "number")
    return Number.isNaN(value) ? "expected a number, got NaN" : `number ${value} is out of range`;
  if (typeof value === "string") return `expected a number, got ${JSON.stringify(abbreviate(value))}`;
  if (value instanceof Date) return `expected a number, got a timestamp (${value.toISOString()})`;
  return `expected a number, got ${value instanceof Uint8Array ? "binary data" : typeof value}`;
}

function valueError(span: RowSpan, i: number, column: string, problem: string): UserError {
  return new UserError(
    `${span.path}: row ${span.first + i + 1}, column ${JSON.stringify(column)}: ${problem}`,
  );
}

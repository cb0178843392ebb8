/**
 * Reads a table (CSV, JSON Lines or Parquet), streamed, into one drift sample per column.
 *
 * JSON Lines may hold flat rows, or the prediction server's input log records
 * `{"time", "model", "version", "inputs": {…}, "prediction"}`: `inputs` is flattened into the
 * columns, `prediction` kept apart for prediction drift, and with `model` set only that model's
 * records count. The first row names the columns; a later row's missing key is a missing cell.
 *
 * CSV goes through read-csv-columns.ts (numbers parsed from bytes) and Parquet's plain numeric
 * columns through read-parquet-numbers.ts (page by page, no BigInt); both give the samples the
 * general cell reader (read-table-cells.ts) would, which reads everything else.
 */
import { parquetSchema } from "hyparquet";
import { ColumnCollector } from "../../core/drift/collect-column.ts";
import type { ColumnSample } from "../../core/drift/drift-samples.ts";
import { UserError } from "../../core/errors.ts";
import type { Cell, CellBatch } from "../../core/registry/profile-table.ts";
import { loadParquetCompressors } from "./load-parquet-compressors.ts";
import { countCsvLines, readCsvColumns } from "./read-csv-columns.ts";
import { openParquet } from "./read-parquet.ts";
import { numericParquetColumn, readParquetNumbers } from "./read-parquet-numbers.ts";
import { type TableFormat, tableFormat } from "./read-table.ts";
import { jsonlObjects, readTableCells, readTableColumnNames, valueCell } from "./read-table-cells.ts";

export interface DriftTable {
  rows: number;
  columns: Map<string, ColumnSample>;
  /** The logged predictions, when the records carry them. */
  predictions?: ColumnSample | undefined;
}

export interface ReadDriftTableOptions {
  /** Columns to read; default every column of the file. */
  columns?: readonly string[] | undefined;
  /** JSON Lines records: keep only this model's. */
  model?: string | undefined;
}

interface FlatRecord {
  cells: Record<string, unknown>;
  prediction?: unknown;
  model?: unknown;
}

function flatten(row: Record<string, unknown>): FlatRecord {
  const inputs = row.inputs;
  if (inputs !== null && typeof inputs === "object" && !Array.isArray(inputs)) {
    return { cells: inputs as Record<string, unknown>, prediction: row.prediction, model: row.model };
  }
  return { cells: row };
}

async function* jsonlRecords(path: string): AsyncGenerator<FlatRecord> {
  for await (const { row } of jsonlObjects(path)) yield flatten(row);
}

async function readJsonl(path: string, options: ReadDriftTableOptions): Promise<DriftTable> {
  let names: string[] | undefined = options.columns === undefined ? undefined : [...options.columns];
  let collectors: ColumnCollector[] = [];
  const predictions = new ColumnCollector();
  let hasPredictions = false;
  let rows = 0;
  for await (const record of jsonlRecords(path)) {
    if (options.model !== undefined && record.model !== undefined && record.model !== options.model) continue;
    if (names === undefined) names = Object.keys(record.cells);
    if (collectors.length === 0) collectors = names.map(() => new ColumnCollector());
    names.forEach((name, i) => {
      (collectors[i] as ColumnCollector).add(
        Object.hasOwn(record.cells, name) ? valueCell(record.cells[name]) : null,
      );
    });
    if (record.prediction !== undefined) {
      hasPredictions = true;
      predictions.add(valueCell(record.prediction));
    }
    rows++;
  }
  if (names === undefined) throw new UserError(`${path}: the table is empty`);
  if (collectors.length === 0) collectors = names.map(() => new ColumnCollector());
  const columns = new Map(names.map((name, i) => [name, (collectors[i] as ColumnCollector).finish()]));
  return { rows, columns, predictions: hasPredictions ? predictions.finish() : undefined };
}

async function readCsv(path: string, options: ReadDriftTableOptions): Promise<DriftTable> {
  const names = options.columns ?? (await readTableColumnNames(path, "csv"));
  const capacity = await countCsvLines(path);
  const collectors = names.map(() => new ColumnCollector(capacity));
  const rows = await readCsvColumns(path, names, collectors);
  return {
    rows,
    columns: new Map(names.map((name, i) => [name, (collectors[i] as ColumnCollector).finish()])),
  };
}

async function readParquet(path: string, options: ReadDriftTableOptions): Promise<DriftTable> {
  const { metadata } = await openParquet(path);
  const names = options.columns ?? parquetSchema(metadata).children.map((child) => child.element.name);
  const rows = Number(metadata.num_rows);
  const columns = new Map<string, ColumnSample>();
  const others: string[] = [];
  const compressors = await loadParquetCompressors();
  for (const name of names) {
    const numeric = numericParquetColumn(metadata, name);
    if (numeric === undefined) {
      others.push(name);
      continue;
    }
    const collector = new ColumnCollector(rows);
    try {
      for await (const page of readParquetNumbers(path, metadata, numeric, compressors)) {
        collector.addNumbers(page.values);
        collector.missing += page.missing;
      }
    } catch (error) {
      throw new UserError(
        `${path}: cannot read column ${JSON.stringify(name)}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    columns.set(name, collector.finish());
  }
  if (others.length > 0) {
    const collectors = others.map(() => new ColumnCollector());
    for await (const batch of readTableCells(path, others, "parquet")) {
      batch.values.forEach((cells, c) => {
        const collector = collectors[c] as ColumnCollector;
        for (let r = 0; r < batch.rows; r++) collector.add(cells[r]);
      });
    }
    others.forEach((name, i) => {
      columns.set(name, (collectors[i] as ColumnCollector).finish());
    });
  }
  return { rows, columns: new Map(names.map((name) => [name, columns.get(name) as ColumnSample])) };
}

/** The table's columns as drift samples, and its row count. */
export async function readDriftTable(path: string, options: ReadDriftTableOptions = {}): Promise<DriftTable> {
  const format: TableFormat = tableFormat(path);
  if (format === "jsonl") return readJsonl(path, options);
  if (format === "csv") return readCsv(path, options);
  return readParquet(path, options);
}

/** Batches of the named columns' cells in row order; input-log records flattened, filtered by model. */
export async function* readFeatureBatches(
  path: string,
  columns: readonly string[],
  model?: string | undefined,
): AsyncGenerator<CellBatch> {
  const format = tableFormat(path);
  if (format !== "jsonl") {
    yield* readTableCells(path, columns, format);
    return;
  }
  let values: Cell[][] = columns.map(() => []);
  let rows = 0;
  for await (const record of jsonlRecords(path)) {
    if (model !== undefined && record.model !== undefined && record.model !== model) continue;
    columns.forEach((name, c) => {
      (values[c] as Cell[]).push(Object.hasOwn(record.cells, name) ? valueCell(record.cells[name]) : null);
    });
    if (++rows === 65536) {
      yield { rows, values };
      values = columns.map(() => []);
      rows = 0;
    }
  }
  if (rows > 0) yield { rows, values };
}

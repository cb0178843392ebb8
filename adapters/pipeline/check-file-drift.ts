/**
 * Drift between two data files (`modelci drift --reference R --current C`): both read, streamed,
 * into per-column samples, then checked. The features are the columns both files have (or the
 * ones asked for); logged predictions, when both sides carry them, are compared too.
 */
import {
  checkDrift,
  checkFeature,
  type DriftCheckResult,
  type DriftOptions,
} from "../../core/drift/check-drift.ts";
import { UserError } from "../../core/errors.ts";
import type { FeatureDrift } from "../../schemas/drift-result.ts";
import { readDriftTable } from "../data/read-drift-table.ts";
import { readParquetColumnKinds } from "../data/read-parquet.ts";
import { readTableHeader, tableFormat } from "../data/read-table.ts";

export interface FileDriftOptions {
  reference: string;
  current: string;
  columns?: readonly string[] | undefined;
  drift: DriftOptions;
  /** Told which columns were left out of the default set, and why. */
  warn?: ((message: string) => void) | undefined;
}

/**
 * The file's columns for a default check: JSON Lines may be input-log records, whose columns are
 * known only once read (undefined); Parquet date, time and timestamp columns are left out, as
 * Evidently leaves out the datetime column: time always moves between two periods.
 */
async function columnsOf(path: string): Promise<{ columns: string[] | undefined; temporal: string[] }> {
  const format = tableFormat(path);
  if (format === "jsonl") return { columns: undefined, temporal: [] };
  if (format === "csv") return { columns: (await readTableHeader(path)).columns, temporal: [] };
  const { columns, temporal } = await readParquetColumnKinds(path);
  return { columns: columns.filter((name) => !temporal.includes(name)), temporal };
}

/** The drift of `current` against `reference`. */
export async function checkFileDrift(
  options: FileDriftOptions,
): Promise<DriftCheckResult & { prediction?: FeatureDrift }> {
  const [referenceFile, currentFile] = await Promise.all([
    columnsOf(options.reference),
    columnsOf(options.current),
  ]);
  const referenceColumns = referenceFile.columns;
  const currentColumns = currentFile.columns;
  for (const name of options.columns ?? []) {
    for (const [path, file] of [
      [options.reference, referenceFile],
      [options.current, currentFile],
    ] as const) {
      const { columns, temporal } = file;
      if (columns !== undefined && !columns.includes(name) && !temporal.includes(name)) {
        throw new UserError(`${path}: no column ${JSON.stringify(name)}; columns: ${columns.join(", ")}`);
      }
    }
  }
  const skipped = [...new Set([...referenceFile.temporal, ...currentFile.temporal])];
  if (options.columns === undefined && skipped.length > 0) {
    options.warn?.(
      `left out date and time columns: ${skipped.join(", ")} (name them in --columns to compare their values as categories)`,
    );
  }
  const [reference, current] = await Promise.all([
    readDriftTable(options.reference, { columns: options.columns ?? referenceColumns }),
    readDriftTable(options.current, { columns: options.columns ?? currentColumns }),
  ]);
  const names = options.columns ?? [...reference.columns.keys()].filter((name) => current.columns.has(name));
  if (names.length === 0) {
    throw new UserError(`${options.reference} and ${options.current} have no column in common`);
  }
  const columns = new Map(
    names.map((name) => {
      const ref = reference.columns.get(name);
      const cur = current.columns.get(name);
      if (ref === undefined || cur === undefined) {
        throw new UserError(
          `${ref === undefined ? options.reference : options.current}: no column ${JSON.stringify(name)}`,
        );
      }
      return [name, { reference: ref, current: cur }];
    }),
  );
  const result = checkDrift(
    { columns, rows: { reference: reference.rows, current: current.rows } },
    options.drift,
  );
  if (reference.predictions !== undefined && current.predictions !== undefined) {
    return {
      ...result,
      prediction: checkFeature(
        { reference: reference.predictions, current: current.predictions },
        options.drift,
      ),
    };
  }
  return result;
}

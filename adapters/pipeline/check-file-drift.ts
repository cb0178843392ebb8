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
import { readTableHeader } from "../data/read-table.ts";

export interface FileDriftOptions {
  reference: string;
  current: string;
  columns?: readonly string[] | undefined;
  drift: DriftOptions;
}

async function columnsOf(path: string): Promise<string[] | undefined> {
  // JSON Lines may be input-log records; their columns are known only once read.
  const { columns, format } = await readTableHeader(path);
  return format === "jsonl" ? undefined : columns;
}

/** The drift of `current` against `reference`. */
export async function checkFileDrift(
  options: FileDriftOptions,
): Promise<DriftCheckResult & { prediction?: FeatureDrift }> {
  const [referenceColumns, currentColumns] = await Promise.all([
    columnsOf(options.reference),
    columnsOf(options.current),
  ]);
  for (const name of options.columns ?? []) {
    for (const [path, columns] of [
      [options.reference, referenceColumns],
      [options.current, currentColumns],
    ] as const) {
      if (columns !== undefined && !columns.includes(name)) {
        throw new UserError(`${path}: no column ${JSON.stringify(name)}; columns: ${columns.join(", ")}`);
      }
    }
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

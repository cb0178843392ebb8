/**
 * Expands an experiment's params and sweep into the runs to train: the Cartesian product of the sweep
 * lists over the base params, in a stable order, each with a deterministic, path-safe run id.
 */
import { createHash } from "node:crypto";
import { UserError } from "../errors.ts";
import type { ParamValue } from "./build-argv.ts";

export type Params = Record<string, ParamValue>;
export type Sweep = Record<string, readonly ParamValue[]>;
export type Run = { runId: string; params: Params };

/** GitHub Actions runs at most 256 jobs per matrix. */
export const MAX_MATRIX_JOBS = 256;
/** A run id longer than this gets shortened to a prefix and a hash. */
const MAX_RUN_ID_LENGTH = 64;
const DEFAULT_MAX_RUNS = 4096;

/**
 * One run per combination of sweep values, over the base params. Sweep keys vary in declaration order
 * (the first key slowest), values in list order. With no sweep there is one run, `default`.
 */
export function expandSweep(
  params: Readonly<Params>,
  sweep?: Readonly<Sweep>,
  options: { maxRuns?: number } = {},
): Run[] {
  const keys = Object.keys(sweep ?? {});
  if (sweep === undefined || keys.length === 0) return [{ runId: "default", params: { ...params } }];
  checkSweep(sweep, options.maxRuns ?? DEFAULT_MAX_RUNS);

  let combinations: Array<Array<[string, ParamValue]>> = [[]];
  for (const key of keys) {
    const values = sweep[key] ?? [];
    combinations = combinations.flatMap((combination) =>
      values.map((value): Array<[string, ParamValue]> => [...combination, [key, value]]),
    );
  }
  const ids = assignRunIds(combinations);
  return combinations.map((combination, index) => ({
    runId: ids[index] ?? "",
    params: { ...params, ...Object.fromEntries(combination) },
  }));
}

/** Splits runs into consecutive matrices of at most `size` runs each. */
export function chunkRuns<T>(runs: readonly T[], size: number = MAX_MATRIX_JOBS): T[][] {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`chunk size must be a positive integer: ${size}`);
  const chunks: T[][] = [];
  for (let start = 0; start < runs.length; start += size) chunks.push(runs.slice(start, start + size));
  return chunks;
}

function checkSweep(sweep: Readonly<Sweep>, maxRuns: number): void {
  let total = 1;
  for (const [key, values] of Object.entries(sweep)) {
    if (values.length === 0)
      throw new UserError(`sweep.${key}: the list is empty, so there would be no runs`);
    const seen = new Set<string>();
    for (const value of values) {
      const identity = JSON.stringify(value);
      if (seen.has(identity)) throw new UserError(`sweep.${key}: ${identity} is listed more than once`);
      seen.add(identity);
    }
    total *= values.length;
  }
  if (total > maxRuns) {
    throw new UserError(
      `sweep: expands into ${total} runs, more than the limit of ${maxRuns}; narrow the sweep`,
    );
  }
}

/** `lr-0.05_depth-4`; a hash suffix keeps long or colliding ids short and unique. */
function assignRunIds(combinations: ReadonlyArray<ReadonlyArray<[string, ParamValue]>>): string[] {
  const readable = combinations.map((combination) =>
    combination.map(([key, value]) => `${sanitize(key)}-${sanitize(String(value))}`).join("_"),
  );
  const counts = new Map<string, number>();
  for (const id of readable) counts.set(id, (counts.get(id) ?? 0) + 1);
  return readable.map((id, index) => {
    if ((counts.get(id) ?? 0) === 1 && id.length <= MAX_RUN_ID_LENGTH) return id;
    const hash = createHash("sha256").update(JSON.stringify(combinations[index])).digest("hex").slice(0, 10);
    return `${id.slice(0, MAX_RUN_ID_LENGTH - hash.length - 1)}-${hash}`;
  });
}

function sanitize(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, "-");
}

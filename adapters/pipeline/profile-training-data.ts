import { resolve } from "node:path";
import { ReferenceProfiler } from "../../core/drift/reference-profile.ts";
import { UserError } from "../../core/errors.ts";
import { TableProfiler } from "../../core/registry/profile-table.ts";
import type { Experiment } from "../../schemas/experiment.ts";
import type { ReferenceProfile } from "../../schemas/reference-profile.ts";
import type { DataDigest } from "../../schemas/run-manifest.ts";
import type { Profile } from "../../schemas/version.ts";
import { type TableFormat, tableFormat } from "../data/read-table.ts";
import { readTableCells, readTableColumnNames } from "../data/read-table-cells.ts";
import { hashPaths } from "../files/hash-file.ts";

export interface ProfileTrainingDataOptions {
  /** The modelci root folder; data paths are relative to it. */
  root: string;
  experiment: Experiment;
  /** The run's digest of `data.train`; the data must still match it. */
  recorded: DataDigest | undefined;
  /** The model's input columns (ONNX `modelci.features`), when known. */
  features: readonly string[] | undefined;
  /** Names the run in messages. */
  run: string;
  warn: (message: string) => void;
  /** The model's predictions on a data file's rows (the reference predictions), when it can run. */
  predict?:
    | ((path: string, features: readonly string[]) => Promise<ArrayLike<number | string | null>>)
    | undefined;
}

/** The version file's compact profile, and the reference profile artifact drift checks read. */
export interface TrainingProfiles {
  profile: Profile;
  reference: ReferenceProfile;
  /** The data files profiled. */
  files: string[];
}

/** The table format of a file: the declared one, else from its extension; undefined when unknown. */
function formatOf(path: string, declared: TableFormat | undefined): TableFormat | undefined {
  if (declared !== undefined) return declared;
  try {
    return tableFormat(path);
  } catch (error) {
    if (error instanceof UserError) return undefined;
    throw error;
  }
}

/**
 * The reference profile of an experiment's training data (`data.train`: a file, or every file of
 * a folder or glob), checked first against the digest the run recorded, so the profile describes
 * the data the model really trained on. Profiles the model's feature columns: ONNX metadata
 * `modelci.features`, else `data.eval.features`, else every column but the `data.eval.label`.
 * Undefined, with a warning, when there is nothing to profile.
 */
export async function profileTrainingData(
  options: ProfileTrainingDataOptions,
): Promise<TrainingProfiles | undefined> {
  const { experiment, warn } = options;
  const train = experiment.data.train;
  if (train === undefined) {
    warn(
      "the experiment declares no data.train, so the version gets no reference profile and drift checks cannot use it",
    );
    return undefined;
  }
  const declared = typeof train === "string" ? train : train.path;
  // The data the run trained on, as its manifest recorded it, even if the experiment moved on since.
  const path = options.recorded?.path ?? declared;
  const format = typeof train === "string" || path !== declared ? undefined : train.format;
  let digest: Awaited<ReturnType<typeof hashPaths>>;
  try {
    digest = await hashPaths(options.root, [path]);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    throw new UserError(
      `data.train ${path}: ${error.message}; the reference profile needs the data the run trained on`,
    );
  }
  const files = digest.files.map((file) => ({
    path: resolve(options.root, file.path),
    format: formatOf(file.path, format),
  }));
  const unknown = digest.files.find((_, i) => files[i]?.format === undefined);
  if (unknown !== undefined) {
    warn(
      `${unknown.path} is not a table modelci can profile (CSV, JSON Lines or Parquet), so the version gets no reference profile`,
    );
    return undefined;
  }
  const [only] = digest.files;
  const oneFile =
    digest.files.length === 1 &&
    only !== undefined &&
    resolve(options.root, only.path) === resolve(options.root, path);
  const sha256 = oneFile ? only.sha256 : digest.sha256;
  if (options.recorded === undefined) {
    warn(`run ${options.run} recorded no digest of data.train; profiling ${path} as it is now`);
  } else if (options.recorded.sha256 !== sha256) {
    throw new UserError(
      `data.train ${path} changed since run ${options.run} trained on it (sha256 ${options.recorded.sha256} then, ${sha256} now); restore it or retrain, so the profile describes the training data`,
    );
  }
  const first = files[0] as { path: string; format: TableFormat };
  const columns = await readTableColumnNames(first.path, first.format);
  const label = experiment.data.eval?.label;
  const wanted = options.features ?? experiment.data.eval?.features ?? columns.filter((c) => c !== label);
  const found = wanted.filter((name) => columns.includes(name));
  const missing = wanted.filter((name) => !columns.includes(name));
  if (missing.length > 0) {
    warn(
      `${path} has no column ${missing.map((m) => JSON.stringify(m)).join(", ")}; the profile leaves ${missing.length === 1 ? "it" : "them"} out`,
    );
  }
  if (found.length === 0) {
    warn(`${path} has none of the model's feature columns, so the version gets no reference profile`);
    return undefined;
  }
  const profiler = new TableProfiler(found);
  const reference = new ReferenceProfiler(found);
  for (const file of files) {
    for await (const batch of readTableCells(file.path, found, file.format)) {
      profiler.add(batch);
      reference.add(batch);
    }
  }
  if (options.predict !== undefined && found.length === wanted.length) {
    for (const file of files) reference.addPredictions(await options.predict(file.path, found));
  }
  return { profile: profiler.finish(), reference: reference.finish(), files: files.map((f) => f.path) };
}

import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { cpus, hostname, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { didYouMean } from "../../core/declarations/did-you-mean.ts";
import { UserError } from "../../core/errors.ts";
import { resolveExperimentRunner } from "../../core/plan/resolve-experiment.ts";
import { buildArgv, type ParamValue } from "../../core/train/build-argv.ts";
import type { Run } from "../../core/train/expand-sweep.ts";
import { makeRunManifest } from "../../core/train/make-run-manifest.ts";
import { parseOverrides, selectRuns } from "../../core/train/select-runs.ts";
import type { Experiment } from "../../schemas/index.ts";
import type { DataDigest, RunManifest } from "../../schemas/run-manifest.ts";
import { digestDataPath, hashFile } from "../files/hash-file.ts";
import { resolveInside } from "../files/resolve-inside.ts";
import { currentCommit } from "../git/changed-paths.ts";
import { type OutputStream, runCommand } from "../process/run-command.ts";
import { detectGpu } from "../system/detect-gpu.ts";
import { loadValidProject } from "./load-valid-project.ts";

export const DEFAULT_RUNS_DIR = ".modelci/runs";

export interface TrainOptions {
  /** The repository folder (where modelci.yaml is). */
  dir: string;
  experiment: string;
  runId?: string;
  /** `name=value` param overrides. */
  params?: readonly string[];
  /** Where run folders go, relative to the modelci root (default .modelci/runs). */
  runsDir?: string;
  signal?: AbortSignal;
  onRunStart?(run: Run, argv: string[], index: number, total: number): void;
  onLine?(run: Run, stream: OutputStream, line: string): void;
  onRunEnd?(trained: TrainedRun): void;
  /** Run folders of the experiment that the sweep no longer has, removed before training it whole. */
  onStaleRemoved?(runIds: string[]): void;
}

export interface TrainedRun {
  manifest: RunManifest;
  /** Folder with manifest.json and a copy of every output the run wrote, under outputs/. */
  runDir: string;
}

/** The declared outputs by name: `model`, `metrics`, and `artifacts[i]`. */
function declaredOutputs(experiment: Experiment): Record<string, string> {
  const outputs: Record<string, string> = { model: experiment.outputs.model };
  if (experiment.outputs.metrics !== undefined) outputs.metrics = experiment.outputs.metrics;
  for (const [i, path] of (experiment.outputs.artifacts ?? []).entries()) outputs[`artifacts[${i}]`] = path;
  return outputs;
}

/** The experiment's data paths by manifest key, with their field and whether a command produces them. */
function dataPaths(
  experiment: Experiment,
): { key: "train" | "eval"; field: string; path: string; produced: boolean }[] {
  const paths = [];
  const train = experiment.data.train;
  if (typeof train === "string")
    paths.push({ key: "train" as const, field: "data.train", path: train, produced: false });
  else if (train !== undefined)
    paths.push({
      key: "train" as const,
      field: "data.train.path",
      path: train.path,
      produced: train.produced === true,
    });
  const evaluation = experiment.data.eval;
  if (evaluation !== undefined)
    paths.push({
      key: "eval" as const,
      field: "data.eval.path",
      path: evaluation.path,
      produced: evaluation.produced === true,
    });
  return paths;
}

/**
 * Digests of the experiment's data, taken before the run so that the run cannot change them; paths
 * declared `produced` are digested after the run (`produced: true`), when the command has written them.
 */
async function digestData(
  root: string,
  experiment: Experiment,
  file: string,
  produced: boolean,
): Promise<Record<string, DataDigest>> {
  const data: Record<string, DataDigest> = {};
  for (const entry of dataPaths(experiment)) {
    if (entry.produced !== produced) continue;
    try {
      data[entry.key] = await digestDataPath(root, entry.path);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      if (produced) continue;
      throw new UserError(
        `${file}: ${entry.field}: ${error.message}; fix the path, or declare it \`produced: true\` if a command writes it at run time`,
        { cause: error },
      );
    }
  }
  return data;
}

/** What identifies one version of a file on disk, to tell whether a run rewrote it. */
async function fileStamp(path: string): Promise<string | undefined> {
  const info = await stat(path, { bigint: true }).catch(() => undefined);
  return info?.isFile() ? `${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}` : undefined;
}

/** The output's digest when this run wrote it (it is new or changed since the run started), else null. */
async function freshDigest(
  path: string,
  before: string | undefined,
): Promise<{ sha256: string; size: number } | null> {
  const after = await fileStamp(path);
  if (after === undefined || after === before) return null;
  return hashFile(path);
}

async function trainOne(
  root: string,
  name: string,
  experiment: Experiment,
  run: Run,
  context: {
    commit: string;
    dirty: boolean;
    data: Record<string, DataDigest>;
    timeoutMs: number;
    file: string;
  },
  options: TrainOptions,
): Promise<TrainedRun> {
  const argv = buildArgv(experiment.command, run.params);
  const env = {
    ...process.env,
    ...experiment.env,
    MODELCI_EXPERIMENT: name,
    MODELCI_RUN_ID: run.runId,
    MODELCI_PARAMS: JSON.stringify(run.params),
  };
  const declared = Object.entries(declaredOutputs(experiment));
  const stamps = new Map<string, string | undefined>();
  for (const [, path] of declared) stamps.set(path, await fileStamp(join(root, path)));
  const started = new Date();
  let result: Awaited<ReturnType<typeof runCommand>> | undefined;
  let error: string | undefined;
  try {
    result = await runCommand({
      argv,
      cwd: root,
      env,
      timeoutMs: context.timeoutMs,
      signal: options.signal,
      onLine: (stream, line) => options.onLine?.(run, stream, line),
    });
  } catch (caught) {
    if (!(caught instanceof UserError)) throw caught;
    error = caught.message;
  }
  const finished = new Date();
  const data = { ...context.data, ...(await digestData(root, experiment, context.file, true)) };
  const outputs: Record<string, { path: string; digest: { sha256: string; size: number } | null }> = {};
  for (const [key, path] of declared) {
    const file = await resolveInside(root, path, `outputs.${key}`);
    outputs[key] = { path, digest: await freshDigest(file, stamps.get(path)) };
  }
  const metricsPath = experiment.outputs.metrics;
  const metrics =
    metricsPath === undefined
      ? undefined
      : {
          path: metricsPath,
          text: outputs.metrics?.digest ? await readFile(join(root, metricsPath), "utf8") : null,
        };
  const gpus = await detectGpu();
  const manifest = makeRunManifest({
    experiment: name,
    runId: run.runId,
    params: run.params as Record<string, ParamValue>,
    argv,
    commit: context.commit,
    dirty: context.dirty,
    data,
    outputs,
    ...(metrics ? { metrics } : {}),
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    wallTimeMs: result?.durationMs ?? finished.getTime() - started.getTime(),
    host: {
      name: hostname(),
      platform: process.platform,
      arch: process.arch,
      cpus: cpus().length,
      memoryMiB: Math.round(totalmem() / 1048576),
    },
    gpus: gpus.gpus,
    exitCode: result?.exitCode ?? null,
    signal: result?.signal ?? null,
    timedOut: result?.timedOut ?? false,
    timeoutMs: context.timeoutMs,
    ...(error === undefined ? {} : { error }),
    logTail: result?.tail ?? [],
  });
  const runDir = join(root, options.runsDir ?? DEFAULT_RUNS_DIR, name, run.runId);
  await rm(runDir, { recursive: true, force: true });
  await mkdir(runDir, { recursive: true });
  for (const output of Object.values(manifest.outputs)) {
    const target = await resolveInside(join(runDir, "outputs"), output.path, "output");
    await mkdir(dirname(target), { recursive: true });
    await copyFile(await resolveInside(root, output.path, "output"), target);
  }
  await writeFile(join(runDir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return { manifest, runDir };
}

/**
 * Removes the run folders (folders with a manifest.json) of an experiment that are not runs of the
 * sweep about to be trained, so that results of an earlier sweep are never compared, ranked or
 * registered with the new ones.
 */
async function removeStaleRuns(folder: string, current: readonly string[]): Promise<string[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names.sort()) {
    if (current.includes(name)) continue;
    if (!(await stat(join(folder, name, "manifest.json")).catch(() => undefined))) continue;
    await rm(join(folder, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** Trains an experiment's runs one after another in the working tree, recording a manifest for each. */
export async function trainExperiment(options: TrainOptions): Promise<TrainedRun[]> {
  const project = await loadValidProject(options.dir);
  const declared = project.experiments.get(options.experiment);
  if (!declared) {
    const names = [...project.experiments.keys()];
    throw new UserError(
      `no experiment ${JSON.stringify(options.experiment)}${didYouMean(options.experiment, names)}; declared: ${names.join(", ") || "none"}`,
    );
  }
  const experiment = declared.value;
  const root = join(options.dir, project.root);
  const runs = selectRuns(experiment, options.runId, parseOverrides(options.params ?? [], experiment));
  const { timeoutMinutes } = resolveExperimentRunner(experiment, project.config);
  const context = {
    ...(await currentCommit(options.dir)),
    data: await digestData(root, experiment, declared.file, false),
    timeoutMs: timeoutMinutes * 60_000,
    file: declared.file,
  };
  if (options.runId === undefined) {
    const removed = await removeStaleRuns(
      join(root, options.runsDir ?? DEFAULT_RUNS_DIR, options.experiment),
      runs.map((run) => run.runId),
    );
    if (removed.length > 0) options.onStaleRemoved?.(removed);
  }
  const trained: TrainedRun[] = [];
  for (const [index, run] of runs.entries()) {
    if (options.signal?.aborted) break;
    options.onRunStart?.(run, buildArgv(experiment.command, run.params), index, runs.length);
    const result = await trainOne(root, options.experiment, experiment, run, context, options);
    options.onRunEnd?.(result);
    trained.push(result);
  }
  return trained;
}

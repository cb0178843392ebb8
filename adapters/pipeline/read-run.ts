/**
 * Run folders written by `modelci train` / `modelci run`: `<runs>/<experiment>/<run-id>/` with
 * manifest.json, evaluation.json (when evaluated) and the outputs under outputs/.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { z } from "zod";
import { metricDirection } from "../../core/compare/metric-direction.ts";
import { pickBestRun } from "../../core/compare/pick-best-run.ts";
import { UserError } from "../../core/errors.ts";
import type { Run } from "../../core/train/expand-sweep.ts";
import { type EvaluationResult, evaluationResultSchema } from "../../schemas/evaluation-result.ts";
import type { Model } from "../../schemas/model.ts";
import { type RunManifest, runManifestSchema } from "../../schemas/run-manifest.ts";

export interface RunRecord {
  /** The run folder. */
  dir: string;
  manifest: RunManifest;
  /** evaluation.json beside the manifest, when the run was evaluated. */
  evaluation: EvaluationResult | undefined;
}

async function readJson<T>(path: string, schema: z.ZodType<T>, what: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${path}: not valid JSON (${(error as Error).message}); is it a ${what}?`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    const field = issue?.path.join(".") || "(top)";
    throw new UserError(`${path}: not a valid ${what}: ${field}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

/** Reads a run from its folder or its manifest.json. */
export async function readRun(location: string): Promise<RunRecord> {
  const info = await stat(location).catch(() => undefined);
  if (info === undefined)
    throw new UserError(`no run at ${location}: expected a run folder or its manifest.json`);
  const dir = info.isDirectory() ? location : dirname(location);
  const manifestPath = info.isDirectory() ? join(location, "manifest.json") : location;
  const manifest = await readJson(manifestPath, runManifestSchema, "run manifest");
  if (manifest === undefined) {
    throw new UserError(`${dir} has no manifest.json; is it a run folder written by \`modelci train\`?`);
  }
  const evaluation = await readJson(
    join(dir, "evaluation.json"),
    evaluationResultSchema,
    "evaluation result",
  );
  return { dir, manifest, evaluation };
}

/**
 * The run a `--run` argument names: a path (a run folder or a manifest), or else
 * `<experiment>/<run-id>` under the runs folder.
 */
export async function locateRun(argument: string, runsDir: string): Promise<string> {
  const direct = resolve(argument);
  if (await stat(direct).catch(() => undefined)) return direct;
  const underRuns = join(runsDir, argument);
  if (await stat(underRuns).catch(() => undefined)) return underRuns;
  throw new UserError(
    `no run at ${argument}: expected a run folder, its manifest.json, or <experiment>/<run-id> under ${runsDir}`,
  );
}

/** The metrics a run is ranked by: its evaluation's when it was evaluated, else its training metrics. */
export function rankingMetrics(run: RunRecord): Record<string, number | null> {
  return run.evaluation?.metrics ?? run.manifest.metrics;
}

/** The runs the experiment's current declaration plans, at the current commit. */
export interface CurrentPlan {
  commit: string;
  runs: readonly Run[];
}

/** Why a run folder is not one of the current plan's runs, or undefined when it is. */
function staleReason(manifest: RunManifest, plan: CurrentPlan): string | undefined {
  const planned = plan.runs.find((run) => run.runId === manifest["run-id"]);
  if (planned === undefined) return "not a run of the experiment's current sweep";
  if (!isDeepStrictEqual(planned.params, manifest.params)) return "trained with other params";
  if (manifest.commit !== plan.commit) return `trained at commit ${manifest.commit.slice(0, 7)}`;
  return undefined;
}

/**
 * The best succeeded run of an experiment by the model's primary metric, among the runs of the
 * experiment's current sweep trained at the current commit: run folders left from an earlier sweep
 * or commit are skipped, with a warning.
 */
export async function findBestRun(
  runsDir: string,
  experiment: string,
  model: Model,
  warn: (message: string) => void,
  plan: CurrentPlan,
): Promise<RunRecord> {
  const folder = join(runsDir, experiment);
  const names = await readdir(folder).catch(() => undefined);
  if (names === undefined) {
    throw new UserError(
      `no runs of experiment ${JSON.stringify(experiment)} in ${folder}; train it first (\`modelci run\` or \`modelci train ${experiment}\`)`,
    );
  }
  const runs: Array<RunRecord & { runId: string; metrics: Record<string, number | null> }> = [];
  const stale: string[] = [];
  for (const name of names.sort()) {
    const dir = join(folder, name);
    if (!(await stat(join(dir, "manifest.json")).catch(() => undefined))) continue;
    try {
      const run = await readRun(dir);
      const reason = staleReason(run.manifest, plan);
      if (reason !== undefined) stale.push(`${name} (${reason})`);
      else if (run.manifest.status === "succeeded")
        runs.push({ ...run, runId: basename(dir), metrics: rankingMetrics(run) });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      warn(`skipping ${dir}: ${error.message}`);
    }
  }
  const commit = plan.commit.slice(0, 7);
  if (stale.length > 0)
    warn(
      `skipping ${stale.length} run folder${stale.length === 1 ? "" : "s"} of ${experiment} not planned at commit ${commit}: ${stale.join(", ")}`,
    );
  const metric = model["primary-metric"];
  const best = pickBestRun(runs, metric, metricDirection(metric, model));
  if (best === undefined) {
    const none =
      runs.length === 0
        ? `no succeeded run of ${experiment}'s current sweep was trained at commit ${commit}`
        : `no succeeded run of ${experiment} in ${folder} has a value for ${metric}, the model's primary metric`;
    throw new UserError(
      `${none}; train it again (\`modelci run\` or \`modelci train ${experiment}\`), or name one run with --run ${experiment}/RUN-ID`,
    );
  }
  return { dir: best.dir, manifest: best.manifest, evaluation: best.evaluation };
}

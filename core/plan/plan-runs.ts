import picomatch from "picomatch";
import type { Experiment } from "../../schemas/index.ts";
import type { Declared, Project } from "../declarations/project.ts";
import { retrainMarkerPath } from "../retrain/decide-retrain.ts";
import type { ParamValue } from "../train/build-argv.ts";
import { chunkRuns, expandSweep, MAX_MATRIX_JOBS } from "../train/expand-sweep.ts";
import { resolveExperimentRunner } from "./resolve-experiment.ts";

/** One training job: an experiment with one combination of its sweep. */
export interface PlannedRun {
  experiment: string;
  model: string;
  runId: string;
  params: Record<string, ParamValue>;
  runsOn: string[];
  timeoutMinutes: number;
}

export interface PlannedExperiment {
  name: string;
  model: string;
  /** Why it was chosen, in plain words. */
  reasons: string[];
  runs: number;
}

export interface Plan {
  experiments: PlannedExperiment[];
  runs: PlannedRun[];
}

const MAX_LISTED = 3;

/** A reason naming the first few changed paths matching a glob. */
function matchReason(glob: string, paths: string[]): string {
  const listed = paths.slice(0, MAX_LISTED).join(", ");
  const more = paths.length > MAX_LISTED ? ` and ${paths.length - MAX_LISTED} more` : "";
  return `${listed}${more} ${paths.length === 1 ? "matches" : "match"} input ${glob}`;
}

/** Plans the experiments for which `reasonsFor` gives at least one reason, with every run of their sweeps. */
function planExperiments(project: Project, reasonsFor: (experiment: Declared<Experiment>) => string[]): Plan {
  const experiments: PlannedExperiment[] = [];
  const runs: PlannedRun[] = [];
  for (const experiment of [...project.experiments.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const reasons = reasonsFor(experiment);
    if (reasons.length === 0) continue;
    const { value } = experiment;
    const runner = resolveExperimentRunner(value, project.config);
    const expanded = expandSweep(value.params, value.sweep);
    for (const run of expanded) {
      runs.push({
        experiment: experiment.name,
        model: value.model,
        runId: run.runId,
        params: run.params,
        ...runner,
      });
    }
    experiments.push({ name: experiment.name, model: value.model, reasons, runs: expanded.length });
  }
  return { experiments, runs };
}

/**
 * The experiments a change affects and their runs. `changed` holds paths relative to the repository
 * folder (the same base as `project.root`). An experiment is affected when a changed path matches one
 * of its `inputs` globs, when its own file or its model's model.yaml changed, or when its model's
 * retraining marker (`models/<model>/retrain.json`, which retraining pull requests write) changed
 * and the model's `retrain.experiment` is unset or names it. Pure.
 */
export function planRuns(project: Project, changed: readonly string[]): Plan {
  const inRoot = changed
    .filter((path) => path.startsWith(project.root))
    .map((path) => path.slice(project.root.length));
  const changedSet = new Set(inRoot);
  return planExperiments(project, (experiment) => {
    const reasons: string[] = [];
    const ownFile = experiment.file.slice(project.root.length);
    if (changedSet.has(ownFile)) reasons.push(`${ownFile} changed`);
    const model = project.models.get(experiment.value.model);
    const modelFile = model?.file.slice(project.root.length);
    if (modelFile !== undefined && changedSet.has(modelFile)) reasons.push(`${modelFile} changed`);
    const marker = retrainMarkerPath(experiment.value.model);
    const retrains = model?.value.retrain?.experiment;
    if (changedSet.has(marker) && (retrains === undefined || retrains === experiment.name))
      reasons.push(`${marker} changed (retraining)`);
    for (const glob of experiment.value.inputs) {
      const isMatch = picomatch(glob, { dot: true });
      const matched = inRoot.filter((path) => isMatch(path));
      if (matched.length > 0) reasons.push(matchReason(glob, matched));
    }
    return reasons;
  });
}

/** Every experiment (or the named ones), for a local run with no change to compare. Pure. */
export function planAll(project: Project, only?: readonly string[]): Plan {
  return planExperiments(project, (experiment) =>
    only === undefined || only.includes(experiment.name) ? ["selected for this run"] : [],
  );
}

/** One entry of a GitHub Actions matrix: what a train job needs, by the names workflows use. */
export interface MatrixEntry {
  name: string;
  experiment: string;
  model: string;
  "run-id": string;
  params: Record<string, ParamValue>;
  "runs-on": string[];
  "timeout-minutes": number;
  /** The job's own limit: the run's timeout plus time to set up and upload, so the run's own timeout fires first. */
  "job-timeout-minutes": number;
}

/** Minutes a train job gets beyond its run's timeout, for checkout, setup and upload. */
export const JOB_TIMEOUT_MARGIN_MINUTES = 15;

/** The runs as GitHub Actions matrices (`{ include: [...] }`), each within the 256-job limit. */
export function toMatrices(runs: readonly PlannedRun[]): { include: MatrixEntry[] }[] {
  const entries = runs.map(
    (run): MatrixEntry => ({
      name: `${run.experiment}/${run.runId}`,
      experiment: run.experiment,
      model: run.model,
      "run-id": run.runId,
      params: run.params,
      "runs-on": run.runsOn,
      "timeout-minutes": run.timeoutMinutes,
      "job-timeout-minutes": Math.ceil(run.timeoutMinutes) + JOB_TIMEOUT_MARGIN_MINUTES,
    }),
  );
  return chunkRuns(entries, MAX_MATRIX_JOBS).map((include) => ({ include }));
}

/** One matrix with the 1-based numbers of its first and last run, for one train job of a workflow. */
export interface MatrixChunk {
  first: number;
  last: number;
  matrix: { include: MatrixEntry[] };
}

/** The matrices as chunks a workflow can fan out over (`strategy.matrix.chunk`). */
export function toChunks(matrices: readonly { include: MatrixEntry[] }[]): MatrixChunk[] {
  let next = 1;
  return matrices.map((matrix) => {
    const first = next;
    next += matrix.include.length;
    return { first, last: next - 1, matrix };
  });
}

/**
 * Runs modelci's reusable workflows the way GitHub's runner would, on this machine: jobs in `needs`
 * order, `if:` conditions, matrices, reusable-workflow calls, and each step for real. Steps of
 * this repository's Actions run their bundled dist/ as node processes with INPUT_* variables
 * (action.yml defaults included), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files and the event
 * payload; `run:` steps run in bash. GitHub's own Actions are emulated: checkout fetches the
 * commit from an origin repository at the requested depth, upload/download of artifacts copy
 * folders (the Actions copy to MODELCI_ARTIFACTS_DIR), setup-node uses this node. A step or
 * expression it does not know throws, so a workflow edit it cannot follow fails the test.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { runStep } from "./run-workflow-step.ts";
import { REPO_ROOT, tempDir } from "./temp-repo.ts";
import { condition, type ExpressionContext, interpolate, type Value } from "./workflow-expressions.ts";

export interface Runner {
  /** The repository the checkout fetches from (a local git repository). */
  origin: string;
  /** The github context: event_name, event, repository, sha, token. */
  github: { [key: string]: Value };
  /** Extra environment for every step (GITHUB_API_URL…). */
  env: Record<string, string>;
  /** Where uploaded artifacts go, one folder each. */
  artifacts: string;
  /** RUNNER_TOOL_CACHE, shared by every job. */
  toolCache: string;
}

export interface StepRecord {
  job: string;
  step: string;
  code: number;
  outputs: Record<string, string>;
  log: string;
  summary: string;
  /** Wall time of the step, for the log when a test fails. */
  ms: number;
}

interface Job {
  name?: string;
  needs?: string | string[];
  if?: string | boolean;
  "runs-on"?: unknown;
  "timeout-minutes"?: unknown;
  strategy?: { matrix?: unknown };
  outputs?: Record<string, string>;
  uses?: string;
  with?: Record<string, unknown>;
  steps?: Step[];
}

export interface Step {
  id?: string;
  name?: string;
  if?: string | boolean;
  uses?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  run?: string;
}

interface Workflow {
  on: {
    workflow_call?: {
      inputs?: Record<string, { default?: Value }>;
      outputs?: Record<string, { value: string }>;
    };
  };
  jobs: Record<string, Job>;
}

type JobResult = { result: "success" | "failure" | "skipped"; outputs: Record<string, Value> };

const OWN = /^modelci\/modelci\/(.+)@v1$/;

export function readWorkflow(path: string): Workflow {
  return parse(readFileSync(path, "utf8")) as Workflow;
}

/** Runs a reusable workflow of this repository (a path under .github/workflows) with `inputs`. */
export async function runWorkflow(
  file: string,
  inputs: Record<string, Value>,
  runner: Runner,
  records: StepRecord[],
): Promise<{ outputs: Record<string, Value>; jobs: Record<string, JobResult> }> {
  const workflow = readWorkflow(join(REPO_ROOT, file));
  const declared = workflow.on.workflow_call?.inputs ?? {};
  for (const name of Object.keys(inputs)) {
    if (!(name in declared)) throw new Error(`${file} has no input ${name}`);
  }
  const withDefaults = Object.fromEntries(
    Object.entries(declared).map(([name, input]) => [name, inputs[name] ?? input.default ?? ""]),
  );
  const jobs: Record<string, JobResult> = {};
  for (const name of order(workflow.jobs)) {
    jobs[name] = await runJob(name, workflow.jobs[name] as Job, withDefaults, jobs, runner, records);
  }
  const context: ExpressionContext = { contexts: { jobs, inputs: withDefaults }, succeeded: true };
  const outputs = Object.fromEntries(
    Object.entries(workflow.on.workflow_call?.outputs ?? {}).map(([k, v]) => [
      k,
      interpolate(v.value, context),
    ]),
  );
  return { outputs, jobs };
}

function needsOf(job: Job): string[] {
  return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}

/** Job names in an order that runs every job after the jobs it needs. */
function order(jobs: Record<string, Job>): string[] {
  const done: string[] = [];
  const visit = (name: string, path: string[]): void => {
    if (done.includes(name)) return;
    if (path.includes(name) || jobs[name] === undefined) throw new Error(`bad needs: ${path.join(" → ")}`);
    for (const need of needsOf(jobs[name] as Job)) visit(need, [...path, name]);
    done.push(name);
  };
  for (const name of Object.keys(jobs)) visit(name, []);
  return done;
}

async function runJob(
  name: string,
  job: Job,
  inputs: Record<string, Value>,
  finished: Record<string, JobResult>,
  runner: Runner,
  records: StepRecord[],
): Promise<JobResult> {
  const needs = Object.fromEntries(needsOf(job).map((n) => [n, finished[n] as unknown as Value]));
  const contexts = { github: runner.github, inputs, needs };
  const succeeded = needsOf(job).every((n) => finished[n]?.result === "success");
  if (!condition(job.if, { contexts, succeeded })) return { result: "skipped", outputs: {} };
  let ok = true;
  let outputs: Record<string, Value> = {};
  for (const matrix of expandMatrix(job.strategy?.matrix, { contexts, succeeded: true })) {
    const context: ExpressionContext = { contexts: { ...contexts, matrix }, succeeded: true };
    const label = String(interpolate(job.name ?? name, context));
    interpolate(job["runs-on"], context);
    interpolate(job["timeout-minutes"], context);
    if (job.uses !== undefined) {
      const called = OWN.exec(job.uses);
      if (called === null) throw new Error(`job ${name}: cannot call ${job.uses}`);
      const calledInputs = interpolate(job.with ?? {}, context) as Record<string, Value>;
      const result = await runWorkflow(called[1] as string, calledInputs, runner, records);
      ok &&= Object.values(result.jobs).every((j) => j.result !== "failure");
    } else {
      const result = await runSteps(label, job.steps ?? [], context, runner, records);
      ok &&= result.ok;
      outputs = interpolate(job.outputs ?? {}, {
        contexts: { ...context.contexts, steps: result.steps },
        succeeded: result.ok,
      }) as Record<string, Value>;
    }
  }
  return { result: ok ? "success" : "failure", outputs };
}

/** The combinations of a matrix: the cartesian product of its lists, or its `include` entries. */
function expandMatrix(matrix: unknown, context: ExpressionContext): Value[] {
  if (matrix === undefined) return [null];
  const value = interpolate(matrix, context);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new Error(`matrix not understood: ${JSON.stringify(value)}`);
  }
  const { include, ...lists } = value;
  if ("exclude" in lists) throw new Error("matrix exclude not understood");
  const keys = Object.keys(lists);
  if (keys.length > 0 && include !== undefined)
    throw new Error("matrix with lists and include not understood");
  if (keys.length === 0) return Array.isArray(include) ? include : [];
  let combos: Record<string, Value>[] = [{}];
  for (const key of keys) {
    const list = lists[key];
    if (!Array.isArray(list)) throw new Error(`matrix.${key} is not a list`);
    combos = combos.flatMap((combo) => list.map((item) => ({ ...combo, [key]: item })));
  }
  return combos;
}

async function runSteps(
  job: string,
  steps: Step[],
  context: ExpressionContext,
  runner: Runner,
  records: StepRecord[],
): Promise<{ ok: boolean; steps: Record<string, Value> }> {
  const workspace = tempDir();
  const done: Record<string, Value> = {};
  let ok = true;
  for (const [index, step] of steps.entries()) {
    const here: ExpressionContext = {
      contexts: { ...context.contexts, steps: done, env: {} },
      succeeded: ok,
    };
    if (!condition(step.if, here)) continue;
    const inputs = interpolate(step.with ?? {}, here) as Record<string, Value>;
    const env = interpolate(step.env ?? {}, here) as Record<string, Value>;
    const label = step.name ?? step.id ?? step.uses ?? `step ${index + 1}`;
    const started = performance.now();
    const record = await runStep(step, inputs, env, workspace, runner);
    records.push({ job, step: label, ...record, ms: Math.round(performance.now() - started) });
    if (step.id !== undefined) {
      done[step.id] = { outputs: record.outputs, outcome: record.code === 0 ? "success" : "failure" };
    }
    if (record.code !== 0) ok = false;
  }
  return { ok, steps: done };
}

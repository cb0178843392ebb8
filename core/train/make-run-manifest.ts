/**
 * Builds the run manifest from what a training run did. The status is decided here, once: a run
 * succeeds only when its command exited 0, every declared output exists and its metrics file is a JSON
 * object of finite numbers.
 */
import {
  type DataDigest,
  type OutputDigest,
  type RunManifest,
  type RunStatus,
  runManifestSchema,
} from "../../schemas/run-manifest.ts";
import type { ParamValue } from "./build-argv.ts";

export type { RunManifest, RunStatus } from "../../schemas/run-manifest.ts";

export interface RunManifestInput {
  experiment: string;
  runId: string;
  params: Record<string, ParamValue>;
  argv: string[];
  commit: string;
  dirty: boolean;
  data: Record<string, DataDigest>;
  /** Each declared output with its digest, or null when the run did not write it. */
  outputs: Record<string, { path: string; digest: { sha256: string; size: number } | null }>;
  /** The declared metrics file and its text, or null when it is missing; absent when none is declared. */
  metrics?: { path: string; text: string | null };
  startedAt: string;
  finishedAt: string;
  wallTimeMs: number;
  host: { name: string; platform: string; arch: string; cpus: number; memoryMiB: number };
  gpus: Array<{ name: string; memoryMiB: number }>;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** The timeout that applied, for the reason of a timed-out run. */
  timeoutMs?: number;
  /** Why the command could not run at all (for example `command not found: python`). */
  error?: string;
  /** The last lines of output; kept in the manifest only when the run did not succeed. */
  logTail: string[];
}

export function makeRunManifest(input: RunManifestInput): RunManifest {
  const metrics = input.metrics === undefined ? { values: {} } : parseMetrics(input.metrics);
  const outputs: Record<string, OutputDigest> = {};
  const missingOutputs: string[] = [];
  for (const [name, output] of Object.entries(input.outputs)) {
    if (output.digest !== null) outputs[name] = { path: output.path, ...output.digest };
    else if (output.path !== input.metrics?.path) missingOutputs.push(`output "${name}" (${output.path})`);
  }

  const { status, reason } = decideStatus(input, missingOutputs, metrics.problem);
  return runManifestSchema.parse({
    "manifest-version": 1,
    experiment: input.experiment,
    "run-id": input.runId,
    status,
    ...(reason === undefined ? {} : { reason }),
    params: input.params,
    argv: input.argv,
    commit: input.commit,
    dirty: input.dirty,
    data: input.data,
    outputs,
    metrics: metrics.values,
    "started-at": input.startedAt,
    "finished-at": input.finishedAt,
    "wall-time-ms": input.wallTimeMs,
    host: {
      name: input.host.name,
      platform: input.host.platform,
      arch: input.host.arch,
      cpus: input.host.cpus,
      "memory-mib": input.host.memoryMiB,
    },
    gpus: input.gpus.map((gpu) => ({ name: gpu.name, "memory-mib": gpu.memoryMiB })),
    "exit-code": input.exitCode,
    signal: input.signal,
    ...(status === "succeeded" ? {} : { "log-tail": input.logTail }),
  });
}

/** The process's result comes first; only a clean exit is judged by its outputs and metrics. */
function decideStatus(
  input: RunManifestInput,
  missingOutputs: string[],
  metricsProblem: string | undefined,
): { status: RunStatus; reason?: string } {
  if (input.timedOut) {
    const limit = input.timeoutMs === undefined ? "" : ` after ${formatDuration(input.timeoutMs)}`;
    return { status: "timed-out", reason: `the command timed out${limit} and was stopped` };
  }
  if (input.error !== undefined) return { status: "failed", reason: input.error };
  if (input.signal !== null) return { status: "failed", reason: `the command was killed by ${input.signal}` };
  if (input.exitCode !== 0) {
    const how = input.exitCode === null ? "did not exit normally" : `exited with code ${input.exitCode}`;
    return { status: "failed", reason: `the command ${how}` };
  }
  const problems = [...missingOutputs.map((output) => `${output} was not written`)];
  if (metricsProblem !== undefined) problems.push(metricsProblem);
  if (problems.length > 0) return { status: "failed", reason: problems.join("; ") };
  return { status: "succeeded" };
}

/** Metrics must be a JSON object whose values are all finite numbers; anything else is a problem. */
function parseMetrics(file: { path: string; text: string | null }): {
  values: Record<string, number>;
  problem?: string;
} {
  if (file.text === null) return { values: {}, problem: `metrics file ${file.path} was not written` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(file.text);
  } catch (error) {
    const detail = error instanceof Error ? `: ${error.message}` : "";
    return { values: {}, problem: `metrics file ${file.path} is not valid JSON${detail}` };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return { values: {}, problem: `metrics file ${file.path} must be a JSON object of numbers` };
  }
  const entries: Array<[string, number]> = [];
  for (const [name, value] of Object.entries(parsed)) {
    if (name === "__proto__")
      return { values: {}, problem: `metrics file ${file.path}: "__proto__" is not a metric name` };
    if (typeof value !== "number" || !Number.isFinite(value)) {
      return {
        values: {},
        problem: `metrics file ${file.path}: "${name}" must be a finite number, got ${JSON.stringify(value)}`,
      };
    }
    entries.push([name, value]);
  }
  return { values: Object.fromEntries(entries) };
}

function formatDuration(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}

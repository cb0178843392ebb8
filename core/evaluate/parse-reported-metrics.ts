/** Metrics JSON written by a user's evaluation command (`modelci evaluate --command … --metrics FILE`). */
import type { SelfReportedEvaluation } from "../../schemas/evaluation-result.ts";
import { UserError } from "../errors.ts";
import type { Task } from "./model-info.ts";

/** Parses `{ "name": number, … }`; anything else is an error that names the file and the key. */
export function parseReportedMetrics(path: string, text: string): Record<string, number> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(`${path}: the metrics file is not valid JSON (${reason})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const kind = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
    throw new UserError(
      `${path}: the metrics file must hold a JSON object of metric names and numbers, got ${kind}`,
    );
  }
  const metrics: Record<string, number> = {};
  for (const [name, metric] of Object.entries(value)) {
    if (typeof metric !== "number" || !Number.isFinite(metric)) {
      throw new UserError(
        `${path}: metric ${JSON.stringify(name)} must be a finite number, got ${JSON.stringify(metric) ?? String(metric)}`,
      );
    }
    metrics[name] = metric;
  }
  if (Object.keys(metrics).length === 0) throw new UserError(`${path}: the metrics file has no metrics`);
  return metrics;
}

/** The result of a self-reported evaluation: the command's metrics as they are, no model digest. */
export function makeSelfReportedResult(input: {
  task?: Task | undefined;
  command: string[];
  metricsFile: string;
  metrics: Record<string, number>;
  wallMs: number;
}): SelfReportedEvaluation {
  return {
    "result-version": 1,
    "self-reported": true,
    ...(input.task === undefined ? {} : { task: input.task }),
    command: input.command,
    "metrics-file": input.metricsFile,
    metrics: input.metrics,
    "wall-time-ms": input.wallMs,
  };
}

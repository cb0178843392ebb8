/**
 * Self-reported evaluation, for models that are not tabular ONNX: run the user's evaluation command
 * (no shell) and read the metrics JSON it writes. modelci checks the numbers, not how they were made,
 * so the result says `"self-reported": true` and carries no model digest.
 */
import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { UserError } from "../../core/errors.ts";
import type { Task } from "../../core/evaluate/model-info.ts";
import { makeSelfReportedResult, parseReportedMetrics } from "../../core/evaluate/parse-reported-metrics.ts";
import { buildArgv } from "../../core/train/build-argv.ts";
import type { SelfReportedEvaluation } from "../../schemas/evaluation-result.ts";
import { type OutputStream, runCommand } from "../process/run-command.ts";

/** File-system timestamps can lag the clock a little; a file this much older still counts as new. */
const CLOCK_SLACK_MS = 2000;

export interface EvaluateWithCommandOptions {
  command: string;
  metricsFile: string;
  task?: Task | undefined;
  cwd?: string | undefined;
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  onLine?: ((stream: OutputStream, line: string) => void) | undefined;
}

export async function evaluateWithCommand(
  options: EvaluateWithCommandOptions,
): Promise<SelfReportedEvaluation> {
  const argv = buildArgv(options.command, {});
  const startedAt = Date.now();
  const run = await runCommand({
    argv,
    cwd: options.cwd,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    onLine: options.onLine,
    tailLines: 20,
  });
  if (run.timedOut) throw new UserError(`evaluation command timed out: ${argv.join(" ")}`);
  if (run.exitCode !== 0) {
    const how = run.exitCode === null ? `was killed by ${run.signal}` : `exited with code ${run.exitCode}`;
    const tail = run.tail.length > 0 ? `; its last output:\n  ${run.tail.slice(-10).join("\n  ")}` : "";
    throw new UserError(`evaluation command ${how}: ${argv.join(" ")}${tail}`);
  }
  const path = options.metricsFile;
  const where = options.cwd === undefined ? path : `${path} (under ${options.cwd})`;
  const fullPath = resolve(options.cwd ?? ".", path);
  let text: string;
  try {
    const info = await stat(fullPath);
    if (info.mtimeMs < startedAt - CLOCK_SLACK_MS) {
      throw new UserError(
        `${where}: the evaluation command did not write its metrics file (the file is older than the run)`,
      );
    }
    text = await readFile(fullPath, "utf8");
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new UserError(`${where}: the evaluation command exited 0 but wrote no metrics file`, {
        cause: error,
      });
    }
    if (code === "EISDIR") throw new UserError(`${where}: is a directory, expected a metrics JSON file`);
    throw error;
  }
  return makeSelfReportedResult({
    task: options.task,
    command: argv,
    metricsFile: path,
    metrics: parseReportedMetrics(path, text),
    wallMs: run.durationMs,
  });
}

/**
 * Reads evaluation results and run manifests for `modelci compare` and the report Action: files,
 * or folders searched for them (a downloaded matrix of run artifacts). Each JSON file is recognized
 * by its content: `result-version` for a result, `manifest-version` for a manifest.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { z } from "zod";
import type { Loaded } from "../../core/compare/compare-run-outputs.ts";
import { formatFieldPath } from "../../core/declarations/diagnostic.ts";
import { UserError } from "../../core/errors.ts";
import { type EvaluationFailure, evaluationFailureSchema } from "../../schemas/evaluation-failure.ts";
import { type EvaluationResult, evaluationResultSchema } from "../../schemas/evaluation-result.ts";
import { type RunManifest, runManifestSchema } from "../../schemas/run-manifest.ts";

export type { Loaded };

export interface RunOutputs {
  results: Loaded<EvaluationResult>[];
  manifests: Loaded<RunManifest>[];
  /** Why trained runs have no result (evaluation-error.json). */
  failures: Loaded<EvaluationFailure>[];
}

/** Larger files are refused before they are read. */
const MAX_BYTES = 64 * 1024 * 1024;

/** Every result and manifest under the given files and folders, in path order within a folder. */
export async function readRunOutputs(paths: readonly string[]): Promise<RunOutputs> {
  const outputs: RunOutputs = { results: [], manifests: [], failures: [] };
  /** Files already read: a folder named by --results and by --manifests counts once. */
  const seen = new Set<string>();
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info === undefined) throw new UserError(`${path}: no such file or folder`);
    if (!info.isDirectory()) {
      if (!firstTime(seen, path)) continue;
      if (!(await readOne(path, outputs, true))) {
        throw new UserError(`${path}: neither an evaluation result nor a run manifest`);
      }
      continue;
    }
    const files = (await readdir(path, { recursive: true })).filter((name) => name.endsWith(".json")).sort();
    let found = 0;
    for (const name of files) {
      const file = join(path, name);
      if (!(await stat(file)).isFile()) continue;
      if (!firstTime(seen, file)) found += 1;
      else if (await readOne(file, outputs, false)) found += 1;
    }
    if (found === 0) throw new UserError(`${path}: no evaluation results or run manifests in this folder`);
  }
  return outputs;
}

/** Whether `file` (by its real path) was not seen before; records it. */
function firstTime(seen: Set<string>, file: string): boolean {
  const key = resolve(file);
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
}

/** Adds the file to the outputs; false when it is JSON of another kind (or, found in a folder, too big to be one). */
async function readOne(file: string, outputs: RunOutputs, named: boolean): Promise<boolean> {
  const { size } = await stat(file);
  if (size > MAX_BYTES) {
    if (!named) return false;
    throw new UserError(`${file}: ${size} bytes; results and manifests are far smaller`);
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new UserError(`${file}: not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return false;
  if ("result-version" in json) {
    outputs.results.push({ file, value: parse(file, json, evaluationResultSchema, "evaluation result") });
    return true;
  }
  if ("failure-version" in json) {
    outputs.failures.push({ file, value: parse(file, json, evaluationFailureSchema, "evaluation failure") });
    return true;
  }
  if ("manifest-version" in json) {
    outputs.manifests.push({ file, value: parse(file, json, runManifestSchema, "run manifest") });
    return true;
  }
  return false;
}

function parse<T>(file: string, json: unknown, schema: z.ZodType<T>, what: string): T {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue === undefined ? "" : formatFieldPath(issue.path as (string | number)[]);
  throw new UserError(`${file}: not a valid ${what}: ${field === "" ? "" : `${field}: `}${issue?.message}`);
}

/**
 * `modelci drift --target T`: for every model the target serves, the served version's reference
 * profile (from the artifact store, digest checked) against the target's `monitoring.current`
 * data (a file, or a command's JSON Lines output), with the target's `monitoring.drift` settings.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  checkDrift,
  checkFeature,
  DEFAULT_DRIFT_OPTIONS,
  type DriftOptions,
} from "../../core/drift/check-drift.ts";
import { referenceSample } from "../../core/drift/reference-profile.ts";
import { UserError } from "../../core/errors.ts";
import { buildArgv } from "../../core/train/build-argv.ts";
import type { Deployment } from "../../schemas/deployment.ts";
import type { TargetDriftResult } from "../../schemas/drift-result.ts";
import { type ReferenceProfile, referenceProfileSchema } from "../../schemas/reference-profile.ts";
import type { Version } from "../../schemas/version.ts";
import { readDriftTable } from "../data/read-drift-table.ts";
import type { Ort } from "../onnx/create-session.ts";
import { runCommand } from "../process/run-command.ts";
import { fetchArtifact } from "../stores/create-artifact-store.ts";
import { loadValidProject } from "./load-valid-project.ts";
import { predictTable } from "./predict-table.ts";

export interface TargetDriftOptions {
  /** The repository folder. */
  root: string;
  target: string;
  /** Settings given on the command line, over the target's. */
  overrides: Partial<DriftOptions>;
  columns?: readonly string[] | undefined;
  env?: NodeJS.ProcessEnv;
  loadOrt: () => Promise<Ort>;
  /** Problems that leave part of the check out (prediction drift without onnxruntime). */
  warn?: (message: string) => void;
}

/** The drift settings of a target: its monitoring.drift, then the overrides. */
export function targetDriftOptions(deployment: Deployment, overrides: Partial<DriftOptions>): DriftOptions {
  const declared = deployment.monitoring?.drift;
  const fromFile: Partial<DriftOptions> = declared
    ? {
        method: declared.method,
        share: declared.share,
        ...(declared.correction === "bh" ? { correction: "bh" as const } : {}),
        ...(declared["min-rows"] === undefined ? {} : { minRows: declared["min-rows"] }),
        // the declared threshold belongs to the declared method
        ...(declared.threshold === undefined || (overrides.method ?? declared.method) !== declared.method
          ? {}
          : { threshold: declared.threshold }),
      }
    : {};
  return { ...DEFAULT_DRIFT_OPTIONS, ...fromFile, ...overrides };
}

/** The path of the current data: the declared file, or a temporary file of the command's output. */
async function currentData(
  dir: string,
  file: string,
  current: NonNullable<Deployment["monitoring"]>["current"],
  work: string,
): Promise<string> {
  if (current.path !== undefined) return join(dir, current.path);
  if (current.command === undefined) {
    throw new UserError(`${file}: monitoring.current needs a path or a command`);
  }
  const lines: string[] = [];
  const result = await runCommand({
    argv: buildArgv(current.command, {}),
    cwd: dir,
    timeoutMs: 10 * 60_000,
    onLine: (stream, line) => {
      if (stream === "stdout") lines.push(line);
    },
  });
  if (result.exitCode !== 0) {
    throw new UserError(
      `${file}: monitoring.current.command failed (${result.timedOut ? "timed out" : `exit ${result.exitCode ?? result.signal}`}): ${result.tail.slice(-3).join(" | ")}`,
    );
  }
  const path = join(work, "current.jsonl");
  await writeFile(path, `${lines.join("\n")}\n`);
  return path;
}

async function readReference(
  versionFile: string,
  version: Version,
  context: Parameters<typeof fetchArtifact>[1],
): Promise<ReferenceProfile> {
  if (version.reference === undefined) {
    throw new UserError(
      `${versionFile} has no reference profile: it was registered before modelci stored one. Register a new version, or run \`modelci drift --reference <training data> --current <data>\``,
    );
  }
  const path = await fetchArtifact(version.reference, context);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new UserError(
      `${version.reference.uri}: not a JSON reference profile: ${(error as Error).message}`,
    );
  }
  const checked = referenceProfileSchema.safeParse(parsed);
  if (!checked.success) {
    throw new UserError(
      `${version.reference.uri}: not a reference profile: ${checked.error.issues[0]?.message}`,
    );
  }
  return checked.data;
}

/** The version a target serves: `version`, or the canary split's heaviest (the later on a tie). */
export function servedVersion(served: Deployment["models"][string]): number | undefined {
  if (served.version !== undefined) return served.version;
  const split = [...(served.canary ?? [])].sort((a, b) => b.weight - a.weight || b.version - a.version);
  return split[0]?.version;
}

/** Every served model's drift on the target. */
export async function checkTargetDrift(options: TargetDriftOptions): Promise<TargetDriftResult> {
  const project = await loadValidProject(options.root);
  const declared = project.deployments.get(options.target);
  if (declared === undefined) {
    const names = [...project.deployments.keys()];
    throw new UserError(
      `no deployment target ${JSON.stringify(options.target)}; declared: ${names.join(", ") || "none"}`,
    );
  }
  const deployment = declared.value;
  if (deployment.monitoring === undefined) {
    throw new UserError(`${declared.file} declares no monitoring, so there is no current data to check`);
  }
  const dir = join(options.root, project.root);
  const drift = targetDriftOptions(deployment, options.overrides);
  const context = { dir: options.root, config: project.config, env: options.env ?? process.env };
  const work = await mkdtemp(join(tmpdir(), "modelci-drift-"));
  try {
    const currentPath = await currentData(dir, declared.file, deployment.monitoring.current, work);
    const models: TargetDriftResult["models"] = {};
    for (const [model, served] of Object.entries(deployment.models)) {
      const number = servedVersion(served);
      if (number === undefined) throw new UserError(`${declared.file}: models.${model} names no version`);
      const version = project.versions.get(model)?.get(number);
      if (version === undefined) {
        throw new UserError(`${declared.file}: ${model} version ${number} is not registered`);
      }
      const reference = await readReference(version.file, version.value, context);
      const names = options.columns ?? Object.keys(reference.features);
      const current = await readDriftTable(currentPath, { model, columns: names });
      const columns = new Map(
        names.map((name) => {
          const column = reference.features[name];
          const cur = current.columns.get(name);
          if (column === undefined || cur === undefined) {
            throw new UserError(
              `${version.file}: the reference profile has no feature ${JSON.stringify(name)}`,
            );
          }
          return [name, { reference: referenceSample(column), current: cur }];
        }),
      );
      const result = checkDrift(
        { columns, rows: { reference: reference.rows, current: current.rows } },
        drift,
      );
      let predictions = reference.predictions === undefined ? undefined : current.predictions;
      if (reference.predictions !== undefined && predictions === undefined) {
        try {
          predictions = await predictTable({
            loadOrt: options.loadOrt,
            modelPath: await fetchArtifact(version.value.artifact, context),
            dataPath: currentPath,
            model,
          });
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
          options.warn?.(`${model}: no prediction drift: ${error.message}`);
        }
      }
      models[model] = {
        version: number,
        ...result,
        ...(reference.predictions !== undefined && predictions !== undefined
          ? {
              prediction: checkFeature(
                { reference: referenceSample(reference.predictions), current: predictions },
                drift,
              ),
            }
          : {}),
      };
    }
    const drifted = Object.values(models).some((m) => m.dataset.verdict === "drift");
    return { target: options.target, drifted, models };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

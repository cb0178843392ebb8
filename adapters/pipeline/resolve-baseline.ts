/**
 * The baseline a candidate is compared with, as a verified local ONNX file: by default the
 * model's champion (the version its baseline target serves), or what `--baseline` names:
 * `MODEL@champion`, `MODEL@vN`, `MODEL@TARGET`, a store URI, or a file.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Declared, Project } from "../../core/declarations/project.ts";
import { describeError, UserError } from "../../core/errors.ts";
import { parseArtifactUri } from "../../core/registry/artifact-uri.ts";
import { findChampion } from "../../core/registry/find-champion.ts";
import { selectVersion } from "../../core/registry/select-version.ts";
import type { Version } from "../../schemas/version.ts";
import { fetchArtifact } from "../stores/create-artifact-store.ts";

export interface Baseline {
  /** The baseline's ONNX file; from a store, its sha256 was verified. */
  path: string;
  /** What it is, for logs: `weather v1, the champion (production)`. */
  description: string;
}

export interface Champion extends Baseline {
  version: number;
  target: string;
}

export interface BaselineContext {
  /** The repository folder, where modelci.yaml is. */
  dir: string;
  /** The working tree's declarations: where the artifact store is, and the registered versions. */
  project: Project;
  env: NodeJS.ProcessEnv;
}

/** A registered version's artifact, fetched from its store and verified against its sha256. */
async function fetchVersion(context: BaselineContext, model: string, declared: Declared<Version>) {
  try {
    return await fetchArtifact(declared.value.artifact, {
      dir: context.dir,
      config: context.project.config,
      env: context.env,
    });
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    throw new UserError(`${model} v${declared.value.version} (${declared.file}): ${describeError(error)}`, {
      cause: error,
    });
  }
}

/**
 * The model's champion by `declarations` (default: the working tree's; a pull request passes its
 * base's, so a change to deployments/ does not pick its own baseline), or undefined when its
 * baseline target serves no version of it yet.
 */
export async function fetchChampion(
  context: BaselineContext,
  model: string,
  declarations: Project = context.project,
): Promise<Champion | undefined> {
  const champion = findChampion(declarations, model);
  if (champion === undefined) return undefined;
  const declared = declarations.versions.get(model)?.get(champion.version);
  if (declared === undefined) {
    throw new UserError(
      `${model}'s champion is version ${champion.version} (deployments/${champion.target}.yaml), but models/${model}/versions/${champion.version}.yaml is not declared`,
    );
  }
  const path = await fetchVersion(context, model, declared);
  return {
    path,
    version: champion.version,
    target: champion.target,
    description: `${model} v${champion.version}, the champion (${champion.target})`,
  };
}

const REFERENCE = /^([a-z0-9][a-z0-9._-]*)@([^/\\]+)$/;
const STORE_URI = /^(local|release):/;

/** Resolves what `--baseline` (or the Action's `baseline` input) names. */
export async function resolveBaseline(spec: string, context: BaselineContext): Promise<Baseline> {
  if (existsSync(resolve(spec))) return { path: spec, description: spec };
  if (STORE_URI.test(spec)) return resolveUri(spec, context);
  const reference = REFERENCE.exec(spec);
  if (reference === null) return { path: spec, description: spec };
  const [, model = ""] = reference;
  const selection = selectVersion(context.project, spec);
  if (selection.kind === "version") {
    const declared = selection.version;
    const path = await fetchVersion(context, model, declared);
    return { path, description: `${model} v${declared.value.version} (${spec})` };
  }
  const [top] = selection.serving;
  if (top === undefined) throw new UserError(`${selection.target} serves no version of ${model}`);
  if (top.declared === undefined) {
    throw new UserError(
      `${selection.target} serves ${model} v${top.version}, but models/${model}/versions/${top.version}.yaml is not declared`,
    );
  }
  const path = await fetchVersion(context, model, top.declared);
  return { path, description: `${model} v${top.version} (${spec})` };
}

/** A store URI: the registered version that holds it, else (local store only) its content address. */
async function resolveUri(uri: string, context: BaselineContext): Promise<Baseline> {
  for (const [model, versions] of context.project.versions) {
    for (const declared of versions.values()) {
      if (declared.value.artifact.uri === uri) {
        const path = await fetchVersion(context, model, declared);
        return { path, description: `${model} v${declared.value.version} (${uri})` };
      }
    }
  }
  const parsed = parseArtifactUri(uri);
  if (parsed.kind !== "local") {
    throw new UserError(
      `no registered version has the artifact ${uri}, so its sha256 is unknown; name it as MODEL@vN`,
    );
  }
  const path = await fetchArtifact(
    { uri, sha256: parsed.sha256 },
    { dir: context.dir, config: context.project.config, env: context.env },
  );
  return { path, description: uri };
}

/**
 * The baseline of an experiment's candidate: what `spec` names (`none`: no baseline), else the
 * champion of the experiment's model by `declarations`. Undefined for an experiment that reports
 * its own metrics (`evaluate.command`), which has no ONNX model to score.
 */
export async function experimentBaseline(
  context: BaselineContext,
  experiment: string,
  spec: string | undefined,
  declarations: Project = context.project,
): Promise<Baseline | undefined> {
  const declared = context.project.experiments.get(experiment)?.value;
  if (declared === undefined) return undefined;
  if (declared.evaluate?.command !== undefined && declared.evaluate.metrics !== undefined) return undefined;
  if (spec === "none") return undefined;
  if (spec !== undefined) return resolveBaseline(spec, context);
  return fetchChampion(context, declared.model, declarations);
}

/**
 * `modelci register`: turns a succeeded training run into `models/<model>/versions/<n>.yaml`, with
 * the model file stored in the artifact store. Everything is read and checked before anything is
 * stored; the version file is written last, in one step, and never over an existing one. When two
 * registrations race for a number, the loser takes the next one.
 */

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join, relative, sep } from "node:path";
import { didYouMean } from "../../core/declarations/did-you-mean.ts";
import { parseDeclaration } from "../../core/declarations/parse-declaration.ts";
import type { Project } from "../../core/declarations/project.ts";
import { UserError } from "../../core/errors.ts";
import type { ModelInfo } from "../../core/evaluate/model-info.ts";
import {
  ArtifactSlotTakenError,
  type ArtifactStore,
  type ArtifactStoreKind,
  type StoredArtifact,
} from "../../core/registry/artifact-store.ts";
import { localUri } from "../../core/registry/artifact-uri.ts";
import { makeVersion, signatureOf, versionMetrics } from "../../core/registry/make-version.ts";
import { nextVersionNumber } from "../../core/registry/next-version-number.ts";
import { renderVersionFile } from "../../core/registry/render-version-file.ts";
import { selectRuns } from "../../core/train/select-runs.ts";
import type { Experiment } from "../../schemas/index.ts";
import type { ReferenceProfile } from "../../schemas/reference-profile.ts";
import type { Version } from "../../schemas/version.ts";
import { hashFile } from "../files/hash-file.ts";
import { listFileNames, publishNewFile } from "../files/publish-new-file.ts";
import { currentCommit } from "../git/changed-paths.ts";
import type { Ort } from "../onnx/create-session.ts";
import { loadOnnxruntime } from "../onnx/load-onnxruntime.ts";
import { readModelInfo } from "../onnx/read-model-info.ts";
import { createArtifactStore } from "../stores/create-artifact-store.ts";
import { loadValidProject } from "./load-valid-project.ts";
import { predictRows } from "./predict-table.ts";
import { profileTrainingData } from "./profile-training-data.ts";
import { findBestRun, locateRun, type RunRecord, readRun } from "./read-run.ts";
import { DEFAULT_RUNS_DIR } from "./train-experiment.ts";

const MAX_ATTEMPTS = 100;

export interface RegisterOptions {
  /** The repository folder (where modelci.yaml is). */
  dir: string;
  model: string;
  /** A run folder, its manifest.json, or `<experiment>/<run-id>`; with `best`, an experiment name. */
  run: string;
  /** Pick the best succeeded run of the experiment `run` by the model's primary metric. */
  best?: boolean;
  /** Register a model file that is byte-identical to a registered version's artifact anyway. */
  force?: boolean;
  /** The store to use; default `artifacts.store` in modelci.yaml. */
  storeKind?: ArtifactStoreKind;
  /** A ready store (tests, or callers that built one); overrides `storeKind`. */
  store?: ArtifactStore;
  /** Environment for the stores (GITHUB_TOKEN, GITHUB_API_URL, GITHUB_REPOSITORY); default process.env. */
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  warn?: (message: string) => void;
  /** onnxruntime, for the reference predictions; default: onnxruntime-node. */
  loadOrt?: () => Promise<Ort>;
}

export interface RegisteredVersion {
  model: string;
  version: number;
  /** The version file, relative to `dir` (POSIX separators), and absolute. */
  file: string;
  path: string;
  value: Version;
  run: { experiment: string; runId: string; dir: string };
  /** Whether the metrics came from the run's evaluation.json or from training. */
  metricsFrom: "evaluation" | "training";
}

/** The run's model file (its copy in the run folder), checked against the manifest's sha256. */
async function verifiedModelFile(run: RunRecord, name: string): Promise<string> {
  const output = run.manifest.outputs.model;
  if (output === undefined) throw new UserError(`run ${name} recorded no model output`);
  const file = join(run.dir, "outputs", output.path);
  let found: string;
  try {
    found = (await hashFile(file)).sha256;
  } catch (error) {
    if (error instanceof UserError) throw new UserError(`run ${name}: its model file ${file} is missing`);
    throw error;
  }
  if (found !== output.sha256) {
    throw new UserError(
      `run ${name}: ${file} no longer matches its manifest (sha256 ${output.sha256} recorded, ${found} now); it was changed after training, so it will not be registered`,
    );
  }
  return file;
}

/** The model's ONNX description, or undefined for a model file that is not ONNX (and not named .onnx). */
async function describeModel(file: string): Promise<ModelInfo | undefined> {
  try {
    return (await readModelInfo(file)).info;
  } catch (error) {
    if (error instanceof UserError && extname(file).toLowerCase() !== ".onnx") return undefined;
    throw error;
  }
}

function checkEvaluation(run: RunRecord, name: string, sha256: string): void {
  const { evaluation, manifest } = run;
  if (evaluation === undefined) return;
  const owner = evaluation.run;
  if (owner && (owner.experiment !== manifest.experiment || owner["run-id"] !== manifest["run-id"])) {
    throw new UserError(
      `run ${name}: its evaluation.json is for run ${owner.experiment}/${owner["run-id"]}; evaluate this run again`,
    );
  }
  if (!evaluation["self-reported"] && evaluation.model.sha256 !== sha256) {
    throw new UserError(
      `run ${name}: its evaluation.json scored a different model file (sha256 ${evaluation.model.sha256}, not ${sha256}); evaluate this run again`,
    );
  }
}

/** Stores the reference profile beside the model, as `reference-profile.json`. */
async function storeReference(
  store: ArtifactStore,
  reference: ReferenceProfile,
  target: { model: string; version: number },
): Promise<StoredArtifact> {
  const folder = await mkdtemp(join(tmpdir(), "modelci-reference-"));
  try {
    const file = join(folder, "reference-profile.json");
    await writeFile(file, `${JSON.stringify(reference)}\n`);
    return await store.put(file, target);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** The number of a registered version of `model` whose artifact has this sha256, if any. */
function findRegisteredTwin(project: Project, model: string, sha256: string): number | undefined {
  for (const [number, declared] of project.versions.get(model) ?? []) {
    if (declared.value.artifact.sha256 === sha256) return number;
  }
  return undefined;
}

/** Registers a run as the model's next version; see the file comment. */
export async function registerRun(options: RegisterOptions): Promise<RegisteredVersion> {
  const { dir, model } = options;
  const warn = options.warn ?? (() => {});
  const project = await loadValidProject(dir);
  const declared = project.models.get(model);
  if (declared === undefined) {
    const names = [...project.models.keys()];
    throw new UserError(
      `no model ${JSON.stringify(model)}${didYouMean(model, names)}; declared: ${names.join(", ") || "none"}`,
    );
  }
  const root = join(dir, project.root);
  const runsDir = join(root, DEFAULT_RUNS_DIR);
  let run: RunRecord;
  if (options.best) {
    if (!project.experiments.has(options.run)) {
      const names = [...project.experiments.keys()];
      throw new UserError(
        `--best needs an experiment name; no experiment ${JSON.stringify(options.run)}${didYouMean(options.run, names)}`,
      );
    }
    const experiment = project.experiments.get(options.run)?.value as Experiment;
    const { commit } = await currentCommit(dir);
    run = await findBestRun(runsDir, options.run, declared.value, warn, {
      commit,
      runs: selectRuns(experiment, undefined, {}),
    });
  } else {
    run = await readRun(await locateRun(options.run, runsDir));
  }
  const { manifest } = run;
  const name = `${manifest.experiment}/${manifest["run-id"]}`;
  if (manifest.status !== "succeeded") {
    throw new UserError(
      `run ${name} ${manifest.status}${manifest.reason ? `: ${manifest.reason}` : ""}; only a succeeded run can be registered`,
    );
  }
  const experiment = project.experiments.get(manifest.experiment)?.value;
  if (experiment === undefined) {
    throw new UserError(
      `run ${name} belongs to experiment ${JSON.stringify(manifest.experiment)}, which is no longer declared`,
    );
  }
  if (experiment.model !== model) {
    throw new UserError(
      `run ${name} trained model ${JSON.stringify(experiment.model)}, not ${JSON.stringify(model)}`,
    );
  }
  if (manifest.dirty)
    warn(
      `run ${name} trained from a working tree with uncommitted changes; the version records commit ${manifest.commit} only`,
    );

  const modelFile = await verifiedModelFile(run, name);
  const sha256 = manifest.outputs.model?.sha256 as string;
  checkEvaluation(run, name, sha256);
  const twin = findRegisteredTwin(project, model, sha256);
  if (twin !== undefined && options.force !== true) {
    throw new UserError(
      `run ${name}: its model file is byte-identical to ${model} v${twin} (sha256 ${sha256.slice(0, 12)}), which is already registered; pass --force to register it again as a new version`,
    );
  }
  if (twin !== undefined)
    warn(
      `${model} v${twin} has the same artifact (sha256 ${sha256.slice(0, 12)}); registering it again (--force)`,
    );
  const info = await describeModel(modelFile);
  const signature = info ? signatureOf(info.inputs, info.outputs) : undefined;
  if (info && signature === undefined)
    warn(`${modelFile}: a tensor has an unknown rank, so the version records no signature`);
  const loadOrt = options.loadOrt ?? (() => loadOnnxruntime());
  const profiles = await profileTrainingData({
    root,
    experiment,
    recorded: manifest.data.train,
    features: info?.features,
    run: name,
    warn,
    predict:
      info === undefined
        ? undefined
        : async (path, features) => {
            const values: (number | string)[] = [];
            try {
              await predictRows({ loadOrt, modelPath: modelFile, dataPath: path, features }, (v) =>
                values.push(v),
              );
            } catch (error) {
              if (!(error instanceof UserError)) throw error;
              warn(`the reference profile has no predictions: ${error.message}`);
            }
            return values;
          },
  });
  const profile = profiles?.profile;
  const created = (options.now?.() ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z");
  const base = { created, manifest, evaluation: run.evaluation, signature, profile };
  // Everything that can be refused has been checked; build the record once to be sure it is valid.
  makeVersion({ ...base, version: 1, artifact: { uri: localUri(sha256), sha256, size: 0, format: "onnx" } });

  const store =
    options.store ??
    (await createArtifactStore(options.storeKind ?? project.config.artifacts.store, {
      dir,
      config: project.config,
      env: options.env ?? process.env,
    }));
  const versionsDir = join(root, "models", model, "versions");
  let after = 0;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const number = nextVersionNumber(await listFileNames(versionsDir), after);
    after = number;
    let stored: Awaited<ReturnType<ArtifactStore["put"]>>;
    try {
      stored = await store.put(modelFile, { model, version: number });
    } catch (error) {
      if (!(error instanceof ArtifactSlotTakenError)) throw error;
      warn(`${error.message}; trying version ${number + 1}`);
      continue;
    }
    if (stored.sha256 !== sha256) {
      throw new UserError(
        `the ${store.kind} store stored sha256 ${stored.sha256} for ${modelFile}, expected ${sha256}`,
      );
    }
    const reference =
      profiles === undefined
        ? undefined
        : await storeReference(store, profiles.reference, { model, version: number });
    const value = makeVersion({
      ...base,
      version: number,
      artifact: { ...stored, format: info ? "onnx" : "other" },
      reference,
    });
    const path = join(versionsDir, `${number}.yaml`);
    const file = relative(dir, path).split(sep).join("/");
    const text = renderVersionFile(value, { run: name });
    const check = parseDeclaration("version", file, new TextEncoder().encode(text));
    if (!check.ok) throw new Error(`modelci wrote an invalid ${file}: ${check.diagnostics[0]?.message}`);
    let published: boolean;
    try {
      published = await publishNewFile(path, text);
    } catch (error) {
      throw new UserError(`cannot write ${file}: ${(error as Error).message}`, { cause: error });
    }
    if (published) {
      return {
        model,
        version: number,
        file,
        path,
        value,
        run: { experiment: manifest.experiment, runId: manifest["run-id"], dir: run.dir },
        metricsFrom: versionMetrics(manifest, run.evaluation).source,
      };
    }
  }
  throw new UserError(`no free version number for ${model} after ${MAX_ATTEMPTS} attempts`);
}

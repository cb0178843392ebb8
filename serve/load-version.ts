/**
 * Loads one registered version for serving: the artifact fetched through its store and verified
 * (sha256 of the very bytes handed to onnxruntime), the ONNX signature read, checked against the
 * version file's, a session created and warmed with one run, so the first request is not slow.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createSession, type Ort, oneLine, type Session } from "../adapters/onnx/create-session.ts";
import { decodeModelInfo } from "../adapters/onnx/read-model-info.ts";
import { fetchArtifact, type StoreContext } from "../adapters/stores/create-artifact-store.ts";
import { UserError } from "../core/errors.ts";
import { findFeatureInput, findPredictionOutput } from "../core/evaluate/match-signature.ts";
import type { ModelInfo, Task } from "../core/evaluate/model-info.ts";
import { FLOAT_MAX } from "../core/serve/datatypes.ts";
import type { TabularShape } from "../core/serve/map-rows.ts";
import type { Version } from "../schemas/version.ts";

/** A tabular model's input and prediction output, when the model is one. */
export interface Tabular extends TabularShape {
  input: { name: string; type: "float32" | "float64" };
  output: string;
}

/** A version ready to answer requests. */
export interface LoadedVersion {
  model: string;
  version: number;
  sha256: string;
  info: ModelInfo;
  session: Session;
  tabular: Tabular | undefined;
  /** Requests running on this session now; a retired session is released when this reaches 0. */
  inflight: number;
  retired: boolean;
  released: boolean;
}

export interface VersionToLoad {
  model: string;
  manifest: Version;
  /** The model's declared task and classes (model.yaml), used when the ONNX metadata lacks them. */
  task: Task;
  classes: string[] | undefined;
}

/** Fetches, verifies, opens and warms one version; a UserError saying what failed otherwise. */
export async function loadVersion(
  ort: Ort,
  load: VersionToLoad,
  stores: StoreContext,
): Promise<LoadedVersion> {
  const { model, manifest } = load;
  const where = `${model} v${manifest.version}`;
  const { artifact } = manifest;
  if (artifact.format !== "onnx")
    throw new UserError(`${where}: artifact format is ${artifact.format}, not onnx`);
  const path = await fetchArtifact(artifact, stores);
  const bytes = await readFile(path);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  if (sha256 !== artifact.sha256) {
    throw new UserError(
      `${where}: artifact ${artifact.uri} is corrupt or was replaced: expected sha256 ${artifact.sha256}, found ${sha256}; it will not be loaded`,
    );
  }
  const info = decodeModelInfo(`${where} (${artifact.uri})`, bytes, sha256);
  checkSignature(where, info, manifest);
  const { session } = await createSession(ort, where, bytes, "cpu", () => {});
  const loaded: LoadedVersion = {
    model,
    version: manifest.version,
    sha256,
    info,
    session,
    tabular: findTabular(info, load),
    inflight: 0,
    retired: false,
    released: false,
  };
  try {
    await warm(ort, loaded);
  } catch (error) {
    await session.release().catch(() => {});
    throw new UserError(`${where}: the warm-up run failed: ${oneLine(error)}`, { cause: error });
  }
  return loaded;
}

/** The version file's signature, when it has one, must be the ONNX file's. */
function checkSignature(where: string, info: ModelInfo, manifest: Version): void {
  const declared = manifest.signature;
  if (declared === undefined) return;
  const text = (list: { name: string; type: string; shape?: unknown }[]) =>
    JSON.stringify(list.map((t) => [t.name, t.type, t.shape ?? null]));
  if (text(declared.inputs) !== text(info.inputs) || text(declared.outputs) !== text(info.outputs)) {
    throw new UserError(
      `${where}: the artifact's signature ${text(info.inputs)} → ${text(info.outputs)} differs from the version file's ${text(declared.inputs)} → ${text(declared.outputs)}`,
    );
  }
}

function findTabular(info: ModelInfo, load: VersionToLoad): Tabular | undefined {
  const features = info.features;
  if (features === undefined) return undefined;
  try {
    const task = info.task ?? load.task;
    const input = findFeatureInput(info, features);
    if (input.fixedBatch !== undefined) return undefined;
    const output = findPredictionOutput(info, task);
    return {
      features,
      task,
      classes: info.classes ?? load.classes,
      max: FLOAT_MAX[input.type === "float32" ? "FP32" : "FP64"] ?? Number.MAX_VALUE,
      input: { name: input.name, type: input.type },
      output: output.name,
    };
  } catch {
    return undefined;
  }
}

/** One run on one row of zeros (empty strings, false) per input. */
async function warm(ort: Ort, loaded: LoadedVersion): Promise<void> {
  const feeds: Record<string, InstanceType<Ort["Tensor"]>> = {};
  for (const input of loaded.info.inputs) {
    const dims = (input.shape ?? [1]).map((d) => (typeof d === "number" && d > 0 ? d : 1));
    const count = dims.reduce((a, b) => a * b, 1);
    feeds[input.name] = zeros(ort, input.type, count, dims);
  }
  await loaded.session.run(feeds);
}

function zeros(ort: Ort, type: string, count: number, dims: number[]): InstanceType<Ort["Tensor"]> {
  switch (type) {
    case "string":
      return new ort.Tensor("string", new Array<string>(count).fill(""), dims);
    case "int64":
      return new ort.Tensor("int64", new BigInt64Array(count), dims);
    case "uint64":
      return new ort.Tensor("uint64", new BigUint64Array(count), dims);
    case "bool":
      return new ort.Tensor("bool", new Uint8Array(count), dims);
    case "float64":
      return new ort.Tensor("float64", new Float64Array(count), dims);
    case "int32":
      return new ort.Tensor("int32", new Int32Array(count), dims);
    default:
      return new ort.Tensor("float32", new Float32Array(count), dims);
  }
}

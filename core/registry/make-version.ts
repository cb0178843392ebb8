/**
 * Builds the version record of a registered run: provenance from the run manifest, metrics from
 * its evaluation (modelci's own, or the evaluation command's) or else from training, the stored
 * artifact, the ONNX signature and the training data's profile. Pure: the adapter gathers the inputs.
 */
import type { EvaluationResult } from "../../schemas/evaluation-result.ts";
import type { RunManifest } from "../../schemas/run-manifest.ts";
import { type Profile, type Version, versionSchema } from "../../schemas/version.ts";
import { UserError } from "../errors.ts";
import type { TensorInfo } from "../evaluate/model-info.ts";
import type { StoredArtifact } from "./artifact-store.ts";

export interface VersionInput {
  version: number;
  /** ISO 8601 time of registration. */
  created: string;
  manifest: RunManifest;
  artifact: StoredArtifact & { format: "onnx" | "other" };
  evaluation?: EvaluationResult | undefined;
  signature?: Version["signature"] | undefined;
  profile?: Profile | undefined;
  /** The stored reference profile artifact. */
  reference?: StoredArtifact | undefined;
}

/** Where the metrics of a version come from. */
export function versionMetrics(
  manifest: RunManifest,
  evaluation: EvaluationResult | undefined,
): { metrics: Record<string, number>; selfReported: boolean; source: "evaluation" | "training" } {
  if (evaluation === undefined) return { metrics: manifest.metrics, selfReported: true, source: "training" };
  const metrics: Record<string, number> = {};
  for (const [name, value] of Object.entries(evaluation.metrics)) {
    if (typeof value === "number" && Number.isFinite(value)) metrics[name] = value;
  }
  return { metrics, selfReported: evaluation["self-reported"], source: "evaluation" };
}

/**
 * The signature of an ONNX model's graph, or undefined when a tensor's rank is unknown (the
 * version schema needs every shape).
 */
export function signatureOf(
  inputs: readonly TensorInfo[],
  outputs: readonly TensorInfo[],
): Version["signature"] {
  const tensors = [...inputs, ...outputs];
  if (tensors.some((t) => t.shape === undefined)) return undefined;
  const convert = (t: TensorInfo) => ({ name: t.name, type: t.type, shape: t.shape ?? [] });
  return { inputs: inputs.map(convert), outputs: outputs.map(convert) };
}

/** The version record; throws a UserError when the run cannot be described by one. */
export function makeVersion(input: VersionInput): Version {
  const { manifest } = input;
  if (!/^[a-f0-9]{40}$/.test(manifest.commit)) {
    throw new UserError(
      `run ${manifest.experiment}/${manifest["run-id"]} trained from commit ${manifest.commit}, which is not a 40-character SHA-1 commit; version files record SHA-1 commits`,
    );
  }
  const { metrics, selfReported } = versionMetrics(manifest, input.evaluation);
  const data: Version["data"] = {};
  for (const [name, digest] of Object.entries(manifest.data)) {
    data[name] = { path: digest.path, sha256: digest.sha256, size: digest.size };
  }
  return versionSchema.parse({
    version: input.version,
    created: input.created,
    commit: manifest.commit,
    experiment: manifest.experiment,
    "run-id": manifest["run-id"],
    params: manifest.params,
    data,
    artifact: {
      uri: input.artifact.uri,
      sha256: input.artifact.sha256,
      size: input.artifact.size,
      format: input.artifact.format,
    },
    metrics,
    "self-reported": selfReported,
    ...(input.signature === undefined ? {} : { signature: input.signature }),
    ...(input.profile === undefined ? {} : { profile: input.profile }),
    ...(input.reference === undefined
      ? {}
      : {
          reference: { uri: input.reference.uri, sha256: input.reference.sha256, size: input.reference.size },
        }),
  });
}

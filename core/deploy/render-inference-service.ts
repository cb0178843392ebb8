/**
 * KServe InferenceServices (serving.kserve.io/v1beta1) for a target: one per model, an ONNX
 * predictor (protocolVersion v2, which KServe's default ONNX runtime needs) whose storageUri is the
 * served version: a folder holding `model.onnx`, or the release asset's URL. A two-version canary sets the newer version
 * as the model and canaryTrafficPercent to its weight; KServe keeps the rest on the revision that
 * served before (KServe docs, rollout strategies: canary).
 */
import { UserError } from "../errors.ts";
import { parseArtifactUri } from "../registry/artifact-uri.ts";
import type { VerifiedModel, VerifiedVersion } from "./deploy-driver.ts";

export interface KubernetesDriverSettings {
  namespace: string;
  name?: string | undefined;
  "storage-uri"?: string | undefined;
}

export interface InferenceService {
  apiVersion: "serving.kserve.io/v1beta1";
  kind: "InferenceService";
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  spec: {
    predictor: {
      canaryTrafficPercent?: number;
      model: { modelFormat: { name: "onnx" }; protocolVersion: "v2"; storageUri: string };
    };
  };
}

/** Where the cluster reads one version's artifact. */
export function storageUriOf(
  model: string,
  version: VerifiedVersion,
  settings: KubernetesDriverSettings,
  repository: { serverUrl: string; owner: string; repo: string } | undefined,
): string {
  const prefix = settings["storage-uri"];
  if (prefix !== undefined) return `${prefix.replace(/\/+$/, "")}/${model}/${version.version}`;
  const parsed = parseArtifactUri(version.uri);
  if (parsed.kind === "github-release" && repository !== undefined) {
    const { serverUrl, owner, repo } = repository;
    return `${serverUrl}/${owner}/${repo}/releases/download/${encodeURIComponent(parsed.tag)}/${encodeURIComponent(parsed.file)}`;
  }
  throw new UserError(
    `${model} ${version.version}: the kubernetes driver needs \`storage-uri\` (a prefix the cluster can read, e.g. s3://bucket/models) for ${version.uri}`,
  );
}

/** The InferenceService name of a model in a target. */
export function inferenceServiceName(
  target: string,
  model: string,
  settings: KubernetesDriverSettings,
  models: number,
): string {
  if (settings.name !== undefined && models === 1) return settings.name;
  return `${model}-${target}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .slice(0, 63)
    .replace(/-+$/, "");
}

/** The manifest for one model of a target. */
export function renderInferenceService(
  input: { target: string; commit: string; model: VerifiedModel; models: number; previous: number[] },
  settings: KubernetesDriverSettings,
  repository?: { serverUrl: string; owner: string; repo: string },
): InferenceService {
  const { model, versions } = input.model;
  const live = versions.filter((v) => v.weight > 0);
  if (live.length === 0 || live.length > 2) {
    throw new UserError(
      `${model}: KServe serves one version or a two-version canary; the target asks for ${live.length} versions with traffic`,
    );
  }
  // The canary is the version that did not serve before (else the higher number).
  const [canary, stable] =
    live.length === 2
      ? [...live].sort(
          (a, b) =>
            Number(input.previous.includes(a.version)) - Number(input.previous.includes(b.version)) ||
            b.version - a.version,
        )
      : [live[0] as VerifiedVersion, undefined];
  const chosen = canary as VerifiedVersion;
  return {
    apiVersion: "serving.kserve.io/v1beta1",
    kind: "InferenceService",
    metadata: {
      name: inferenceServiceName(input.target, model, settings, input.models),
      namespace: settings.namespace,
      labels: { "app.kubernetes.io/managed-by": "modelci", "modelci.dev/target": input.target },
      annotations: {
        "modelci.dev/model": model,
        "modelci.dev/versions": versions.map((v) => `${v.version}:${v.weight}`).join(","),
        "modelci.dev/sha256": chosen.sha256,
        "modelci.dev/commit": input.commit,
      },
    },
    spec: {
      predictor: {
        ...(stable === undefined ? {} : { canaryTrafficPercent: chosen.weight }),
        model: {
          modelFormat: { name: "onnx" },
          // KServe's default ONNX runtime (Triton) needs the v2 protocol (KServe docs, ONNX).
          protocolVersion: "v2",
          storageUri: storageUriOf(model, chosen, settings, repository),
        },
      },
    },
  };
}

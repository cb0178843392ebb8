/**
 * The `kubernetes` driver: one KServe InferenceService per model of the target
 * (core/deploy/render-inference-service.ts), applied with server-side apply (field manager
 * `modelci`, force), then waited on until its Ready condition is True for the applied generation.
 * A rollback is the same apply of the previous versions' spec.
 */
import { stringify } from "yaml";
import type { DeployDriver, DeployRequest } from "../../../core/deploy/deploy-driver.ts";
import {
  type InferenceService,
  renderInferenceService,
} from "../../../core/deploy/render-inference-service.ts";
import { UserError } from "../../../core/errors.ts";
import type { Driver } from "../../../schemas/deployment.ts";
import { kubeRequest } from "../kube-request.ts";
import { type KubeConnection, readKubeConnection } from "../read-kube-config.ts";

type KubernetesSettings = Extract<Driver, { kind: "kubernetes" }>;

interface Condition {
  type?: string;
  status?: string;
  message?: string;
  reason?: string;
}

interface Served {
  metadata?: { generation?: number };
  status?: { observedGeneration?: number; url?: string; conditions?: Condition[] };
}

function pathOf(manifest: InferenceService): string {
  const { namespace, name } = manifest.metadata;
  return `/apis/serving.kserve.io/v1beta1/namespaces/${encodeURIComponent(namespace)}/inferenceservices/${encodeURIComponent(name)}`;
}

/** The API server's own words: a Status object's message, else the body. */
function messageOf(body: unknown, text: string): string {
  const status = body as { message?: string; reason?: string } | undefined;
  if (status?.message) return status.reason ? `${status.reason}: ${status.message}` : status.message;
  return text.slice(0, 500);
}

export function renderManifests(
  request: DeployRequest,
  settings: KubernetesSettings,
  env: NodeJS.ProcessEnv,
): InferenceService[] {
  const [owner = "", repo = ""] = (env.GITHUB_REPOSITORY ?? "").split("/");
  const repository =
    owner && repo ? { serverUrl: env.GITHUB_SERVER_URL || "https://github.com", owner, repo } : undefined;
  return request.models.map((model) =>
    renderInferenceService(
      {
        target: request.target,
        commit: request.commit,
        model,
        models: request.models.length,
        previous:
          request.previous?.find((p) => p.model === model.model)?.versions.map((v) => v.version) ?? [],
      },
      settings,
      repository,
    ),
  );
}

export function kubernetesDriver(
  settings: KubernetesSettings,
  options: { pollMs?: number } = {},
): DeployDriver {
  const pollMs = options.pollMs ?? 2000;
  let connection: KubeConnection | undefined;
  const connect = (env: NodeJS.ProcessEnv) => {
    connection ??= readKubeConnection(env);
    return connection;
  };
  return {
    async deploy(request, context) {
      const kube = connect(context.env);
      const manifests = renderManifests(request, settings, context.env);
      let url: string | undefined;
      for (const manifest of manifests) {
        const path = `${pathOf(manifest)}?fieldManager=modelci&force=true`;
        const response = await kubeRequest(kube, "PATCH", path, {
          contentType: "application/apply-patch+yaml",
          text: stringify(manifest),
        });
        if (response.status < 200 || response.status >= 300) {
          throw new UserError(
            `applying InferenceService ${manifest.metadata.namespace}/${manifest.metadata.name} to ${kube.server} failed (${response.status}): ${messageOf(response.body, response.text)}`,
          );
        }
        context.log(
          `applied InferenceService ${manifest.metadata.namespace}/${manifest.metadata.name} (${response.status})`,
        );
        url ??= (response.body as Served | undefined)?.status?.url;
      }
      return { url };
    },
    async ready(request, context) {
      const kube = connect(context.env);
      const deadline = Date.now() + settings["timeout-seconds"] * 1000;
      for (const manifest of renderManifests(request, settings, context.env)) {
        const name = `${manifest.metadata.namespace}/${manifest.metadata.name}`;
        for (;;) {
          const response = await kubeRequest(kube, "GET", pathOf(manifest));
          if (response.status !== 200) {
            throw new UserError(
              `reading InferenceService ${name} failed (${response.status}): ${messageOf(response.body, response.text)}`,
            );
          }
          const served = response.body as Served;
          const ready = served.status?.conditions?.find((c) => c.type === "Ready");
          const current = (served.status?.observedGeneration ?? 0) >= (served.metadata?.generation ?? 0);
          if (current && ready?.status === "True") {
            context.log(
              `InferenceService ${name} is ready${served.status?.url ? ` at ${served.status.url}` : ""}`,
            );
            break;
          }
          if (Date.now() + pollMs > deadline) {
            const why = ready?.message ?? ready?.reason ?? "no Ready condition yet";
            throw new UserError(
              `InferenceService ${name} was not ready within ${settings["timeout-seconds"]} s: ${why}`,
            );
          }
          await new Promise((resolve) => setTimeout(resolve, pollMs));
        }
      }
    },
  };
}

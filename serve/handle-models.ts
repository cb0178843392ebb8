/** Health, server metadata, model metadata and model readiness (Open Inference Protocol). */
import type { ServerResponse } from "node:http";
import type { TensorInfo } from "../core/evaluate/model-info.ts";
import { toOipDatatype, toOipShape } from "../core/serve/datatypes.ts";
import packageJson from "../package.json" with { type: "json" };
import { answer } from "./answer.ts";
import { chooseVersion, findModel } from "./choose-version.ts";
import type { ServeContext } from "./context.ts";

const metadataTensor = (tensor: TensorInfo) => ({
  name: tensor.name,
  datatype: toOipDatatype(tensor.type) ?? tensor.type,
  shape: toOipShape(tensor.shape),
});

export function serverMetadata(response: ServerResponse): void {
  answer(response, 200, { name: "modelci", version: packageJson.version, extensions: [] });
}

export function serverReady(context: ServeContext, response: ServerResponse): void {
  const ready = context.pool.ready && !context.closing;
  answer(response, ready ? 200 : 503, { ready });
}

/** `GET /v2/models/{m}[/versions/{v}]`: the version's signature; without a version, the largest-weight one's. */
export function modelMetadata(
  context: ServeContext,
  response: ServerResponse,
  model: string,
  explicit: string | undefined,
): void {
  const entry = findModel(context.pool, model);
  const version = explicit ?? String(entry.split[0]?.version ?? [...entry.versions.keys()][0]);
  const { loaded } = chooseVersion(context.pool, model, version, undefined);
  answer(response, 200, {
    name: model,
    versions: [...entry.versions.keys()].map(String),
    platform: "onnxruntime_onnx",
    inputs: loaded.info.inputs.map(metadataTensor),
    outputs: loaded.info.outputs.map(metadataTensor),
    ...(loaded.tabular
      ? {
          parameters: {
            version: String(loaded.version),
            task: loaded.tabular.task,
            features: loaded.tabular.features,
            ...(loaded.tabular.classes ? { classes: loaded.tabular.classes } : {}),
          },
        }
      : { parameters: { version: String(loaded.version) } }),
  });
}

/** `GET /v2/models/{m}[/versions/{v}]/ready`: 200 when loaded and serving, 404 unknown, 503 not ready. */
export function modelReady(
  context: ServeContext,
  response: ServerResponse,
  model: string,
  explicit: string | undefined,
): void {
  if (context.closing) {
    answer(response, 503, { name: model, ready: false });
    return;
  }
  const entry = findModel(context.pool, model);
  if (explicit !== undefined) chooseVersion(context.pool, model, explicit, undefined);
  answer(response, 200, { name: model, ready: entry.versions.size > 0 });
}

/**
 * `POST /v2/models/{m}[/versions/{v}]/infer` (Open Inference Protocol) and, for tabular models,
 * `POST /v1/models/{m}:predict` with `{"instances": [{feature: value}]}`. Both pick the version,
 * run it, copy the request to the shadow version, and offer the rows to the input log.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  instancesToMatrix,
  matrixRow,
  outputToPredictions,
  predictionValue,
} from "../core/serve/map-rows.ts";
import { parseJsonBody } from "../core/serve/parse-json-body.ts";
import { RequestError } from "../core/serve/request-error.ts";
import { validateInferRequest } from "../core/serve/validate-infer-request.ts";
import { answer } from "./answer.ts";
import { chooseVersion } from "./choose-version.ts";
import { ROUTING_HEADER, type ServeContext, VERSION_HEADER } from "./context.ts";
import type { LoadedVersion } from "./load-version.ts";
import type { ModelEntry } from "./model-pool.ts";
import { readBody } from "./read-body.ts";
import { runSession, toFeeds, toOipOutputs } from "./run-version.ts";

/** Filled in by a handler as soon as it knows them, for the request metrics. */
export interface RequestLabels {
  model: string;
  version: string;
}

type Feeds = ReturnType<typeof toFeeds>;

function routingKey(request: IncomingMessage): string | undefined {
  const value = request.headers[ROUTING_HEADER];
  return Array.isArray(value) ? value[0] : value;
}

export async function handleInfer(
  context: ServeContext,
  request: IncomingMessage,
  response: ServerResponse,
  model: string,
  explicit: string | undefined,
  labels: RequestLabels,
): Promise<void> {
  const body = parseJsonBody(await readBody(request, context.bodyLimit), context.maxJsonDepth);
  const id = (body as { id?: unknown } | null)?.id;
  const key = routingKey(request) ?? (typeof id === "string" ? id : undefined);
  const { entry, loaded } = chooseVersion(context.pool, model, explicit, key);
  labels.model = model;
  labels.version = String(loaded.version);
  const decoded = validateInferRequest(body, loaded.info);
  const feeds = toFeeds(context.ort, decoded.inputs);
  const { result, seconds } = await runOn(context, loaded, feeds, decoded.outputs);
  context.metrics.computeDuration.observe(labels, seconds);
  shadow(context, entry, loaded, feeds);
  const tabular = loaded.tabular;
  const input = decoded.inputs[0];
  const predicted = tabular && result[tabular.output];
  if (tabular && input && decoded.inputs.length === 1 && input.name === tabular.input.name && predicted) {
    logRows(context, loaded, input.data as Float32Array, predicted.data as Float32Array, input.dims[0] ?? 0);
  }
  answer(
    response,
    200,
    {
      model_name: model,
      model_version: String(loaded.version),
      ...(decoded.id === undefined ? {} : { id: decoded.id }),
      outputs: toOipOutputs(loaded, result),
    },
    { [VERSION_HEADER]: String(loaded.version) },
  );
}

export async function handlePredict(
  context: ServeContext,
  request: IncomingMessage,
  response: ServerResponse,
  model: string,
  labels: RequestLabels,
): Promise<void> {
  const body = parseJsonBody(await readBody(request, context.bodyLimit), context.maxJsonDepth);
  const { entry, loaded } = chooseVersion(context.pool, model, undefined, routingKey(request));
  labels.model = model;
  labels.version = String(loaded.version);
  const tabular = loaded.tabular;
  if (tabular === undefined) {
    throw new RequestError(
      400,
      `${model} v${loaded.version} is not a tabular model with named features (modelci.features metadata); use POST /v2/models/${model}/infer`,
    );
  }
  const matrix = instancesToMatrix(body, tabular);
  const rows = matrix.length / tabular.features.length;
  const data = tabular.input.type === "float32" ? Float32Array.from(matrix) : matrix;
  const feeds = {
    [tabular.input.name]: new context.ort.Tensor(tabular.input.type, data, [rows, tabular.features.length]),
  };
  const { result, seconds } = await runOn(context, loaded, feeds, [tabular.output]);
  context.metrics.computeDuration.observe(labels, seconds);
  shadow(context, entry, loaded, feeds);
  const output = result[tabular.output]?.data as Float32Array;
  const predictions = outputToPredictions(output, rows, tabular);
  logRows(context, loaded, matrix, output, rows, predictions.map(predictionValue));
  answer(
    response,
    200,
    { model_name: model, model_version: String(loaded.version), predictions },
    { [VERSION_HEADER]: String(loaded.version) },
  );
}

/** Runs with the version marked busy, so a swap releases its session only after this request. */
async function runOn(
  context: ServeContext,
  loaded: LoadedVersion,
  feeds: Feeds,
  outputs: string[] | undefined,
) {
  context.pool.start(loaded);
  try {
    return await runSession(loaded, feeds, outputs);
  } finally {
    context.pool.finish(loaded);
  }
}

/** A copy of the request on the shadow version, in the background; its answer is discarded. */
function shadow(context: ServeContext, entry: ModelEntry, primary: LoadedVersion, feeds: Feeds): void {
  if (entry.shadow === undefined || entry.shadow === primary.version) return;
  const target = entry.versions.get(entry.shadow);
  if (target === undefined) return;
  const labels = { model: target.model, version: String(target.version) };
  runOn(context, target, feeds, undefined).then(
    ({ seconds }) => {
      context.metrics.shadowDuration.observe(labels, seconds);
      context.metrics.shadowRequests.inc({ ...labels, outcome: "ok" });
    },
    () => context.metrics.shadowRequests.inc({ ...labels, outcome: "error" }),
  );
}

function logRows(
  context: ServeContext,
  loaded: LoadedVersion,
  features: ArrayLike<number>,
  output: ArrayLike<number>,
  rows: number,
  labels?: (string | number)[],
): void {
  const logger = context.logger();
  const tabular = loaded.tabular;
  if (logger === undefined || tabular === undefined) return;
  // the time is read once, and only when a row is kept
  let time: string | undefined;
  const now = (): string => {
    time ??= new Date().toISOString();
    return time;
  };
  const columns = rows === 0 ? 0 : output.length / rows;
  const float32 = features instanceof Float32Array;
  logger.offer(rows, (row) => ({
    time: now(),
    model: loaded.model,
    version: loaded.version,
    inputs: float32
      ? roundFloat32(matrixRow(features, row, tabular.features))
      : matrixRow(features, row, tabular.features),
    prediction:
      labels?.[row] ??
      predictionValue(
        outputToPredictions(
          Array.prototype.slice.call(output, row * columns, (row + 1) * columns),
          1,
          tabular,
        )[0] ?? Number.NaN,
      ),
  }));
}

/** float32 values at the 7 significant digits they hold (12.2, not 12.199999809265137). */
function roundFloat32(record: Record<string, number>): Record<string, number> {
  for (const key of Object.keys(record)) record[key] = Number((record[key] as number).toPrecision(7));
  return record;
}

/**
 * Routes one HTTP request. Every answer is JSON (`{"error": …}` on failure) except /metrics;
 * nothing a client sends reaches a stack trace or affects the next request.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { describeError } from "../core/errors.ts";
import { RequestError } from "../core/serve/request-error.ts";
import { answer } from "./answer.ts";
import type { ServeContext } from "./context.ts";
import { checkBearer, handleReload } from "./handle-admin.ts";
import { handleInfer, handlePredict, type RequestLabels } from "./handle-infer.ts";
import { modelMetadata, modelReady, serverMetadata, serverReady } from "./handle-models.ts";

const MODEL_PATH = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready|\/infer)?$/;
const PREDICT_PATH = /^\/v1\/models\/([^/:]+):predict$/;

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new RequestError(400, `malformed URL segment ${JSON.stringify(segment)}`);
  }
}

function allow(request: IncomingMessage, method: "GET" | "POST", path: string): void {
  if (request.method !== method && !(method === "GET" && request.method === "HEAD")) {
    throw new RequestError(405, `${request.method} ${path}: use ${method}`);
  }
}

export async function handleRequest(
  context: ServeContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const started = process.hrtime.bigint();
  const path = (request.url ?? "/").split("?")[0] as string;
  let labels: RequestLabels | undefined;
  try {
    if (path === "/v2/health/live") {
      allow(request, "GET", path);
      return answer(response, 200, { live: true });
    }
    if (path === "/v2/health/ready") {
      allow(request, "GET", path);
      return serverReady(context, response);
    }
    if (path === "/metrics") {
      allow(request, "GET", path);
      const { contentType, text } = await context.metricsText();
      response.writeHead(200, { "content-type": contentType });
      response.end(text);
      return;
    }
    if (path === "/admin/reload") {
      allow(request, "POST", path);
      return await handleReload(context, request, response);
    }
    if (path === "/v2" || path === "/v2/") {
      allow(request, "GET", path);
      checkBearer(request, context.token, path);
      return serverMetadata(response);
    }
    const model = MODEL_PATH.exec(path);
    if (model) {
      checkBearer(request, context.token, path);
      const name = decode(model[1] as string);
      const version = model[2] === undefined ? undefined : decode(model[2]);
      if (model[3] === "/infer") {
        allow(request, "POST", path);
        labels = { model: "", version: "" };
        return await handleInfer(context, request, response, name, version, labels);
      }
      allow(request, "GET", path);
      if (model[3] === "/ready") return modelReady(context, response, name, version);
      return modelMetadata(context, response, name, version);
    }
    const predict = PREDICT_PATH.exec(path);
    if (predict) {
      checkBearer(request, context.token, path);
      allow(request, "POST", path);
      labels = { model: "", version: "" };
      return await handlePredict(context, request, response, decode(predict[1] as string), labels);
    }
    throw new RequestError(404, `no route ${request.method} ${path}`);
  } catch (error) {
    const status = error instanceof RequestError ? error.status : 500;
    const message = error instanceof RequestError ? error.message : `internal error: ${describeError(error)}`;
    if (status === 413) response.setHeader("connection", "close");
    answer(response, status, { error: message });
  } finally {
    if (labels !== undefined) {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      context.metrics.requests.inc({ ...labels, code: String(response.statusCode) });
      context.metrics.requestDuration.observe(labels, seconds);
    }
  }
}

/** One request to the Kubernetes API server, over https (its CA, a token or client certificate) or http. */
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { KubeConnection } from "./read-kube-config.ts";

export interface KubeResponse {
  status: number;
  body: unknown;
  text: string;
}

export function kubeRequest(
  connection: KubeConnection,
  method: string,
  path: string,
  body?: { contentType: string; text: string },
  timeoutMs = 30_000,
): Promise<KubeResponse> {
  const url = new URL(path, `${connection.server}/`);
  const secure = url.protocol === "https:";
  const headers: Record<string, string> = { accept: "application/json" };
  if (connection.token !== undefined) headers.authorization = `Bearer ${connection.token}`;
  if (body !== undefined) {
    headers["content-type"] = body.contentType;
    headers["content-length"] = String(Buffer.byteLength(body.text));
  }
  const options = {
    method,
    headers,
    timeout: timeoutMs,
    ...(secure
      ? {
          ca: connection.ca,
          cert: connection.cert,
          key: connection.key,
          rejectUnauthorized: connection.insecureSkipTlsVerify !== true,
        }
      : {}),
  };
  return new Promise((resolve, reject) => {
    const req = (secure ? httpsRequest : httpRequest)(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body: parsed, text });
      });
      res.on("error", reject);
    });
    req.on("timeout", () =>
      req.destroy(new Error(`no answer from ${connection.server} within ${timeoutMs} ms`)),
    );
    req.on("error", reject);
    if (body !== undefined) req.write(body.text);
    req.end();
  });
}

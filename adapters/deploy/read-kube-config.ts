/**
 * Where the Kubernetes API server is and how to authenticate: the first file of KUBECONFIG (its
 * current context's cluster and user: server, CA, token or client certificate), else the in-cluster
 * configuration (KUBERNETES_SERVICE_HOST/PORT and the service account's token and CA), else
 * ~/.kube/config.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, isAbsolute, join } from "node:path";
import { parse } from "yaml";
import { UserError } from "../../core/errors.ts";

export interface KubeConnection {
  server: string;
  token?: string | undefined;
  ca?: Buffer | undefined;
  cert?: Buffer | undefined;
  key?: Buffer | undefined;
  insecureSkipTlsVerify?: boolean;
  /** Where it came from, for messages. */
  source: string;
}

const SERVICE_ACCOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";

interface Named<T> {
  name: string;
  [key: string]: unknown;
  value?: T;
}

type KubeConfigFile = {
  "current-context"?: string;
  contexts?: Named<unknown>[];
  clusters?: Named<unknown>[];
  users?: Named<unknown>[];
};

function pick(
  list: Named<unknown>[] | undefined,
  name: string | undefined,
  key: string,
  file: string,
): Record<string, unknown> {
  const entry = (list ?? []).find((e) => e.name === name) ?? (name === undefined ? list?.[0] : undefined);
  const value = entry?.[key];
  if (value === undefined || typeof value !== "object" || value === null) {
    throw new UserError(`${file}: no ${key} ${JSON.stringify(name ?? "")} in the kubeconfig`);
  }
  return value as Record<string, unknown>;
}

function bytes(data: unknown, path: unknown, base: string): Buffer | undefined {
  if (typeof data === "string" && data !== "") return Buffer.from(data, "base64");
  if (typeof path === "string" && path !== "")
    return readFileSync(isAbsolute(path) ? path : join(base, path));
  return undefined;
}

/** The connection a kubeconfig file describes (its current context). */
export function parseKubeConfig(text: string, file: string): KubeConnection {
  let config: KubeConfigFile;
  try {
    config = (parse(text) ?? {}) as KubeConfigFile;
  } catch (error) {
    throw new UserError(`${file}: not YAML: ${(error as Error).message}`);
  }
  const contextName = config["current-context"];
  const context = pick(config.contexts, contextName, "context", file);
  const cluster = pick(config.clusters, context.cluster as string | undefined, "cluster", file);
  const user = context.user === undefined ? {} : pick(config.users, context.user as string, "user", file);
  const base = dirname(file);
  if (typeof cluster.server !== "string") throw new UserError(`${file}: the cluster has no server`);
  const tokenFile = user.tokenFile ?? user["token-file"];
  return {
    server: cluster.server.replace(/\/+$/, ""),
    token:
      typeof user.token === "string"
        ? user.token
        : typeof tokenFile === "string"
          ? readFileSync(tokenFile, "utf8").trim()
          : undefined,
    ca: bytes(cluster["certificate-authority-data"], cluster["certificate-authority"], base),
    cert: bytes(user["client-certificate-data"], user["client-certificate"], base),
    key: bytes(user["client-key-data"], user["client-key"], base),
    insecureSkipTlsVerify: cluster["insecure-skip-tls-verify"] === true,
    source: file,
  };
}

export function readKubeConnection(env: NodeJS.ProcessEnv): KubeConnection {
  const listed = (env.KUBECONFIG ?? "").split(delimiter).filter((p) => p !== "");
  const file = listed.find((p) => existsSync(p));
  if (file !== undefined) return parseKubeConfig(readFileSync(file, "utf8"), file);
  if (listed.length > 0)
    throw new UserError(`KUBECONFIG names ${listed.join(delimiter)}, which does not exist`);
  if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT) {
    const host = env.KUBERNETES_SERVICE_HOST.includes(":")
      ? `[${env.KUBERNETES_SERVICE_HOST}]`
      : env.KUBERNETES_SERVICE_HOST;
    return {
      server: `https://${host}:${env.KUBERNETES_SERVICE_PORT}`,
      token: readFileSync(join(SERVICE_ACCOUNT, "token"), "utf8").trim(),
      ca: existsSync(join(SERVICE_ACCOUNT, "ca.crt"))
        ? readFileSync(join(SERVICE_ACCOUNT, "ca.crt"))
        : undefined,
      source: "in-cluster service account",
    };
  }
  const fallback = join(env.HOME ?? homedir(), ".kube", "config");
  if (existsSync(fallback)) return parseKubeConfig(readFileSync(fallback, "utf8"), fallback);
  throw new UserError(
    "the kubernetes driver found no cluster: set KUBECONFIG, or run in a pod (KUBERNETES_SERVICE_HOST)",
  );
}

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** The parts of an OpenAPI 3.0 schema object that request checks read. */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  nullable?: boolean;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  maxLength?: number;
  minLength?: number;
  maxItems?: number;
  minItems?: number;
}

export interface Parameter {
  $ref?: string;
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: Schema;
  "x-multi-segment"?: boolean;
}

interface RequestBody {
  $ref?: string;
  required?: boolean;
  content: Record<string, { schema?: Schema }>;
}

interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: RequestBody;
}

interface Description {
  paths: Record<string, Record<string, Operation>>;
}

/** One operation of the description, with its `$ref`s resolved one level deep. */
export interface ResolvedOperation {
  method: string;
  template: string;
  operationId: string;
  parameters: Parameter[];
  /** The application/json request body schema, when the operation takes one. */
  body?: Schema;
  bodyRequired: boolean;
}

export const HTTP_METHODS = ["get", "post", "put", "patch", "delete", "head"] as const;

let description: Description | undefined;
let routes: { template: string; pattern: RegExp; literals: number; item: Record<string, Operation> }[] = [];

/** GitHub's official description of api.github.com (from @octokit/openapi), parsed once per worker. */
function loadDescription(): Description {
  if (description) return description;
  const require = createRequire(import.meta.url);
  const file = require.resolve("@octokit/openapi/generated/api.github.com.json");
  description = JSON.parse(readFileSync(file, "utf8")) as Description;
  routes = Object.entries(description.paths).map(([template, item]) => ({
    template,
    item,
    pattern: compileTemplate(template, item),
    literals: template.split("/").filter((segment) => segment && !segment.includes("{")).length,
  }));
  // Literal segments win over parameters: `/issues/comments` before `/issues/{issue_number}`.
  routes.sort((a, b) => b.literals - a.literals);
  return description;
}

/** Follows a local `$ref` (`#/components/...`) to what it names. */
export function resolveRef<T extends { $ref?: string }>(value: T): T {
  let current: T = value;
  for (let depth = 0; current.$ref !== undefined && depth < 20; depth++) {
    const ref: string = current.$ref;
    if (!ref.startsWith("#/")) throw new Error(`githubApi: unsupported $ref ${ref}`);
    let target: unknown = loadDescription();
    for (const key of ref.slice(2).split("/")) target = (target as Record<string, unknown>)[key];
    if (target === undefined) throw new Error(`githubApi: dangling $ref ${ref}`);
    current = target as T;
  }
  return current;
}

function compileTemplate(template: string, item: Record<string, Operation>): RegExp {
  const params = new Map<string, Parameter>();
  for (const operation of Object.values(item))
    for (const parameter of operation.parameters ?? []) {
      const resolved = resolveRef(parameter);
      if (resolved.in === "path") params.set(resolved.name, resolved);
    }
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const name = /^\{(.+)\}$/.exec(part)?.[1];
      if (name === undefined) return part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
      const parameter = params.get(name);
      if (parameter?.["x-multi-segment"]) return "(.+)";
      return parameter?.schema?.type === "integer" ? "(\\d+)" : "([^/]+)";
    })
    .join("");
  return new RegExp(`^${source}$`);
}

/** The operation GitHub documents for `method path` (path without base URL or query), or why there is none. */
export function findOperation(method: string, path: string): ResolvedOperation | { problem: string } {
  loadDescription();
  const verb = method.toLowerCase();
  const matching = routes.filter((route) => route.pattern.test(path));
  const route = matching.find((candidate) => candidate.item[verb] !== undefined);
  const operation = route?.item[verb];
  if (!route || !operation) {
    const request = `${method.toUpperCase()} ${path}`;
    const first = matching[0];
    if (first) {
      const methods = HTTP_METHODS.filter((m) => first.item[m]).map((m) => m.toUpperCase());
      return { problem: `${request}: GitHub has ${first.template} for ${methods.join(", ")} only` };
    }
    return { problem: `${request}: GitHub's REST API has no such endpoint${closestHint(verb, path)}` };
  }
  const body = operation.requestBody ? resolveRef(operation.requestBody) : undefined;
  const json = body?.content["application/json"]?.schema;
  return {
    method: verb,
    template: route.template,
    operationId: operation.operationId ?? `${verb} ${route.template}`,
    parameters: (operation.parameters ?? []).map((parameter) => resolveRef(parameter)),
    ...(json ? { body: json } : {}),
    bodyRequired: body?.required === true,
  };
}

/** "; did you mean POST /repos/{owner}/{repo}/issues/{issue_number}/comments?" for near misses. */
function closestHint(verb: string, path: string): string {
  const segments = path.split("/");
  let best: { template: string; score: number } | undefined;
  for (const route of routes) {
    if (!route.item[verb]) continue;
    const parts = route.template.split("/");
    if (parts.length !== segments.length) continue;
    let score = 0;
    parts.forEach((part, i) => {
      const segment = segments[i] ?? "";
      if (part === segment || part.startsWith("{")) score += 100;
      else score += sharedPrefix(part, segment);
    });
    if (!best || score > best.score) best = { template: route.template, score };
  }
  const nearMiss = best && best.score >= (segments.length - 1) * 100;
  return nearMiss ? `; did you mean ${verb.toUpperCase()} ${best?.template}?` : "";
}

function sharedPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && a[n] === b[n]) n++;
  return n;
}

import { type ResolvedOperation, resolveRef, type Schema } from "./github-openapi.ts";

/**
 * Checks a JSON request body against an operation's schema: required fields, fields the schema does
 * not know (objects that declare `properties` are closed unless they allow `additionalProperties`),
 * types, enums and length limits, recursively; `oneOf`/`anyOf` pass when one branch does.
 * Returns the problems, each naming its field.
 */
export function checkBody(operation: ResolvedOperation, body: unknown): string[] {
  if (body === undefined) {
    return operation.bodyRequired ? [`${operation.operationId} requires a JSON request body`] : [];
  }
  if (!operation.body) return [`${operation.operationId} takes no JSON request body`];
  return checkValue(operation.body, body, "body");
}

/** Checks query parameters: none unknown to the operation, every required one present, enums respected. */
export function checkQuery(operation: ResolvedOperation, query: Record<string, unknown>): string[] {
  const known = new Map(operation.parameters.filter((p) => p.in === "query").map((p) => [p.name, p]));
  const problems: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    const parameter = known.get(name);
    if (!parameter) {
      const names = [...known.keys()].join(", ") || "none";
      problems.push(`query.${name}: not a parameter of ${operation.operationId} (it takes: ${names})`);
      continue;
    }
    const schema = parameter.schema ? resolveRef(parameter.schema) : {};
    const text = String(value);
    if (schema.type === "integer" && !/^-?\d+$/.test(text))
      problems.push(`query.${name}: expected an integer, got ${JSON.stringify(value)}`);
    if (schema.enum && !schema.enum.map(String).includes(text))
      problems.push(`query.${name}: ${JSON.stringify(value)} is not one of ${schema.enum.join(", ")}`);
  }
  for (const parameter of known.values())
    if (parameter.required && !(parameter.name in query))
      problems.push(`query.${parameter.name}: required by ${operation.operationId}`);
  return problems;
}

function checkValue(schemaOrRef: Schema, value: unknown, where: string): string[] {
  const schema = flatten(schemaOrRef);
  const branches = schema.oneOf ?? schema.anyOf;
  if (branches) {
    const { oneOf: _one, anyOf: _any, ...base } = schema;
    const results = branches.map((branch) => checkValue(merge([base, resolveRef(branch)]), value, where));
    if (results.some((problems) => problems.length === 0)) return [];
    return results.reduce((best, problems) => (problems.length < best.length ? problems : best));
  }
  if (value === null) {
    const types = [schema.type ?? []].flat();
    return schema.nullable || types.includes("null") || types.length === 0
      ? []
      : [`${where}: must not be null`];
  }
  const typeProblem = checkType(schema, value, where);
  if (typeProblem) return [typeProblem];
  if (schema.enum && !schema.enum.includes(value))
    return [
      `${where}: ${JSON.stringify(value)} is not one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}`,
    ];
  if (typeof value === "string") return checkString(schema, value, where);
  if (Array.isArray(value)) return checkArray(schema, value, where);
  if (typeof value === "object") return checkObject(schema, value as Record<string, unknown>, where);
  return [];
}

function checkType(schema: Schema, value: unknown, where: string): string | undefined {
  const types = [schema.type ?? []].flat().filter((type) => type !== "null");
  if (types.length === 0) return undefined;
  const actual = Array.isArray(value) ? "array" : typeof value;
  const fits = types.some(
    (type) =>
      type === actual ||
      (type === "integer" && Number.isInteger(value)) ||
      (type === "number" && actual === "number"),
  );
  return fits
    ? undefined
    : `${where}: expected ${types.join(" or ")}, got ${actual} ${JSON.stringify(value)}`;
}

function checkString(schema: Schema, value: string, where: string): string[] {
  if (schema.maxLength !== undefined && value.length > schema.maxLength)
    return [`${where}: ${value.length} characters, over the limit of ${schema.maxLength}`];
  if (schema.minLength !== undefined && value.length < schema.minLength)
    return [`${where}: ${value.length} characters, under the minimum of ${schema.minLength}`];
  return [];
}

function checkArray(schema: Schema, value: unknown[], where: string): string[] {
  if (schema.maxItems !== undefined && value.length > schema.maxItems)
    return [`${where}: ${value.length} items, over the limit of ${schema.maxItems}`];
  if (schema.minItems !== undefined && value.length < schema.minItems)
    return [`${where}: ${value.length} items, under the minimum of ${schema.minItems}`];
  const items = schema.items;
  return items ? value.flatMap((item, i) => checkValue(items, item, `${where}[${i}]`)) : [];
}

function checkObject(schema: Schema, value: Record<string, unknown>, where: string): string[] {
  const properties = schema.properties ?? {};
  const declared = Object.keys(properties);
  const problems: string[] = [];
  for (const name of schema.required ?? [])
    if (value[name] === undefined) problems.push(`${where}.${name}: required field missing`);
  const open = declared.length === 0 || Boolean(schema.additionalProperties);
  for (const [name, field] of Object.entries(value)) {
    const property = properties[name];
    if (property) problems.push(...checkValue(property, field, `${where}.${name}`));
    else if (!open) problems.push(`${where}.${name}: unknown field (known: ${declared.join(", ")})`);
  }
  return problems;
}

/** Resolves `$ref` and folds `allOf` into one schema. */
function flatten(schemaOrRef: Schema): Schema {
  const schema = resolveRef(schemaOrRef);
  if (!schema.allOf) return schema;
  const { allOf, ...rest } = schema;
  return merge([rest, ...allOf.map(flatten)]);
}

/**
 * Merges schemas that all apply (allOf, or a base with one oneOf branch): properties are united
 * (both constraints kept where two parts declare the same one), required lists joined; extra fields
 * stay allowed only when no part that declares properties closes them.
 */
function merge(parts: Schema[]): Schema {
  const merged: Schema = {};
  const properties: Record<string, Schema> = {};
  const required = new Set<string>();
  const flat = parts.map(flatten);
  for (const part of flat) {
    const { properties: own, required: needs, additionalProperties: _extra, ...rest } = part;
    const enums = merged.enum && rest.enum ? merged.enum.filter((v) => rest.enum?.includes(v)) : undefined;
    Object.assign(merged, { ...rest, ...merged }, enums ? { enum: enums } : {});
    for (const [name, property] of Object.entries(own ?? {}))
      properties[name] = properties[name] ? { allOf: [properties[name], property] } : property;
    for (const name of needs ?? []) required.add(name);
  }
  const closed = flat.some((part) => part.properties && !part.additionalProperties);
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  if (!closed) merged.additionalProperties = true;
  return merged;
}

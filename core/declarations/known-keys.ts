import type { Segment } from "./diagnostic.ts";

type JsonSchema = {
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
};

function branches(schema: JsonSchema): JsonSchema[] {
  const alternatives = [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])];
  return alternatives.length === 0 ? [schema] : alternatives.flatMap(branches);
}

/** Whether a union branch fits the value: every constant field of the branch (a `kind`) matches. */
function fits(schema: JsonSchema, value: unknown): boolean {
  if (typeof value !== "object" || value === null) return true;
  return Object.entries(schema.properties ?? {}).every(
    ([key, property]) =>
      property.const === undefined || (value as Record<string, unknown>)[key] === property.const,
  );
}

/**
 * The field names that the object at `path` accepts, read from the kind's JSON Schema. With the
 * object's value, union branches whose `kind` differs are left out.
 */
export function knownKeys(root: object, path: readonly Segment[], value?: unknown): string[] {
  let current: JsonSchema[] = branches(root as JsonSchema);
  for (const segment of path) {
    const next: JsonSchema[] = [];
    for (const schema of current) {
      if (typeof segment === "number" && schema.items) next.push(schema.items);
      else if (typeof segment === "string" && schema.properties?.[segment])
        next.push(schema.properties[segment]);
      else if (typeof schema.additionalProperties === "object") next.push(schema.additionalProperties);
    }
    current = next.flatMap(branches);
  }
  const fitting = current.filter((schema) => fits(schema, value));
  return [
    ...new Set(
      (fitting.length > 0 ? fitting : current).flatMap((schema) => Object.keys(schema.properties ?? {})),
    ),
  ];
}

import type { Segment } from "./diagnostic.ts";

type JsonSchema = {
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

/** The field names that the object at `path` accepts, read from the kind's JSON Schema. */
export function knownKeys(root: object, path: readonly Segment[]): string[] {
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
  return [...new Set(current.flatMap((schema) => Object.keys(schema.properties ?? {})))];
}

import { z } from "zod";
import { DECLARATION_KINDS, type DeclarationKind } from "../../schemas/index.ts";
import { describeIssue } from "./describe-issues.ts";
import { type Diagnostic, formatFieldPath } from "./diagnostic.ts";
import { locateNode } from "./locate-node.ts";
import { parseYamlFile, type SourceDocument } from "./parse-yaml-file.ts";

const jsonSchemas = new Map<DeclarationKind, object>();

/** The kind's JSON Schema, generated once, for field-name hints. */
function jsonSchemaOf(kind: DeclarationKind): object {
  let schema = jsonSchemas.get(kind);
  if (!schema) {
    schema = z.toJSONSchema(DECLARATION_KINDS[kind].schema, { io: "input" });
    jsonSchemas.set(kind, schema);
  }
  return schema;
}

export type ParsedDeclaration<T> =
  | { ok: true; source: SourceDocument; value: T }
  | { ok: false; source?: SourceDocument; diagnostics: Diagnostic[] };

/** Parses and schema-checks one declaration file; every problem comes back with its position. */
export function parseDeclaration<K extends DeclarationKind>(
  kind: K,
  file: string,
  bytes: Uint8Array,
): ParsedDeclaration<z.output<(typeof DECLARATION_KINDS)[K]["schema"]>> {
  const parsed = parseYamlFile(file, bytes);
  if (!parsed.ok) return parsed;
  const result = DECLARATION_KINDS[kind].schema.safeParse(parsed.value, { reportInput: true });
  if (result.success) {
    return {
      ok: true,
      source: parsed.source,
      value: result.data as z.output<(typeof DECLARATION_KINDS)[K]["schema"]>,
    };
  }
  const schema = jsonSchemaOf(kind);
  const diagnostics = result.error.issues
    .flatMap((issue) => describeIssue(issue, [], schema))
    .map((problem): Diagnostic => {
      const { line, col } = locateNode(parsed.source, problem.path, problem.at);
      return {
        severity: "error",
        file,
        line,
        col,
        field: formatFieldPath(problem.path),
        message: problem.message,
      };
    });
  return { ok: false, source: parsed.source, diagnostics };
}

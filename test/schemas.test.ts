import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { classifyPath } from "../core/declarations/classify-path.ts";
import { DECLARATION_KINDS } from "../schemas/index.ts";
import { schemaFiles } from "../scripts/generated-files.ts";
import { REPO_ROOT } from "./helpers/temp-repo.ts";

type Json = { [key: string]: unknown };

/** Every property of a JSON Schema, with its path, through unions, lists and maps. */
function properties(schema: Json, path: string): { path: string; schema: Json }[] {
  const out: { path: string; schema: Json }[] = [];
  for (const [key, child] of Object.entries((schema.properties as Record<string, Json>) ?? {})) {
    out.push({ path: `${path}.${key}`, schema: child }, ...properties(child, `${path}.${key}`));
  }
  for (const key of ["anyOf", "oneOf"]) {
    for (const [i, child] of ((schema[key] as Json[]) ?? []).entries())
      out.push(...properties(child, `${path}|${i}`));
  }
  if (schema.items) out.push(...properties(schema.items as Json, `${path}[]`));
  if (typeof schema.additionalProperties === "object") {
    out.push(...properties(schema.additionalProperties as Json, `${path}.<name>`));
  }
  return out;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

describe("declaration schemas", () => {
  const generated = schemaFiles();

  it("describe every field, so editors show hover docs", () => {
    const undocumented: string[] = [];
    for (const { file } of Object.values(DECLARATION_KINDS)) {
      const schema = JSON.parse(generated.get(`schemas/json/${file}`) as string) as Json;
      expect(schema.description, file).toBeTruthy();
      for (const property of properties(schema, file)) {
        const kindTag = property.path.endsWith(".kind") && property.schema.const !== undefined;
        if (!property.schema.description && !kindTag) undocumented.push(property.path);
      }
    }
    expect(undocumented).toEqual([]);
  });

  it("document every field in docs/declarations.md", () => {
    const reference = generated.get("docs/declarations.md") as string;
    for (const field of [
      "sweep",
      "runs-on",
      "primary-metric",
      "promotion.soak-hours",
      "monitoring.drift.share",
      "artifact.sha256",
    ]) {
      expect(reference).toContain(`\`${field}\``);
    }
  });

  it("are named on line 1 of every example declaration, by a path that exists", () => {
    const root = join(REPO_ROOT, "examples");
    const files = yamlFiles(root).filter((f) => !f.includes(`${"/"}data${"/"}`));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const file of files) {
      const exampleRoot = join(root, relative(root, file).split("/")[0] as string);
      const inRoot = relative(exampleRoot, file);
      const classified = classifyPath(inRoot);
      const kind = inRoot === "modelci.yaml" ? "config" : classified.kind;
      const first = readFileSync(file, "utf8").split("\n")[0] ?? "";
      const match = /^# yaml-language-server: \$schema=(.+)$/.exec(first);
      expect(match, `${file} line 1`).not.toBeNull();
      const target = resolve(dirname(file), match?.[1] ?? "");
      expect(relative(REPO_ROOT, target)).toBe(`schemas/json/${kind}.schema.json`);
    }
  });
});

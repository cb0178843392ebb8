import { parse } from "yaml";

const MAX_BYTES = 1024 * 1024;

/**
 * The `models` section of a deployment file's bytes, read leniently: history may hold files that
 * an older schema accepted, so nothing is validated. Undefined when the bytes are too large, not
 * UTF-8 or not YAML; `models` is whatever the file holds there (undefined when it has none).
 */
export function readModelsSection(bytes: Uint8Array): { models: unknown } | undefined {
  if (bytes.length > MAX_BYTES) return undefined;
  try {
    const doc = parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes), { maxAliasCount: 100 });
    return { models: (doc as { models?: unknown } | null)?.models };
  } catch {
    return undefined;
  }
}

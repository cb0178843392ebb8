import { parse } from "yaml";
import type { ServedVersion } from "../promotion/describe-served.ts";
import type { ServedEntry } from "./edit-deployment-file.ts";

const MAX_BYTES = 1024 * 1024;

/** A served entry as written, read leniently (history may hold files an older schema accepted). */
function entryOf(value: unknown): ServedEntry | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { version, canary } = value as { version?: unknown; canary?: unknown };
  if (typeof version === "number") return { version };
  if (!Array.isArray(canary)) return undefined;
  const split = canary.filter(
    (c): c is { version: number; weight: number } =>
      typeof c?.version === "number" && typeof c?.weight === "number",
  );
  return split.length === canary.length
    ? { canary: split.map(({ version, weight }) => ({ version, weight })) }
    : undefined;
}

/** Model → entry of a deployment file's bytes; undefined when the bytes are not a readable deployment file. */
export function readServedEntries(bytes: Uint8Array): Map<string, ServedEntry> | undefined {
  if (bytes.length > MAX_BYTES) return undefined;
  let doc: unknown;
  try {
    doc = parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes), { maxAliasCount: 100 });
  } catch {
    return undefined;
  }
  const models = (doc as { models?: unknown } | null)?.models ?? {};
  if (typeof models !== "object" || models === null) return undefined;
  const entries = new Map<string, ServedEntry>();
  for (const [model, value] of Object.entries(models)) {
    const entry = entryOf(value);
    if (entry !== undefined) entries.set(model, entry);
  }
  return entries;
}

/** An entry as versions with weights (100 for a plain version). */
export function servedOf(entry: ServedEntry | undefined): ServedVersion[] {
  if (entry === undefined) return [];
  return "version" in entry ? [{ version: entry.version, weight: 100 }] : entry.canary.map((c) => ({ ...c }));
}

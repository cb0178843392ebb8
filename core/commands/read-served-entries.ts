import type { ServedVersion } from "../promotion/describe-served.ts";
import { readModelsSection } from "../promotion/read-models-section.ts";
import type { ServedEntry } from "./edit-deployment-file.ts";

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
  const section = readModelsSection(bytes);
  if (section === undefined) return undefined;
  const models = section.models ?? {};
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

import { servedKey } from "./check-stages.ts";
import { readModelsSection } from "./read-models-section.ts";

/** A target's file at one commit of the base branch: the versions it sends traffic to, by model. */
export interface TargetSnapshot {
  /** The commit date: when the change reached the branch. */
  date: Date;
  /** Model → versions with traffic; `undefined` when the file could not be read (keeps the last state). */
  served: ReadonlyMap<string, readonly number[]> | undefined;
}

function versionsOf(entry: unknown): number[] {
  if (typeof entry !== "object" || entry === null) return [];
  const { version, canary } = entry as { version?: unknown; canary?: unknown };
  if (typeof version === "number") return [version];
  if (!Array.isArray(canary)) return [];
  return canary
    .filter((c): c is { version: number; weight: unknown } => typeof c?.version === "number")
    .filter((c) => typeof c.weight !== "number" || c.weight > 0)
    .map((c) => c.version);
}

/**
 * The versions a deployment file serves, read leniently: history may hold files that an older
 * schema accepted. An absent file serves nothing; an unreadable one gives undefined.
 */
export function readServedVersions(bytes: Uint8Array | undefined): Map<string, number[]> | undefined {
  if (bytes === undefined) return new Map();
  const section = readModelsSection(bytes);
  if (section === undefined) return undefined;
  const { models } = section;
  const served = new Map<string, number[]>();
  if (typeof models !== "object" || models === null) return served;
  for (const [model, entry] of Object.entries(models)) served.set(model, versionsOf(entry));
  return served;
}

/**
 * When each version started serving in a target, for the stints that last to the newest
 * snapshot. A version taken out and put back counts from when it was put back.
 * Snapshots go from oldest to newest; keys are `target@model@version`.
 */
export function findServingStints(target: string, snapshots: readonly TargetSnapshot[]): Map<string, Date> {
  const since = new Map<string, Date>();
  for (const { date, served } of snapshots) {
    if (served === undefined) continue;
    const now = new Set<string>();
    for (const [model, versions] of served) {
      for (const version of versions) now.add(servedKey(target, model, version));
    }
    for (const key of [...since.keys()]) if (!now.has(key)) since.delete(key);
    for (const key of now) if (!since.has(key)) since.set(key, date);
  }
  return since;
}

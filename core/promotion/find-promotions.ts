import { type Classified, classifyPath } from "../declarations/classify-path.ts";
import type { Project } from "../declarations/project.ts";
import { listServed, type ServedVersion, sameServed } from "./describe-served.ts";

/**
 * Git blob ids of the files under `models/` (model.yaml and version files) at the base and at the
 * head, by path relative to the repository folder. Equal ids mean byte-identical files.
 */
export interface FileDigests {
  base: ReadonlyMap<string, string>;
  head: ReadonlyMap<string, string>;
}

export type FileEdit = "added" | "changed" | "removed";

/** What a pull request proposes, one entry per target and model, model policy or version file. */
export type PromotionChange =
  | {
      /** A target starts serving other versions of a model (or other canary weights). */
      kind: "deploy";
      model: string;
      target: string;
      file: string;
      from: ServedVersion[];
      to: ServedVersion[];
      /** Versions in `to` that the target does not serve in the base: these get promoted. */
      incoming: number[];
      /** The target's file is new in this change. */
      newTarget: boolean;
    }
  | {
      /** A target stops serving a model (its entry or the whole target file is removed). */
      kind: "undeploy";
      model: string;
      target: string;
      file: string;
      from: ServedVersion[];
      targetRemoved: boolean;
    }
  | {
      /** `models/<m>/model.yaml` changes: a policy edit, judged by the base policy. */
      kind: "policy";
      model: string;
      file: string;
      edit: FileEdit;
    }
  | {
      /** A version file is added, changed or removed. Registered versions never change. */
      kind: "version-file";
      model: string;
      version: number;
      file: string;
      edit: FileEdit;
    };

type Located = Exclude<Classified, { kind: "unknown" | "ignored" }> & { file: string };

/** What a changed path is, under the base's or the head's modelci root. */
function locate(path: string, roots: readonly string[]): Located | undefined {
  for (const root of roots) {
    if (!path.startsWith(root)) continue;
    const classified = classifyPath(path.slice(root.length));
    if (classified.kind !== "unknown" && classified.kind !== "ignored") return { ...classified, file: path };
  }
  return undefined;
}

function editOf(before: string | undefined, after: string | undefined): FileEdit | undefined {
  if (before === after) return undefined;
  if (before === undefined) return "added";
  return after === undefined ? "removed" : "changed";
}

function deploymentChanges(base: Project, head: Project, target: string, file: string): PromotionChange[] {
  const before = base.deployments.get(target);
  const after = head.deployments.get(target);
  // A target file that does not parse at the head is a validation error, reported elsewhere.
  if (after === undefined && head.present.deployments.has(target)) return [];
  const models = new Set([
    ...Object.keys(before?.value.models ?? {}),
    ...Object.keys(after?.value.models ?? {}),
  ]);
  const changes: PromotionChange[] = [];
  for (const model of [...models].sort()) {
    const from = listServed(before?.value.models[model]);
    const to = listServed(after?.value.models[model]);
    if (sameServed(from, to)) continue;
    if (to.length === 0) {
      changes.push({ kind: "undeploy", model, target, file, from, targetRemoved: after === undefined });
      continue;
    }
    const served = new Set(from.map((s) => s.version));
    const incoming = to.map((s) => s.version).filter((v) => !served.has(v));
    changes.push({
      kind: "deploy",
      model,
      target,
      file,
      from,
      to,
      incoming,
      newTarget: before === undefined,
    });
  }
  return changes;
}

const ORDER: Record<PromotionChange["kind"], number> = {
  deploy: 0,
  undeploy: 0,
  policy: 1,
  "version-file": 2,
};

/**
 * The changes a pull request proposes, from the paths it changes (against its merge base) and the
 * declarations at its base and head. A path the PR changed but that is the same at the base and
 * the head (the base branch made the same change) proposes nothing.
 */
export function findPromotions(
  base: Project,
  head: Project,
  changed: readonly string[],
  digests: FileDigests,
): PromotionChange[] {
  const roots = [...new Set([base.root, head.root])];
  const seen = new Set<string>();
  const changes: PromotionChange[] = [];
  for (const path of [...changed].sort()) {
    const located = locate(path, roots);
    if (located === undefined || located.kind === "experiment") continue;
    const key = `${located.kind}:${located.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (located.kind === "deployment") {
      changes.push(...deploymentChanges(base, head, located.name, path));
      continue;
    }
    const edit = editOf(digests.base.get(path), digests.head.get(path));
    if (edit === undefined) continue;
    if (located.kind === "version") {
      changes.push({
        kind: "version-file",
        model: located.model,
        version: located.version,
        file: path,
        edit,
      });
    } else {
      changes.push({ kind: "policy", model: located.name, file: path, edit });
    }
  }
  const modelOf = (c: PromotionChange) => c.model;
  return changes.sort((a, b) => ORDER[a.kind] - ORDER[b.kind] || modelOf(a).localeCompare(modelOf(b)));
}

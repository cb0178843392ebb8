/**
 * Which version each target served, and when it changed, from the deployment files' history:
 * a pure fold over commits (oldest first), each carrying the deployment files it changed.
 */
import type { Deployment } from "../../schemas/deployment.ts";
import { type Serving, servedVersions } from "./find-champion.ts";

export interface CommitInfo {
  commit: string;
  author: string;
  email: string;
  /** Author date, ISO 8601. */
  date: string;
  subject: string;
}

export interface DeploymentCommit extends CommitInfo {
  /** The deployment files this commit added, changed or deleted: the new declaration, null when deleted, "invalid" when it did not parse. */
  changes: Array<{ target: string; deployment: Pick<Deployment, "models"> | null | "invalid" }>;
}

/** One target starting to serve something else. */
export interface ServingChange extends CommitInfo {
  target: string;
  from: Serving[];
  to: Serving[];
}

export interface ServingHistory {
  changes: ServingChange[];
  /** What each target serves after the last commit (targets serving nothing are left out). */
  serving: Map<string, Serving[]>;
  /** Commits whose deployment file did not parse, so their change is not known. */
  skipped: Array<CommitInfo & { target: string }>;
}

function same(a: readonly Serving[], b: readonly Serving[]): boolean {
  return a.length === b.length && a.every((s, i) => s.version === b[i]?.version && s.weight === b[i]?.weight);
}

/** Folds deployment commits (oldest first) into the model's serving changes. */
export function servingHistory(commits: readonly DeploymentCommit[], model: string): ServingHistory {
  const state = new Map<string, Serving[]>();
  const changes: ServingChange[] = [];
  const skipped: ServingHistory["skipped"] = [];
  for (const { changes: changed, ...info } of commits) {
    for (const { target, deployment } of changed) {
      if (deployment === "invalid") {
        skipped.push({ ...info, target });
        continue;
      }
      const from = state.get(target) ?? [];
      const to = deployment === null ? [] : servedVersions(deployment, model);
      if (same(from, to)) continue;
      changes.push({ ...info, target, from, to });
      if (to.length > 0) state.set(target, to);
      else state.delete(target);
    }
  }
  return { changes, serving: state, skipped };
}

/** `v7`, `v7 (90%) + v8 (10%)`, or `nothing`. */
export function describeServing(serving: readonly Serving[]): string {
  if (serving.length === 0) return "nothing";
  if (serving.length === 1 && serving[0]?.weight === 100) return `v${serving[0].version}`;
  return serving.map((s) => `v${s.version} (${s.weight}%)`).join(" + ");
}

/**
 * The loaded model versions and the hot swap. A reload reads the target again, loads and warms
 * every version it does not already hold, and only when all of them loaded switches the serving
 * state in one assignment; versions no longer served are released once their in-flight requests
 * have finished. When a load fails, nothing changes: the old versions keep serving.
 */
import type { Ort } from "../adapters/onnx/create-session.ts";
import { describeError } from "../core/errors.ts";
import type { WeightedVersion } from "../core/serve/pick-version.ts";
import { type LoadedVersion, loadVersion } from "./load-version.ts";
import type { ServeMetrics } from "./metrics.ts";
import type { TargetPlan } from "./read-target.ts";

export interface ModelEntry {
  split: WeightedVersion[];
  shadow: number | undefined;
  versions: Map<number, LoadedVersion>;
}

export interface PoolState {
  plan: TargetPlan;
  models: Map<string, ModelEntry>;
}

/** What a target serves, as `/admin/reload` reports it. */
export type ServingSummary = Record<string, { versions: WeightedVersion[]; shadow?: number }>;

export type ReloadResult =
  | { ok: true; changed: boolean; serving: ServingSummary }
  | { ok: false; error: string; serving: ServingSummary; phase: "plan" | "load" };

export class ModelPool {
  state: PoolState | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ort: Ort,
    private readonly readPlan: () => Promise<TargetPlan>,
    private readonly metrics: ServeMetrics,
  ) {}

  get ready(): boolean {
    return this.state !== undefined;
  }

  /** Reloads after every reload already queued; never rejects. */
  reload(): Promise<ReloadResult> {
    const next = this.queue.then(() => this.reloadNow());
    this.queue = next.catch(() => {});
    return next;
  }

  summary(): ServingSummary {
    const summary: ServingSummary = {};
    for (const [model, entry] of this.state?.models ?? []) {
      summary[model] = {
        versions: entry.split.map(({ version, weight }) => ({ version, weight })),
        ...(entry.shadow === undefined ? {} : { shadow: entry.shadow }),
      };
    }
    return summary;
  }

  /** Marks a version busy for one request; `finish` must follow. */
  start(loaded: LoadedVersion): void {
    loaded.inflight++;
  }

  finish(loaded: LoadedVersion): void {
    loaded.inflight--;
    if (loaded.retired && loaded.inflight === 0) this.release(loaded);
  }

  /** Releases every session once its requests have finished. */
  async close(): Promise<void> {
    await this.queue;
    const state = this.state;
    this.state = undefined;
    for (const entry of state?.models.values() ?? [])
      for (const loaded of entry.versions.values()) this.retire(loaded);
  }

  private async reloadNow(): Promise<ReloadResult> {
    const old = this.state;
    const fresh: LoadedVersion[] = [];
    let current: { model: string; version: number } | undefined;
    try {
      const plan = await this.readPlan();
      const models = new Map<string, ModelEntry>();
      for (const [model, served] of plan.models) {
        const versions = new Map<number, LoadedVersion>();
        for (const [number, load] of served.versions) {
          const existing = old?.models.get(model)?.versions.get(number);
          if (existing !== undefined && existing.sha256 === load.manifest.artifact.sha256) {
            versions.set(number, existing);
            continue;
          }
          current = { model, version: number };
          const loaded = await loadVersion(this.ort, load, plan.stores);
          fresh.push(loaded);
          versions.set(number, loaded);
        }
        models.set(model, { split: served.split, shadow: served.shadow, versions });
      }
      this.state = { plan, models };
      this.retireUnused(old, this.state);
      this.updateGauges(old, this.state);
      const changed = fresh.length > 0 || !sameServing(old, this.state);
      this.metrics.reloads.inc({ outcome: changed ? "swapped" : "unchanged" });
      return { ok: true, changed, serving: this.summary() };
    } catch (error) {
      for (const loaded of fresh) this.retire(loaded);
      this.metrics.reloads.inc({ outcome: "failed" });
      if (current !== undefined) {
        this.metrics.loadFailures.inc({ model: current.model, version: String(current.version) });
      } else {
        this.metrics.loadFailures.inc({ model: "", version: "" });
      }
      return {
        ok: false,
        error: describeError(error),
        serving: this.summary(),
        phase: current === undefined ? "plan" : "load",
      };
    }
  }

  private retireUnused(old: PoolState | undefined, next: PoolState): void {
    const kept = new Set<LoadedVersion>();
    for (const entry of next.models.values()) for (const loaded of entry.versions.values()) kept.add(loaded);
    for (const entry of old?.models.values() ?? []) {
      for (const loaded of entry.versions.values()) if (!kept.has(loaded)) this.retire(loaded);
    }
  }

  private retire(loaded: LoadedVersion): void {
    loaded.retired = true;
    if (loaded.inflight === 0) this.release(loaded);
  }

  private release(loaded: LoadedVersion): void {
    if (loaded.released) return;
    loaded.released = true;
    loaded.session.release().catch(() => {});
  }

  private updateGauges(old: PoolState | undefined, next: PoolState): void {
    for (const [model, entry] of old?.models ?? []) {
      for (const version of entry.versions.keys()) {
        const labels = { model, version: String(version) };
        this.metrics.ready.remove(labels);
        this.metrics.weight.remove(labels);
      }
    }
    for (const [model, entry] of next.models) {
      for (const version of entry.versions.keys()) {
        const labels = { model, version: String(version) };
        this.metrics.ready.set(labels, 1);
        this.metrics.weight.set(labels, entry.split.find((s) => s.version === version)?.weight ?? 0);
      }
    }
  }
}

function sameServing(a: PoolState | undefined, b: PoolState): boolean {
  if (a === undefined) return false;
  const text = (state: PoolState) =>
    JSON.stringify([...state.models].map(([m, e]) => [m, e.split, e.shadow ?? null]));
  return text(a) === text(b);
}

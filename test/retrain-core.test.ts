import { describe, expect, it } from "vitest";
import { cronPeriodMinutes } from "../core/retrain/cron-period.ts";
import { decideRetrain, type RetrainPull, retrainMarker } from "../core/retrain/decide-retrain.ts";
import { readDriftResult } from "../core/retrain/drift-evidence.ts";
import { driftFingerprint } from "../core/retrain/drift-fingerprint.ts";
import { findStaleChecks } from "../core/retrain/find-stale-checks.ts";
import { readDriftCheckText, renderDriftResultBlock } from "../core/retrain/read-drift-check.ts";

const result = (stat: number, extra: Record<string, unknown> = {}) => ({
  target: "production",
  models: {
    weather: {
      version: 1,
      dataset: { verdict: "drift", share: 0.5 },
      features: {
        a: { method: "ks", drifted: true, ks_p_value: stat },
        b: { method: "ks", drifted: false, ks_p_value: 0.9 },
        ...extra,
      },
    },
  },
});

function evidence(value: unknown) {
  const read = readDriftResult(value);
  if (!read.ok) throw new Error(read.error);
  const [first] = read.drifted;
  if (!first) throw new Error("no drift");
  return first;
}

describe("drift fingerprints", () => {
  it("are equal for statistics that round alike and differ for a new drifted feature, version or statistic", () => {
    const base = driftFingerprint(evidence(result(0.0123)));
    expect(driftFingerprint(evidence(result(0.0124)))).toBe(base);
    expect(driftFingerprint(evidence(result(0.02)))).not.toBe(base);
    expect(driftFingerprint(evidence(result(0.0123, { c: { drifted: true, psi: 0.3 } })))).not.toBe(base);
    // A feature that did not drift does not change it.
    expect(driftFingerprint(evidence(result(0.0123, { c: { drifted: false, psi: 0.01 } })))).toBe(base);
    const other = result(0.0123);
    other.models.weather.version = 2;
    expect(driftFingerprint(evidence(other))).not.toBe(base);
  });

  it("refuses a malformed result with the field it lacks", () => {
    expect(readDriftResult({ target: "production" })).toEqual({
      ok: false,
      error: "models: Invalid input: expected record, received undefined",
    });
    const bad = readDriftResult({
      target: "p",
      models: { weather: { version: 1, dataset: { verdict: "maybe" } } },
    });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^models\.weather\.dataset\.verdict: /);
  });

  it("round-trips through a check run's text", () => {
    const text = `# Drift\n\n| table |\n\n${renderDriftResultBlock(result(0.01))}\n`;
    expect(readDriftCheckText(text)).toEqual({ ok: true, value: result(0.01) });
    expect(readDriftCheckText("no marker").ok).toBe(false);
  });
});

describe("decideRetrain", () => {
  const now = new Date("2026-03-10T00:00:00Z");
  const pull = (state: RetrainPull["state"], fingerprint: string, createdAt: string): RetrainPull => ({
    number: 1,
    url: "u",
    state,
    createdAt,
    body: `${retrainMarker("weather", fingerprint)}\nbody`,
    headRefOid: "h",
  });
  const decide = (pulls: RetrainPull[], manual = false) =>
    decideRetrain({ model: "weather", fingerprint: "f1", pulls, now, cooldownHours: 24, manual }).action;

  it("opens, updates, stays silent and waits out the cool-down", () => {
    expect(decide([])).toBe("open");
    expect(decide([pull("OPEN", "f1", "2026-03-09T00:00:00Z")])).toBe("skip");
    expect(decide([pull("OPEN", "f0", "2026-03-09T00:00:00Z")])).toBe("update");
    expect(decide([pull("CLOSED", "f1", "2026-01-01T00:00:00Z")])).toBe("skip");
    expect(decide([pull("CLOSED", "f0", "2026-01-01T00:00:00Z")])).toBe("open");
    expect(decide([pull("MERGED", "f1", "2026-01-01T00:00:00Z")])).toBe("open");
    expect(decide([pull("MERGED", "f1", "2026-03-09T12:00:00Z")])).toBe("skip");
    // Somebody asking is not held back by a closed pull request or the cool-down.
    expect(decide([pull("CLOSED", "f1", "2026-03-09T12:00:00Z")], true)).toBe("open");
    // Another model's marker is not this model's.
    const foreign = { ...pull("OPEN", "f1", "2026-03-09T00:00:00Z"), body: retrainMarker("rain", "f1") };
    expect(decide([foreign])).toBe("update");
  });
});

describe("the drift-check watchdog", () => {
  it("knows how often a schedule runs", () => {
    expect(cronPeriodMinutes("0 6 * * *")).toBe(1440);
    expect(cronPeriodMinutes("*/15 * * * *")).toBe(15);
    expect(cronPeriodMinutes("30 6 * * 1-5")).toBe(3 * 1440); // Friday to Monday
    expect(cronPeriodMinutes("0 0 1 * *")).toBe(31 * 1440);
    expect(cronPeriodMinutes("0 6,18 * * *")).toBe(720);
  });

  it("calls a check stale after twice its period without a completed run", () => {
    const targets = [
      { target: "production", schedule: "0 6 * * *" },
      { target: "weekly", schedule: "0 6 * * 1" },
    ];
    const last = new Date("2026-03-01T06:10:00Z");
    const now = new Date("2026-03-04T06:00:00Z");
    const statuses = findStaleChecks(targets, last, now, "drift.yml");
    expect(statuses.map((s) => [s.target, s.stale])).toEqual([
      ["production", true],
      ["weekly", false],
    ]);
    expect(statuses[0]?.why).toBe(
      "drift.yml last completed at 2026-03-01T06:10:00.000Z, and the schedule `0 6 * * *` runs at least every 24 h: two runs or more are missing",
    );
    expect(findStaleChecks(targets, undefined, now, "drift.yml").every((s) => s.stale)).toBe(true);
  });
});

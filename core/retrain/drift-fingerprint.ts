/**
 * The drift fingerprint: what makes two drift checks "the same drift" for a retraining pull
 * request. It covers the target, the version, the drifted features and their statistics rounded to
 * two significant digits, so a nightly re-check of unchanged drift is the same fingerprint and a new
 * feature drifting, a new version or a markedly different statistic is a new one. Pure.
 */
import { createHash } from "node:crypto";
import { type DriftEvidence, featureStatistics } from "./drift-evidence.ts";

const round = (value: number): number => Number(value.toPrecision(2));

/** The drifted features, by name, in name order. */
export function driftedFeatures(evidence: DriftEvidence): string[] {
  return Object.entries(evidence.result.features)
    .filter(([, feature]) => feature.drifted)
    .map(([name]) => name)
    .sort();
}

/** 16 hex digits of a SHA-256 over the canonical evidence. */
export function driftFingerprint(evidence: DriftEvidence): string {
  const features = driftedFeatures(evidence).map((name) => {
    const feature = evidence.result.features[name];
    const stats = feature ? featureStatistics(feature).map(([stat, value]) => [stat, round(value)]) : [];
    return [name, feature?.method ?? null, stats];
  });
  const canonical = JSON.stringify([evidence.target, evidence.model, evidence.version, features]);
  return createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}

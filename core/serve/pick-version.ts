/**
 * Which version answers a request: a canary's weights split the traffic; a routing key always
 * lands on the same version (a deterministic hash of the key); an explicit version bypasses both.
 */

/** One version a target serves, with its weight (any non-negative numbers; shares are weight / sum). */
export interface WeightedVersion {
  version: number;
  weight: number;
}

/** FNV-1a (32 bit) of the key's UTF-16 code units, scaled to [0, 1). Stable across processes. */
export function routingPoint(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // Avalanche the low bits (murmur3's finaliser) so that keys differing in the last character spread.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35) >>> 0;
  hash ^= hash >>> 16;
  return (hash >>> 0) / 0x1_0000_0000;
}

/**
 * The version at `point` (in [0, 1)) of the split: versions in the order given, each owning a slice
 * as wide as its share. Versions of weight 0 never answer; undefined when no weight is positive.
 */
export function pickVersion(split: readonly WeightedVersion[], point: number): number | undefined {
  const total = split.reduce((sum, entry) => sum + Math.max(0, entry.weight), 0);
  if (!(total > 0)) return undefined;
  let edge = 0;
  let last: number | undefined;
  const target = Math.min(Math.max(point, 0), 1) * total;
  for (const entry of split) {
    if (!(entry.weight > 0)) continue;
    edge += entry.weight;
    last = entry.version;
    if (target < edge) return entry.version;
  }
  return last;
}

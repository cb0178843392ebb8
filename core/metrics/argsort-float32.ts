/**
 * Stable ascending argsort of float32 values by LSD radix sort on their bit patterns: O(N), and
 * much faster than a comparator sort on millions of rows. -0 sorts equal to +0; NaN must be
 * rejected by the caller.
 */

export interface SortedScores {
  /** Row indices, ascending by score. */
  order: Uint32Array;
  /** Order-preserving uint32 keys of the scores, in sorted order (equal keys = tied scores). */
  keys: Uint32Array;
}

const DIGIT_BITS = 11;
const BUCKETS = 1 << DIGIT_BITS;
const SHIFTS = [0, 11, 22] as const;

/** Sorts `values` (one score per row) ascending and returns the permutation and sorted keys. */
export function argsortFloat32(values: Float32Array): SortedScores {
  const n = values.length;
  let keys = new Uint32Array(n);
  const floats = new Float32Array(keys.buffer);
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    floats[i] = v === 0 ? 0 : v; // folds -0 into +0
  }
  for (let i = 0; i < n; i++) {
    const bits = keys[i] as number;
    keys[i] = bits & 0x80000000 ? ~bits >>> 0 : (bits | 0x80000000) >>> 0;
  }
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;

  const histograms = [new Uint32Array(BUCKETS), new Uint32Array(BUCKETS), new Uint32Array(BUCKETS)] as const;
  const [low, middle, high] = histograms;
  for (let i = 0; i < n; i++) {
    const key = keys[i] as number;
    const a = key & (BUCKETS - 1);
    const b = (key >>> 11) & (BUCKETS - 1);
    const c = key >>> 22;
    low[a] = (low[a] as number) + 1;
    middle[b] = (middle[b] as number) + 1;
    high[c] = (high[c] as number) + 1;
  }

  let nextKeys = new Uint32Array(n);
  let nextOrder = new Uint32Array(n);
  for (let p = 0; p < SHIFTS.length; p++) {
    const h = histograms[p] as Uint32Array;
    const shift = SHIFTS[p] as number;
    if (n === 0 || h[((keys[0] as number) >>> shift) & (BUCKETS - 1)] === n) continue; // one digit: no-op pass
    let sum = 0;
    for (let d = 0; d < BUCKETS; d++) {
      const count = h[d] as number;
      h[d] = sum;
      sum += count;
    }
    for (let j = 0; j < n; j++) {
      const key = keys[j] as number;
      const digit = (key >>> shift) & (BUCKETS - 1);
      const target = h[digit] as number;
      h[digit] = target + 1;
      nextKeys[target] = key;
      nextOrder[target] = order[j] as number;
    }
    [keys, nextKeys] = [nextKeys, keys];
    [order, nextOrder] = [nextOrder, order];
  }
  return { order, keys };
}

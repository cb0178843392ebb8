/**
 * Distances between two vectors of shares (histogram bins or categories, same order):
 * PSI with Evidently's filling of empty shares, and scipy.spatial.distance.jensenshannon.
 */

/** Empty shares filled as Evidently does: 0.0001, or min-nonzero / 10⁶ when that is ≤ 0.0001. */
export function fillEmptyShares(shares: ArrayLike<number>): Float64Array {
  const filled = Float64Array.from(shares);
  let minNonzero = Number.POSITIVE_INFINITY;
  for (const share of filled) if (share !== 0 && share < minNonzero) minNonzero = share;
  const fill = minNonzero <= 0.0001 ? minNonzero / 1e6 : 0.0001;
  for (let i = 0; i < filled.length; i++) if (filled[i] === 0) filled[i] = fill;
  return filled;
}

/** Population stability index Σ (ref − cur) · ln(ref / cur), over filled shares. */
export function psi(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  const r = fillEmptyShares(reference);
  const c = fillEmptyShares(current);
  let total = 0;
  for (let i = 0; i < r.length; i++) {
    const ri = r[i] as number;
    const ci = c[i] as number;
    total += (ri - ci) * Math.log(ri / ci);
  }
  return total;
}

function relativeEntropy(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Number.POSITIVE_INFINITY;
}

/** scipy.spatial.distance.jensenshannon(p, q) with the natural log. */
export function jensenShannon(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    sp += p[i] as number;
    sq += q[i] as number;
  }
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = (p[i] as number) / sp;
    const qi = (q[i] as number) / sq;
    const m = (pi + qi) / 2;
    left += relativeEntropy(pi, m);
    right += relativeEntropy(qi, m);
  }
  return Math.sqrt((left + right) / 2);
}

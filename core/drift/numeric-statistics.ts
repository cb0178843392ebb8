/**
 * Distances between two numeric samples, each a sorted Float64Array without missing values,
 * matching scipy and numpy: the Wasserstein-1 distance (scipy.stats.wasserstein_distance) by one
 * merge walk, numpy's population std, Sturges bin edges (numpy.histogram_bin_edges over both
 * samples together) and the bin shares numpy.histogram counts.
 */

/** numpy.std(values) (population, two-pass). */
export function populationStd(values: ArrayLike<number>): number {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] as number;
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - mean;
    squares += d * d;
  }
  return Math.sqrt(squares / n);
}

/** scipy.stats.wasserstein_distance(a, b) for sorted, non-empty samples: ∫ |F_a − F_b|. */
export function wassersteinDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const na = a.length;
  const nb = b.length;
  let i = 0;
  let j = 0;
  let total = 0;
  let previous = Number.NaN;
  let gap = 0;
  while (i < na || j < nb) {
    const x =
      j >= nb || (i < na && (a[i] as number) <= (b[j] as number)) ? (a[i] as number) : (b[j] as number);
    if (!Number.isNaN(previous)) total += gap * (x - previous);
    while (i < na && (a[i] as number) <= x) i++;
    while (j < nb && (b[j] as number) <= x) j++;
    gap = Math.abs(i / na - j / nb);
    previous = x;
  }
  return total;
}

/** Wasserstein distance divided by the reference's population std, floored at 0.001 (Evidently). */
export function wassersteinNormed(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  return wassersteinDistance(reference, current) / Math.max(populationStd(reference), 0.001);
}

/** numpy.histogram_bin_edges(concat(a, b), bins="sturges") for sorted, non-empty samples. */
export function sturgesEdges(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const n = a.length + b.length;
  const min = Math.min(a[0] as number, b[0] as number);
  const max = Math.max(a[a.length - 1] as number, b[b.length - 1] as number);
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const width = (max - min) / (Math.log2(n) + 1);
  const bins = width ? Math.ceil((last - first) / width) : 1;
  const edges = new Float64Array(bins + 1);
  const step = (last - first) / bins;
  for (let i = 0; i < bins; i++) edges[i] = i * step + first;
  edges[bins] = last;
  return edges;
}

/** First index whose value is ≥ x (`left`) or > x (`right`), as numpy.searchsorted. */
export function searchSorted(values: ArrayLike<number>, x: number, side: "left" | "right"): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = values[mid] as number;
    if (side === "left" ? v < x : v <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** numpy.histogram(values, edges)[0] / len(values) for a sorted sample: the last bin is closed. */
export function binShares(values: ArrayLike<number>, edges: ArrayLike<number>): Float64Array {
  const bins = edges.length - 1;
  const shares = new Float64Array(bins);
  let below = searchSorted(values, edges[0] as number, "left");
  for (let i = 0; i < bins; i++) {
    const upTo = searchSorted(values, edges[i + 1] as number, i === bins - 1 ? "right" : "left");
    shares[i] = (upTo - below) / values.length;
    below = upTo;
  }
  return shares;
}

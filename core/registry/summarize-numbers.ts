/** Quantiles and a histogram of a column's numbers, for the reference profile. */

/** Rounds away float noise (0.30000000000000004 → 0.3) while keeping 12 significant digits. */
export function roundNumber(value: number): number {
  return value === 0 ? 0 : Number(value.toPrecision(12));
}

/**
 * Quantiles at `fractions` of ascending `sorted` values, interpolated linearly between the
 * closest ranks (numpy's default, `linear`). `sorted` must not be empty.
 */
export function quantilesOf(sorted: Float64Array, fractions: readonly number[]): number[] {
  const last = sorted.length - 1;
  return fractions.map((fraction) => {
    const position = fraction * last;
    const low = Math.floor(position);
    const high = Math.ceil(position);
    const a = sorted[low] as number;
    const b = sorted[high] as number;
    return roundNumber(a + (b - a) * (position - low));
  });
}

/**
 * Equal-width bin edges from `min` to `max` (`bins + 1` of them, rounded, the ends exact). A
 * constant column gets one bin, [min, max].
 */
export function binEdges(min: number, max: number, bins: number): number[] {
  if (!(max > min)) return [min, max];
  const width = (max - min) / bins;
  const edges = [min];
  for (let i = 1; i < bins; i++) edges.push(roundNumber(min + width * i));
  edges.push(max);
  return edges;
}

/**
 * How many of `values` fall in each bin: bin i is [edges[i], edges[i+1]), the last one closed, so
 * every value between the first and last edge is counted once.
 */
export function histogram(values: Float64Array, edges: readonly number[]): number[] {
  const bins = edges.length - 1;
  const counts = new Array<number>(bins).fill(0);
  const min = edges[0] as number;
  const max = edges[bins] as number;
  const width = (max - min) / bins;
  for (const value of values) {
    let bin = width > 0 ? Math.floor((value - min) / width) : 0;
    if (bin < 0) bin = 0;
    if (bin > bins - 1) bin = bins - 1;
    while (bin > 0 && value < (edges[bin] as number)) bin--;
    while (bin < bins - 1 && value >= (edges[bin + 1] as number)) bin++;
    counts[bin] = (counts[bin] as number) + 1;
  }
  return counts;
}

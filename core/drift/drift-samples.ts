/**
 * One column's values on one side of a drift check, missing values already dropped: a numeric
 * column as a sorted Float64Array, a categorical one as counts per category.
 */

export interface NumericSample {
  /** The non-missing values, sorted ascending. */
  values: Float64Array;
}

/** Counts over the categories of both sides, in the same (sorted) order on both. */
export interface CategoryCounts {
  categories: string[];
  counts: Float64Array;
  /** counts / their sum. */
  shares: Float64Array;
}

export type ColumnSample =
  | { kind: "numeric"; values: Float64Array; missing: number }
  | { kind: "categorical"; counts: ReadonlyMap<string, number>; missing: number };

/** The number of non-missing values. */
export function presentCount(sample: ColumnSample): number {
  if (sample.kind === "numeric") return sample.values.length;
  let total = 0;
  for (const count of sample.counts.values()) total += count;
  return total;
}

/** A numeric sample's values counted as categories (their decimal text). */
export function countValues(values: ArrayLike<number>): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < values.length; i++) {
    const key = String(values[i]);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Either sample's counts by category (numbers by their text). */
export function categoryCountsOf(sample: ColumnSample): ReadonlyMap<string, number> {
  return sample.kind === "categorical" ? sample.counts : countValues(sample.values);
}

/** Both sides' counts over the union of their categories; a category absent from a side counts 0. */
export function alignCategories(
  reference: ReadonlyMap<string, number>,
  current: ReadonlyMap<string, number>,
): [CategoryCounts, CategoryCounts] {
  const categories = [...new Set([...reference.keys(), ...current.keys()])].sort();
  const side = (counts: ReadonlyMap<string, number>): CategoryCounts => {
    const values = Float64Array.from(categories, (c) => counts.get(c) ?? 0);
    const total = values.reduce((sum, v) => sum + v, 0);
    return { categories, counts: values, shares: values.map((v) => v / total) };
  };
  return [side(reference), side(current)];
}

/** Distinct values over two sorted samples together, counting no further than `limit`. */
export function countUnique(a: Float64Array, b: Float64Array, limit: number): number {
  let i = 0;
  let j = 0;
  let unique = 0;
  while ((i < a.length || j < b.length) && unique < limit) {
    const x = j >= b.length || (i < a.length && (a[i] as number) <= (b[j] as number)) ? a[i] : b[j];
    unique++;
    while (i < a.length && a[i] === x) i++;
    while (j < b.length && b[j] === x) j++;
  }
  return unique;
}

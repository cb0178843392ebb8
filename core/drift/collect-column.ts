/**
 * Collects one column's cells into a drift sample: numbers into a growing Float64Array (sorted
 * once at the end), text into counts per category. Missing cells (null, NaN, and the texts of
 * core/data/missing-values.ts) only count. A column that meets text after numbers becomes
 * categorical, its numbers counted by their decimal text.
 */
import { isMissingValue } from "../data/missing-values.ts";
import type { ColumnSample } from "./drift-samples.ts";

export class ColumnCollector {
  private values: Float64Array;
  private size = 0;
  private counts: Map<string, number> | undefined;
  missing = 0;

  /**
   * `capacity`: how many values to make room for at once, when the reader knows an upper bound
   * (a Parquet file's row count, a CSV file's line count), so the buffer is never copied to grow.
   */
  constructor(capacity = 1024) {
    this.values = new Float64Array(Math.max(1, capacity));
  }

  /** Adds many numbers at once (NaN counts as missing), as a column decoder hands them over. */
  addNumbers(values: Float64Array): void {
    const n = values.length;
    if (this.counts !== undefined) {
      for (let i = 0; i < n; i++) this.add(values[i]);
      return;
    }
    if (this.size + n > this.values.length) this.grow(this.size + n);
    const target = this.values;
    const start = this.size;
    target.set(values, start);
    // then drop the NaNs, if any, moving the rest down over them
    let size = start;
    for (let i = start; i < start + n; i++) {
      const value = target[i] as number;
      if (Number.isNaN(value)) this.missing++;
      else target[size++] = value;
    }
    this.size = size;
  }

  add(cell: number | string | null | undefined): void {
    if (cell === null || cell === undefined) {
      this.missing++;
    } else if (typeof cell === "number") {
      if (Number.isNaN(cell)) this.missing++;
      else if (this.counts !== undefined) this.count(String(cell));
      else this.push(cell);
    } else if (isMissingValue(cell)) {
      this.missing++;
    } else {
      if (this.counts === undefined) this.becomeCategorical();
      this.count(cell);
    }
  }

  private push(value: number): void {
    if (this.size === this.values.length) this.grow(this.size + 1);
    this.values[this.size++] = value;
  }

  private grow(needed: number): void {
    const grown = new Float64Array(Math.max(needed, this.values.length * 2));
    grown.set(this.values.subarray(0, this.size));
    this.values = grown;
  }

  private count(category: string): void {
    const counts = this.counts as Map<string, number>;
    counts.set(category, (counts.get(category) ?? 0) + 1);
  }

  private becomeCategorical(): void {
    this.counts = new Map();
    for (let i = 0; i < this.size; i++) this.count(String(this.values[i]));
    this.values = new Float64Array(0);
    this.size = 0;
  }

  finish(): ColumnSample {
    if (this.counts !== undefined) return { kind: "categorical", counts: this.counts, missing: this.missing };
    // a view, not a copy: sorting in place keeps the peak at the buffer itself
    const values = this.values.subarray(0, this.size);
    this.values = new Float64Array(0);
    return { kind: "numeric", values: values.sort(), missing: this.missing };
  }
}

/**
 * Collects one column's cells into a drift sample: numbers into a growing Float64Array (sorted
 * once at the end), text into counts per category. Missing cells (null, NaN, and the texts of
 * core/data/missing-values.ts) only count. A column that meets text after numbers becomes
 * categorical, its numbers counted by their decimal text.
 */
import { isMissingValue } from "../data/missing-values.ts";
import type { ColumnSample } from "./drift-samples.ts";

export class ColumnCollector {
  private values = new Float64Array(1024);
  private size = 0;
  private counts: Map<string, number> | undefined;
  missing = 0;

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
    if (this.size === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.size++] = value;
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

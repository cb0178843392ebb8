/**
 * The reference profile drift checks read instead of the raw training data: per column the exact
 * count, missing count, min and max; for numeric columns a seeded uniform reservoir sample of up
 * to 10,000 values (all of them when there are fewer); for categorical columns exact counts.
 * Built from batches of cells, in bounded memory, and turned back into drift samples.
 */
import type { ReferenceColumn, ReferenceProfile } from "../../schemas/reference-profile.ts";
import { isMissingValue } from "../data/missing-values.ts";
import { createRandom, type Random } from "../metrics/random.ts";
import type { CellBatch } from "../registry/profile-table.ts";
import type { ColumnSample } from "./drift-samples.ts";

export const REFERENCE_SAMPLE_SIZE = 10_000;
export const REFERENCE_SEED = 1;

/**
 * One column. Numbers go to the reservoir, and are also counted by value while there are at most
 * `size` distinct ones, so a column that turns out categorical (a text cell after numbers) still
 * gets exact counts; past that, its earlier numbers count as the reservoir holds them.
 */
class ColumnReservoir {
  private readonly reservoir: number[] = [];
  private numbers = 0;
  private missing = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;
  private numberCounts: Map<number, number> | undefined = new Map();
  private categories: Map<string, number> | undefined;

  constructor(
    private readonly size: number,
    private readonly random: Random,
  ) {}

  add(cell: number | string | null | undefined): void {
    if (cell === null || cell === undefined || (typeof cell === "number" && Number.isNaN(cell))) {
      this.missing++;
    } else if (typeof cell === "string") {
      if (isMissingValue(cell)) this.missing++;
      else this.count(cell);
    } else if (this.categories !== undefined) {
      this.count(String(cell));
    } else {
      this.addNumber(cell);
    }
  }

  private addNumber(value: number): void {
    this.numbers++;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (this.numberCounts !== undefined) {
      this.numberCounts.set(value, (this.numberCounts.get(value) ?? 0) + 1);
      if (this.numberCounts.size > this.size) this.numberCounts = undefined;
    }
    if (this.reservoir.length < this.size) this.reservoir.push(value);
    else {
      const slot = this.random.nextInt(this.numbers);
      if (slot < this.size) this.reservoir[slot] = value;
    }
  }

  private count(category: string): void {
    if (this.categories === undefined) {
      this.categories = new Map();
      const earlier = this.numberCounts ?? new Map(this.reservoir.map((v) => [v, 0]));
      if (this.numberCounts === undefined)
        for (const v of this.reservoir) earlier.set(v, (earlier.get(v) ?? 0) + 1);
      for (const [value, n] of earlier) this.categories.set(String(value), n);
      this.reservoir.length = 0;
      this.numberCounts = undefined;
    }
    this.categories.set(category, (this.categories.get(category) ?? 0) + 1);
  }

  finish(): ReferenceColumn {
    if (this.categories !== undefined) {
      const sorted = [...this.categories].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const count = sorted.reduce((sum, [, n]) => sum + n, 0);
      return { kind: "categorical", count, missing: this.missing, counts: Object.fromEntries(sorted) };
    }
    return {
      kind: "numeric",
      count: this.numbers,
      missing: this.missing,
      min: this.numbers > 0 ? this.min : null,
      max: this.numbers > 0 ? this.max : null,
      sample: Array.from(Float64Array.from(this.reservoir).sort()),
    };
  }
}

/** Builds a reference profile batch by batch. */
export class ReferenceProfiler {
  private readonly columns: ColumnReservoir[];
  private readonly predictionColumn: ColumnReservoir;
  private rows = 0;
  private predicted = false;

  constructor(
    readonly names: readonly string[],
    private readonly size = REFERENCE_SAMPLE_SIZE,
    private readonly seed = REFERENCE_SEED,
  ) {
    this.columns = names.map((_, i) => new ColumnReservoir(size, createRandom(seed + i)));
    this.predictionColumn = new ColumnReservoir(size, createRandom(seed + names.length));
  }

  add(batch: CellBatch): void {
    this.columns.forEach((column, c) => {
      const cells = batch.values[c] as ArrayLike<number | string | null>;
      for (let r = 0; r < batch.rows; r++) column.add(cells[r]);
    });
    this.rows += batch.rows;
  }

  /** The model's predictions on the same rows (labels or values). */
  addPredictions(values: ArrayLike<number | string | null>): void {
    this.predicted = true;
    for (let i = 0; i < values.length; i++) this.predictionColumn.add(values[i]);
  }

  finish(): ReferenceProfile {
    return {
      format: "modelci-reference-profile/1",
      rows: this.rows,
      "sample-size": this.size,
      seed: this.seed,
      features: Object.fromEntries(
        this.names.map((name, i) => [name, (this.columns[i] as ColumnReservoir).finish()]),
      ),
      ...(this.predicted ? { predictions: this.predictionColumn.finish() } : {}),
    };
  }
}

/** A profile column as the reference side of a drift check. */
export function referenceSample(column: ReferenceColumn): ColumnSample {
  if (column.kind === "categorical") {
    return { kind: "categorical", counts: new Map(Object.entries(column.counts)), missing: column.missing };
  }
  // The sample stands for all `count` values; missing cells are scaled to the same proportion.
  const values = Float64Array.from(column.sample).sort();
  const missing = column.count === 0 ? column.missing : (column.missing * values.length) / column.count;
  return { kind: "numeric", values, missing };
}

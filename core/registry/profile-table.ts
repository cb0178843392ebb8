/**
 * The reference profile of a table (the training data), computed from batches of cells so a
 * table of any size streams through in bounded memory:
 *
 * - A column whose non-missing cells are all numbers is numeric: count, missing, min, max, mean,
 *   population std (exact, streamed), deciles and a 10-bin equal-width histogram over [min, max].
 *   Deciles and histogram are exact up to `maxValues` numbers per column; past that they come
 *   from a uniform reservoir sample of `maxValues` numbers (seeded, so reproducible), and the
 *   histogram's counts add up to the sample size rather than to `count`.
 * - Any other column (one string is enough) is categorical: frequencies of the `topCategories`
 *   most frequent values (ties by name), the rest summed under `__other__`. Numbers in a
 *   categorical column count under their decimal text.
 * - Missing cells are `null` (and NaN); they count in `missing`, never in a statistic.
 */
import type { Profile } from "../../schemas/version.ts";
import { createRandom, type Random } from "../metrics/random.ts";
import { binEdges, histogram, quantilesOf, roundNumber } from "./summarize-numbers.ts";

export type Cell = number | string | null;

/** One batch of rows, column by column: `values[i]` holds column i's cells, `rows` of them. */
export interface CellBatch {
  rows: number;
  values: ReadonlyArray<ArrayLike<Cell>>;
}

export interface ProfileOptions {
  /** Categories kept by name; default 50. */
  topCategories?: number;
  /** Histogram bins; default 10. */
  bins?: number;
  /** Numbers kept per column for deciles and the histogram; default 1,000,000. */
  maxValues?: number;
  /** Distinct categories tracked per column; later new ones count under `__other__`. Default 100,000. */
  maxDistinct?: number;
  /** Seed of the reservoir sample; default 1. */
  seed?: number;
}

export const OTHER_CATEGORY = "__other__";
const DECILES = Array.from({ length: 11 }, (_, i) => i / 10);

type FeatureProfile = Profile["features"][string];

class ColumnAccumulator {
  missing = 0;
  numbers = 0;
  strings = 0;
  private mean = 0;
  private m2 = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;
  private values = new Float64Array(1024);
  private stored = 0;
  /** Set once the column holds a string; from then on every value is counted as a category. */
  private categories: Map<string, number> | undefined;
  /** Values counted under `__other__`: past `maxDistinct`, or numbers the sample had dropped. */
  private overflow = 0;

  constructor(
    private readonly options: Required<ProfileOptions>,
    private readonly random: Random,
  ) {}

  add(cell: Cell): void {
    if (cell === null || (typeof cell === "number" && Number.isNaN(cell))) {
      this.missing++;
    } else if (typeof cell === "number") {
      this.addNumber(cell);
    } else {
      this.strings++;
      if (this.categories === undefined) this.becomeCategorical();
      this.count(cell);
    }
  }

  private addNumber(value: number): void {
    this.numbers++;
    if (this.categories !== undefined) {
      this.count(String(value));
      return;
    }
    const delta = value - this.mean;
    this.mean += delta / this.numbers;
    this.m2 += delta * (value - this.mean);
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    const { maxValues } = this.options;
    if (this.stored < maxValues) {
      if (this.stored === this.values.length) {
        const grown = new Float64Array(Math.min(maxValues, this.values.length * 2));
        grown.set(this.values);
        this.values = grown;
      }
      this.values[this.stored++] = value;
    } else {
      const slot = this.random.nextInt(this.numbers);
      if (slot < maxValues) this.values[slot] = value;
    }
  }

  private becomeCategorical(): void {
    this.categories = new Map();
    for (let i = 0; i < this.stored; i++) this.count(String(this.values[i]));
    this.overflow += this.numbers - this.stored;
    this.values = new Float64Array(0);
    this.stored = 0;
  }

  private count(category: string): void {
    const categories = this.categories as Map<string, number>;
    const seen = categories.get(category);
    if (seen !== undefined) categories.set(category, seen + 1);
    else if (categories.size < this.options.maxDistinct) categories.set(category, 1);
    else this.overflow++;
  }

  finish(): FeatureProfile {
    if (this.categories === undefined && this.numbers > 0) return this.finishNumeric();
    const ranked = [...(this.categories ?? new Map<string, number>())].sort(
      ([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0),
    );
    const kept = ranked.slice(0, this.options.topCategories);
    const other = ranked.slice(this.options.topCategories).reduce((sum, [, n]) => sum + n, this.overflow);
    const frequencies = new Map(kept);
    if (other > 0) frequencies.set(OTHER_CATEGORY, (frequencies.get(OTHER_CATEGORY) ?? 0) + other);
    return {
      kind: "categorical",
      count: this.numbers + this.strings,
      missing: this.missing,
      frequencies: Object.fromEntries(frequencies),
    };
  }

  private finishNumeric(): FeatureProfile {
    const sorted = this.values.slice(0, this.stored).sort();
    const quantiles = quantilesOf(sorted, DECILES);
    quantiles[0] = this.min;
    quantiles[quantiles.length - 1] = this.max;
    const edges = binEdges(this.min, this.max, this.options.bins);
    return {
      kind: "numeric",
      count: this.numbers,
      missing: this.missing,
      min: this.min,
      max: this.max,
      mean: roundNumber(this.mean),
      std: roundNumber(Math.sqrt(this.m2 / this.numbers)),
      quantiles,
      bins: { edges, counts: histogram(sorted, edges) },
    };
  }
}

/** Accumulates a table's profile batch by batch; `finish` returns it. */
export class TableProfiler {
  private readonly accumulators: ColumnAccumulator[];
  private rows = 0;

  constructor(
    readonly columns: readonly string[],
    options: ProfileOptions = {},
  ) {
    const settings: Required<ProfileOptions> = {
      topCategories: options.topCategories ?? 50,
      bins: options.bins ?? 10,
      maxValues: options.maxValues ?? 1_000_000,
      maxDistinct: options.maxDistinct ?? 100_000,
      seed: options.seed ?? 1,
    };
    this.accumulators = columns.map(
      (_, i) => new ColumnAccumulator(settings, createRandom(settings.seed + i)),
    );
  }

  add(batch: CellBatch): void {
    if (batch.values.length !== this.accumulators.length) {
      throw new Error(`a batch has ${batch.values.length} columns, the profile ${this.accumulators.length}`);
    }
    this.accumulators.forEach((accumulator, c) => {
      const cells = batch.values[c] as ArrayLike<Cell>;
      for (let r = 0; r < batch.rows; r++) accumulator.add(cells[r] ?? null);
    });
    this.rows += batch.rows;
  }

  finish(): Profile {
    const features = new Map(
      this.columns.map((name, i) => [name, (this.accumulators[i] as ColumnAccumulator).finish()]),
    );
    return { rows: this.rows, features: Object.fromEntries(features) };
  }
}

/** The profile of a table given as batches (see TableProfiler). */
export function profileTable(
  columns: readonly string[],
  batches: Iterable<CellBatch>,
  options?: ProfileOptions,
): Profile {
  const profiler = new TableProfiler(columns, options);
  for (const batch of batches) profiler.add(batch);
  return profiler.finish();
}

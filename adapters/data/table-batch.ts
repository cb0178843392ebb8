/** One batch of rows from an evaluation table, typed and ready for an ONNX float tensor. */
export interface TableBatch {
  /** Index of the first row of this batch in the file (0-based, data rows only). */
  rowOffset: number;
  rows: number;
  /** Row-major, `rows × features.length`. */
  features: Float32Array;
  /** Strings for a "category" label (always strings, whatever the file's type), Float64Array for "number". */
  labels: (string | number | null)[] | Float64Array;
}

export type LabelKind = "category" | "number";

/** The largest magnitude a float32 holds; larger feature values are an error, not Infinity. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** Fills one batch at a time; the text readers write cells straight into its arrays. */
export class BatchBuilder {
  features: Float32Array;
  numberLabels: Float64Array;
  categoryLabels: string[];
  rows = 0;
  rowOffset = 0;

  constructor(
    readonly featureCount: number,
    readonly labelKind: LabelKind,
    readonly capacity: number,
  ) {
    this.features = new Float32Array(capacity * featureCount);
    this.numberLabels = new Float64Array(labelKind === "number" ? capacity : 0);
    this.categoryLabels = labelKind === "category" ? new Array<string>(capacity) : [];
  }

  get full(): boolean {
    return this.rows === this.capacity;
  }

  /** Hands the filled rows over and starts a fresh batch after them. */
  take(): TableBatch {
    const { rows, featureCount } = this;
    const whole = rows === this.capacity;
    const batch: TableBatch = {
      rowOffset: this.rowOffset,
      rows,
      features: whole ? this.features : this.features.slice(0, rows * featureCount),
      labels:
        this.labelKind === "number"
          ? whole
            ? this.numberLabels
            : this.numberLabels.slice(0, rows)
          : whole
            ? this.categoryLabels
            : this.categoryLabels.slice(0, rows),
    };
    this.rowOffset += rows;
    this.rows = 0;
    this.features = new Float32Array(this.capacity * featureCount);
    this.numberLabels = new Float64Array(this.labelKind === "number" ? this.capacity : 0);
    this.categoryLabels = this.labelKind === "category" ? new Array<string>(this.capacity) : [];
    return batch;
  }
}

/** What a format's reader needs once the file is chosen. */
export interface StreamTableOptions {
  label: string;
  features?: readonly string[] | undefined;
  labelKind: LabelKind;
  batchRows: number;
}

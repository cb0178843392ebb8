import { UserError } from "../../core/errors.ts";

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

/** What to do with a row that has a missing value (see core/data/missing-values.ts) in a used column. */
export type MissingPolicy = "error" | "drop";

/**
 * Fills one batch at a time; the text readers write cells straight into its arrays. A row with a
 * missing cell is never added: the reader calls `skipMissing` instead, and `finish` refuses the
 * file afterwards when the policy is `error`, with the count and the first such cell.
 */
export class BatchBuilder {
  features: Float32Array;
  numberLabels: Float64Array;
  categoryLabels: string[];
  rows = 0;
  rowOffset = 0;
  /** Rows left out for a missing value, and where the first one was (`path:line:col: column "x"`). */
  missingRows = 0;
  firstMissing: string | undefined;

  constructor(
    readonly featureCount: number,
    readonly labelKind: LabelKind,
    readonly capacity: number,
  ) {
    this.features = new Float32Array(capacity * featureCount);
    this.numberLabels = new Float64Array(labelKind === "number" ? capacity : 0);
    this.categoryLabels = labelKind === "category" ? new Array<string>(capacity) : [];
  }

  /** Leaves the row being read out: it has a missing value at `where`. */
  skipMissing(where: string): void {
    this.missingRows += 1;
    this.firstMissing ??= where;
  }

  /**
   * After the last row: under the `error` policy, a file with missing values is refused, saying how
   * many rows and where the first is; under `drop`, the count goes to `onDropped`.
   */
  finish(policy: MissingPolicy, onDropped?: (rows: number) => void): void {
    if (this.missingRows === 0) return;
    if (policy === "drop") {
      onDropped?.(this.missingRows);
      return;
    }
    const count = this.missingRows === 1 ? "1 row has one" : `the first of ${this.missingRows} rows with one`;
    throw new UserError(
      `${this.firstMissing}: missing value (empty, NA, NaN or null); ${count}. Set \`evaluate.missing: drop\` in the experiment (or pass --missing drop) to leave such rows out`,
    );
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
  /** Rows with a missing value: an error (default) or left out. */
  missing?: MissingPolicy | undefined;
  /** Told how many rows were left out under the `drop` policy. */
  onDropped?: ((rows: number) => void) | undefined;
}

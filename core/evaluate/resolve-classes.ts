/**
 * Class order and label mapping for classification: which output column is which class, and the
 * class index of every row's label.
 *
 * Class order: `--classes` (model.yaml `classes`), else the model's `modelci.classes`, else the
 * sorted label values (numeric order when every value is a number, as scikit-learn's LabelEncoder).
 */
import { UserError } from "../errors.ts";
import { describeDifference, list, sameList } from "./describe-difference.ts";
import type { ModelInfo } from "./model-info.ts";

export type ClassSource = "option" | "model" | "labels";

export interface ResolvedClasses {
  classes: string[];
  source: ClassSource;
}

const SOURCE_NAMES: Record<ClassSource, string> = {
  option: "--classes",
  model: "the model's modelci.classes",
  labels: "the sorted label values",
};

/** The classes known before the data is read, or undefined when they come from the labels. */
export function resolveDeclaredClasses(
  model: ModelInfo,
  option: readonly string[] | undefined,
): ResolvedClasses | undefined {
  if (option !== undefined) {
    if (option.length < 2) throw new UserError(`--classes needs at least 2 classes, got ${option.length}`);
    if (new Set(option).size !== option.length) throw new UserError("--classes lists a class twice");
    if (model.classes !== undefined && !sameList(model.classes, option)) {
      throw new UserError(
        `--classes ${list(option)} disagree with ${model.path}'s modelci.classes ${list(model.classes)}: ` +
          describeDifference(model.classes, option, { expected: "the model", actual: "--classes" }),
      );
    }
    return { classes: [...option], source: "option" };
  }
  if (model.classes !== undefined) return { classes: [...model.classes], source: "model" };
  return undefined;
}

/** The distinct label values, sorted: numerically when all are numbers, else by code point. */
export function classesFromLabels(values: readonly string[]): ResolvedClasses {
  const numeric = values.every((value) => value.trim() !== "" && Number.isFinite(Number(value)));
  const classes = [...values].sort(
    numeric ? (a, b) => Number(a) - Number(b) || (a < b ? -1 : 1) : (a, b) => (a < b ? -1 : a > b ? 1 : 0),
  );
  return { classes, source: "labels" };
}

/** The classes must name every column of the model's probability output. */
export function checkClassCount(model: ModelInfo, resolved: ResolvedClasses, columns: number): void {
  const { classes, source } = resolved;
  if (classes.length === columns) return;
  const advice =
    source === "labels"
      ? "; the data may not contain every class: pass --classes with the model's classes in output order"
      : "";
  throw new UserError(
    `${model.path}: the probability output has ${columns} columns, but ${SOURCE_NAMES[source]} ` +
      `${classes.length === 1 ? "is" : "are"} ${classes.length} (${list(classes)})${advice}`,
  );
}

/** A label value the classes do not cover; `row` is the 1-based data row (the header not counted). */
export function labelOutsideClasses(
  dataPath: string,
  value: string,
  row: number,
  resolved: ResolvedClasses,
): UserError {
  return new UserError(
    `${dataPath}: data row ${row}: label ${JSON.stringify(value)} is not one of the model's ${resolved.classes.length} ` +
      `classes (${resolved.classes.join(", ")}, from ${SOURCE_NAMES[resolved.source]})`,
  );
}

/**
 * Maps label codes (indexes into `values`, the distinct labels in order of first appearance) to
 * class indexes, in place. `firstRows[v]` is the 1-based row where `values[v]` first appears.
 */
export function mapLabelCodes(
  dataPath: string,
  codes: Int32Array,
  values: readonly string[],
  firstRows: readonly number[],
  resolved: ResolvedClasses,
): Int32Array {
  const indexOf = new Map(resolved.classes.map((name, index) => [name, index]));
  const classOfCode = values.map((value, code) => {
    const index = indexOf.get(value);
    if (index === undefined) throw labelOutsideClasses(dataPath, value, firstRows[code] ?? 0, resolved);
    return index;
  });
  for (let i = 0; i < codes.length; i++) codes[i] = classOfCode[codes[i] as number] as number;
  return codes;
}

/**
 * For each of the candidate's classes, the baseline output column that holds it. A baseline without
 * `modelci.classes` is taken to use the candidate's order; one with them must cover the same classes.
 */
export function alignBaselineClasses(
  baseline: ModelInfo,
  candidate: readonly string[],
  baselineColumns: number,
): Int32Array {
  const own = baseline.classes ?? candidate;
  if (baseline.classes !== undefined) {
    const ownSet = new Set(own);
    if (own.length !== candidate.length || !candidate.every((name) => ownSet.has(name))) {
      throw new UserError(
        `baseline ${baseline.path} has the classes ${list(own)}, the candidate ${list(candidate)}: ` +
          describeDifference(candidate, own, { expected: "the candidate", actual: "the baseline" }),
      );
    }
  }
  if (own.length !== baselineColumns) {
    throw new UserError(
      `baseline ${baseline.path}: the probability output has ${baselineColumns} columns, the candidate's classes are ${candidate.length} (${list(candidate)})`,
    );
  }
  const columnOf = new Map(own.map((name, column) => [name, column]));
  return Int32Array.from(candidate, (name) => columnOf.get(name) as number);
}

/** Row-major N×C values with their columns taken in `order` (column k of the result = column order[k]). */
export function permuteColumns(values: Float32Array, order: Int32Array): Float32Array {
  const columns = order.length;
  if (order.every((column, k) => column === k)) return values;
  const out = new Float32Array(values.length);
  for (let base = 0; base < values.length; base += columns) {
    for (let k = 0; k < columns; k++) out[base + k] = values[base + (order[k] as number)] as number;
  }
  return out;
}

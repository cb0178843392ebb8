import { didYouMean } from "../../core/declarations/did-you-mean.ts";
import { UserError } from "../../core/errors.ts";

/** Which file columns a read uses: features in the order asked for, and the label. */
export interface ResolvedColumns {
  featureNames: string[];
  /** For each feature, its index among the file's columns. */
  featureIndexes: number[];
  labelIndex: number;
}

/**
 * Checks a label and feature list against a table's header. Features default to every column but
 * the label, in file order. A name not in the header is an error that lists the columns.
 */
export function resolveColumns(
  path: string,
  columns: readonly string[],
  label: string,
  features?: readonly string[],
): ResolvedColumns {
  const indexOf = new Map<string, number>();
  columns.forEach((name, i) => {
    if (indexOf.has(name))
      throw new UserError(`${path}: column ${JSON.stringify(name)} appears twice in the header`);
    indexOf.set(name, i);
  });
  const labelIndex = indexOf.get(label);
  if (labelIndex === undefined) throw missingColumn(path, "label", label, columns);
  const featureNames = features ? [...features] : columns.filter((name) => name !== label);
  if (featureNames.length === 0) throw new UserError(`${path}: no feature columns besides the label`);
  const seen = new Set<string>();
  const featureIndexes = featureNames.map((name) => {
    const index = indexOf.get(name);
    if (index === undefined) throw missingColumn(path, "feature", name, columns);
    if (name === label)
      throw new UserError(`${path}: column ${JSON.stringify(name)} is the label, not a feature`);
    if (seen.has(name)) throw new UserError(`${path}: feature ${JSON.stringify(name)} is listed twice`);
    seen.add(name);
    return index;
  });
  return { featureNames, featureIndexes, labelIndex };
}

function missingColumn(path: string, role: string, name: string, columns: readonly string[]): UserError {
  const shown =
    columns.length > 30 ? [...columns.slice(0, 30), `... (${columns.length - 30} more)`] : columns;
  return new UserError(
    `${path}: no ${role} column ${JSON.stringify(name)}${didYouMean(name, columns)}; columns: ${shown.join(", ")}`,
  );
}

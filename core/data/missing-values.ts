/** Cells every reader treats as missing: empty, `NA`, `NaN` and `null` (after trimming spaces). */
export const MISSING_VALUES: ReadonlySet<string> = new Set(["", "NA", "NaN", "null"]);

/** Whether a cell's text is a missing value. */
export function isMissingValue(text: string): boolean {
  return MISSING_VALUES.has(text.trim());
}

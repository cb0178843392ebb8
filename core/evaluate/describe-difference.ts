/** Says how two ordered name lists differ, for "the model expects these columns" messages. */

const SHOWN = 8;

/** `missing from the data: a; not in the model: b`, or the first position where the order differs. */
export function describeDifference(
  expected: readonly string[],
  actual: readonly string[],
  names: { expected: string; actual: string },
): string {
  const actualSet = new Set(actual);
  const expectedSet = new Set(expected);
  const missing = expected.filter((name) => !actualSet.has(name));
  const extra = actual.filter((name) => !expectedSet.has(name));
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`missing from ${names.actual}: ${list(missing)}`);
  if (extra.length > 0) parts.push(`not in ${names.expected}: ${list(extra)}`);
  if (parts.length > 0) return parts.join("; ");
  const at = expected.findIndex((name, i) => actual[i] !== name);
  return (
    `same names in a different order: position ${at + 1} is ${quote(expected[at])} in ${names.expected} ` +
    `and ${quote(actual[at])} in ${names.actual}`
  );
}

/** `a, b, c` with at most a few names shown. */
export function list(values: readonly string[]): string {
  const shown = values.slice(0, SHOWN).map(quote);
  if (values.length > SHOWN) shown.push(`… (${values.length - SHOWN} more)`);
  return shown.join(", ");
}

function quote(name: string | undefined): string {
  return name === undefined ? "(none)" : `\`${name}\``;
}

export function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => b[i] === name);
}

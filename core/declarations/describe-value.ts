/** Shows a value the way a user wrote it, short: `"fast"`, `3`, `a list`, `a mapping`. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : "a list";
  if (typeof value === "object") return Object.keys(value).length === 0 ? "an empty mapping" : "a mapping";
  if (typeof value === "string") {
    const text = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return JSON.stringify(text);
  }
  return String(value);
}

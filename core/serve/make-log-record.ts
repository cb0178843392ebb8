/**
 * One line of the input log that drift checks read: `{"time", "model", "version", "inputs",
 * "prediction"}`. Excluded columns are left out; hashed columns are replaced by `hash(value)`.
 */

export interface LogPolicy {
  exclude: ReadonlySet<string>;
  hash: ReadonlySet<string>;
}

export interface LogRecord {
  time: string;
  model: string;
  version: number;
  inputs: Record<string, unknown>;
  prediction: string | number;
}

/** The JSON line (without its newline) for one row. */
export function makeLogLine(record: LogRecord, policy: LogPolicy, hash: (value: string) => string): string {
  const inputs: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record.inputs)) {
    if (policy.exclude.has(name)) continue;
    inputs[name] = policy.hash.has(name) ? hash(String(value)) : value;
  }
  return JSON.stringify({ ...record, inputs });
}

/** The rotated file names, newest first: `path.1`, `path.2`… up to `keep`. */
export function rotatedNames(path: string, keep: number): string[] {
  return Array.from({ length: keep }, (_, i) => `${path}.${i + 1}`);
}

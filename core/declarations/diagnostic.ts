/** A problem found in a declaration file, at an exact position. */
export interface Diagnostic {
  severity: "error" | "warning";
  /** File path relative to the repository folder being validated. */
  file: string;
  /** 1-based line and column. */
  line: number;
  col: number;
  /** The field path inside the file, such as `params.lr` or `gates[1].metric`; empty for the whole file. */
  field: string;
  message: string;
}

export type Segment = string | number;

/** Formats a field path: `gates[1].metric`, `models["web.v2"].version`. */
export function formatFieldPath(path: readonly Segment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** `file:line:col: field: message`, with `warning:` before the field for warnings. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file}:${d.line}:${d.col}`;
  const kind = d.severity === "warning" ? " warning:" : "";
  const field = d.field === "" ? "" : ` ${d.field}:`;
  return `${where}:${kind}${field} ${d.message}`;
}

export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.message.localeCompare(b.message),
  );
}

export function hasErrors(list: readonly Diagnostic[]): boolean {
  return list.some((d) => d.severity === "error");
}

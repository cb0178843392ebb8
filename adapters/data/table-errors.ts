import { UserError } from "../../core/errors.ts";

/** `path:line:col: column "x": problem`, for a cell of a text table (line and col 1-based). */
export function cellError(
  path: string,
  line: number,
  col: number,
  column: string,
  problem: string,
): UserError {
  return new UserError(`${path}:${line}:${col}: column ${JSON.stringify(column)}: ${problem}`);
}

/** `path:line:col: problem`, for text that is not a well-formed table. */
export function syntaxError(path: string, line: number, col: number, problem: string): UserError {
  return new UserError(`${path}:${line}:${col}: ${problem}`);
}

/** The 1-based column of `position` on the line that starts at `lineStart`, counted in characters. */
export function columnAt(bytes: Uint8Array, lineStart: number, position: number): number {
  return (
    Buffer.from(bytes.buffer, bytes.byteOffset + lineStart, position - lineStart).toString("utf8").length + 1
  );
}

/** A file that cannot be opened becomes a one-line error; anything else is rethrown. */
export function fileError(path: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return new UserError(`${path}: no such file`, { cause: error });
  if (code === "EISDIR")
    return new UserError(`${path}: is a directory, expected a data file`, { cause: error });
  if (code === "EACCES" || code === "EPERM")
    return new UserError(`${path}: permission denied`, { cause: error });
  return error;
}

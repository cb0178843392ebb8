import type { Diagnostic, Segment } from "../declarations/diagnostic.ts";
import { formatFieldPath } from "../declarations/diagnostic.ts";
import { locateNode } from "../declarations/locate-node.ts";
import type { Declared } from "../declarations/project.ts";

/** Collects cross-file findings, each placed at a field of a declaration. */
export class Findings {
  readonly list: Diagnostic[] = [];

  add(
    severity: Diagnostic["severity"],
    declared: Pick<Declared<unknown>, "file" | "source">,
    path: readonly Segment[],
    message: string,
    at: "value" | "key" = "value",
  ): void {
    const { line, col } = locateNode(declared.source, path, at);
    this.list.push({ severity, file: declared.file, line, col, field: formatFieldPath(path), message });
  }

  /** A finding at an explicit position, for problems inside a value (a character of a command). */
  addAt(
    severity: Diagnostic["severity"],
    declared: Pick<Declared<unknown>, "file">,
    path: readonly Segment[],
    position: { line: number; col: number },
    message: string,
  ): void {
    this.list.push({ severity, file: declared.file, ...position, field: formatFieldPath(path), message });
  }

  error(
    declared: Pick<Declared<unknown>, "file" | "source">,
    path: readonly Segment[],
    message: string,
  ): void {
    this.add("error", declared, path, message);
  }

  warn(
    declared: Pick<Declared<unknown>, "file" | "source">,
    path: readonly Segment[],
    message: string,
  ): void {
    this.add("warning", declared, path, message);
  }
}

import { isMap, isPair, isScalar, isSeq, type Node, type Pair, Scalar } from "yaml";
import type { Segment } from "./diagnostic.ts";
import type { SourceDocument } from "./parse-yaml-file.ts";

export interface Position {
  line: number;
  col: number;
}

function findPair(node: unknown, key: Segment): Pair<Node, Node> | undefined {
  if (!isMap(node)) return undefined;
  for (const item of node.items) {
    if (isPair(item) && isScalar(item.key) && String(item.key.value) === String(key)) {
      return item as Pair<Node, Node>;
    }
  }
  return undefined;
}

/**
 * The position of a field path in a document: the value at the path when it exists, its key when
 * `at` is "key", else the deepest part of the path that exists (for a missing field, its parent).
 */
export function locateNode(
  source: SourceDocument,
  path: readonly Segment[],
  at: "value" | "key" = "value",
): Position {
  let node: unknown = source.doc.contents;
  let offset = (node as Node | null)?.range?.[0] ?? 0;
  for (const [i, segment] of path.entries()) {
    const last = i === path.length - 1;
    if (isSeq(node) && typeof segment === "number") {
      node = node.items[segment];
    } else {
      const pair = findPair(node, segment);
      if (pair && last && at === "key") {
        offset = pair.key?.range?.[0] ?? offset;
        break;
      }
      node = pair?.value ?? (pair ? pair.key : undefined);
    }
    const range = (node as Node | null | undefined)?.range;
    if (!range) break;
    offset = range[0];
  }
  const { line, col } = source.lineCounter.linePos(offset);
  return { line, col };
}

/**
 * The position of character `index` of a string value, when the file spells the value out
 * character for character: a plain or single-quoted scalar on one line, without quote escapes.
 */
export function locateInScalar(
  source: SourceDocument,
  path: readonly Segment[],
  index: number,
): Position | undefined {
  const node = source.doc.getIn(path, true);
  if (!isScalar(node) || typeof node.value !== "string" || !node.range) return undefined;
  const quote = node.type === Scalar.QUOTE_SINGLE ? 1 : 0;
  if (node.type !== Scalar.PLAIN && quote === 0) return undefined;
  if (quote === 1 && node.value.includes("'")) return undefined;
  const start = source.lineCounter.linePos(node.range[0]);
  const end = source.lineCounter.linePos(node.range[1]);
  if (start.line !== end.line) return undefined;
  return source.lineCounter.linePos(node.range[0] + quote + index);
}

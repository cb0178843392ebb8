import { type Document, isPair, isScalar, isSeq, type Node, visit } from "yaml";
import type { Segment } from "./diagnostic.ts";

/** Keys that name JavaScript's object machinery: as data they are dropped or corrupt an object. */
export const RESERVED_KEYS: readonly string[] = ["__proto__", "constructor", "prototype"];

export interface HostileValue {
  path: Segment[];
  offset: number;
  message: string;
}

/** The field path of a node from its ancestors, as `visit` gives them. */
function fieldPath(ancestors: readonly unknown[], node: unknown): Segment[] {
  const path: Segment[] = [];
  const chain = [...ancestors, node];
  for (const [i, parent] of chain.entries()) {
    const child = chain[i + 1];
    if (isPair(parent) && child === parent.value && isScalar(parent.key)) path.push(String(parent.key.value));
    else if (isPair(parent) && child === parent.key)
      path.push(String((parent.key as { value?: unknown }).value));
    else if (isSeq(parent) && child !== undefined) path.push(parent.items.indexOf(child as Node));
  }
  return path;
}

/**
 * Keys and strings that no schema can see or refuse: reserved JavaScript keys (lost when the
 * document becomes an object) and NUL characters (no command, argument or variable can hold one).
 */
export function findHostileValues(doc: Document.Parsed): HostileValue[] {
  const found: HostileValue[] = [];
  visit(doc, {
    Pair(_key, pair, ancestors) {
      const key = pair.key;
      if (isScalar(key) && RESERVED_KEYS.includes(String(key.value))) {
        const path = fieldPath([...ancestors, pair], pair.key);
        // A version's data profile holds the training data's own column and category names, which
        // may well be "constructor"; those stay plain data. `__proto__` would be lost, so never.
        if (path[0] === "profile" && key.value !== "__proto__") return;
        found.push({
          path,
          offset: key.range?.[0] ?? 0,
          message: `${JSON.stringify(String(key.value))} is not allowed as a key: __proto__, constructor and prototype are reserved JavaScript names`,
        });
      }
    },
    Scalar(_key, scalar, ancestors) {
      if (typeof scalar.value !== "string") return;
      const index = scalar.value.indexOf("\0");
      if (index < 0) return;
      found.push({
        path: fieldPath(ancestors, scalar),
        offset: scalar.range?.[0] ?? 0,
        message: `contains a NUL character (\\0) at index ${index}; commands, arguments and environment variables cannot hold one`,
      });
    },
  });
  return found;
}

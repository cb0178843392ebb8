import { type CST, Lexer, Parser } from "yaml";

/** Declarations nest a few levels (a version's profile, the deepest, needs 6); far more is an attack. */
export const MAX_NESTING = 64;

type Item = { key?: CST.Token | null; value?: CST.Token | null };

/** Lexemes that are no content: the lexer's control markers, spaces, newlines and comments. */
const isContent = (lexeme: string): boolean =>
  lexeme !== "" && lexeme.charCodeAt(0) > 0x20 && !lexeme.startsWith("#");

/**
 * A linear first pass over yaml's lexemes: flow brackets plus the stack of block indentation
 * columns. It counts at most one level more than the document has (the innermost scalar), so a
 * count past `limit + 1` proves the document too deep, where the exact pass below would be slow.
 */
function estimateDeepNesting(text: string, limit: number): number | undefined {
  const columns: number[] = [];
  let flow = 0;
  let offset = 0;
  let lineStart = 0;
  let contentStart = true;
  for (const lexeme of new Lexer().lex(text)) {
    const at = offset;
    offset += lexeme.length;
    if (lexeme === "[" || lexeme === "{") {
      flow += 1;
      if (flow + columns.length > limit + 1) return at;
    } else if (lexeme === "]" || lexeme === "}") flow = Math.max(0, flow - 1);
    if (flow === 0 && contentStart && isContent(lexeme)) {
      const column = at - lineStart;
      while ((columns.at(-1) ?? -1) > column) columns.pop();
      if ((columns.at(-1) ?? -1) < column) columns.push(column);
      if (columns.length > limit + 1) return at;
      contentStart = false;
    }
    if (flow === 0 && (lexeme === "-" || lexeme === "?" || lexeme === ":")) contentStart = true;
    const newline = lexeme.lastIndexOf("\n");
    if (newline >= 0) {
      lineStart = at + newline + 1;
      contentStart = true;
    }
  }
  return undefined;
}

/** The exact pass: yaml's concrete syntax tree, walked with an explicit stack. */
function findInSyntaxTree(text: string, limit: number): number | undefined {
  const stack: Array<[CST.Token, number]> = [];
  for (const token of new Parser().parse(text)) stack.push([token, 0]);
  while (stack.length > 0) {
    const [token, depth] = stack.pop() as [CST.Token, number];
    let items: Item[] = [];
    let inner = depth;
    if (token.type === "document") items = [{ value: token.value }];
    else if (token.type === "block-map" || token.type === "block-seq" || token.type === "flow-collection") {
      inner = depth + 1;
      if (inner > limit) return token.offset;
      items = token.items;
    }
    for (const item of items) {
      if (item.key) stack.push([item.key, inner]);
      if (item.value) stack.push([item.value, inner]);
    }
  }
  return undefined;
}

/**
 * The offset where collections first nest deeper than `limit`, or undefined. Checked before the
 * document is composed, because composing and converting a hostile depth overflows the call stack.
 */
export function findDeepNesting(text: string, limit: number = MAX_NESTING): number | undefined {
  const rough = estimateDeepNesting(text, limit);
  // Past the rough limit, the text up to there is deep enough to place the exact position cheaply.
  if (rough !== undefined) return findInSyntaxTree(text.slice(0, rough + 1), limit) ?? rough;
  return findInSyntaxTree(text, limit);
}

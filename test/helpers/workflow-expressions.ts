/**
 * A small evaluator of GitHub Actions expressions (`${{ … }}`), for the expressions modelci's
 * workflows use: contexts and property access, string/number/boolean literals, `!`, `==`, `!=`,
 * `&&`, `||`, parentheses, and fromJSON, toJSON, always, success and failure. Anything else throws,
 * so a workflow edit that needs more fails the test instead of being skipped.
 */

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value };

export interface ExpressionContext {
  contexts: Record<string, Value>;
  /** What `success()` answers: every earlier step (or every needed job) succeeded. */
  succeeded: boolean;
}

type Token = { kind: "op" | "ident" | "string" | "number"; text: string };

const TOKEN =
  /\s*(?:(&&|\|\||==|!=|[!().,[\]])|([A-Za-z_][A-Za-z0-9_-]*)|'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?))/y;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    if (/^\s*$/.test(source.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(source);
    if (match === null) throw new Error(`expression not understood at ${at}: ${JSON.stringify(source)}`);
    const [, op, ident, string, number] = match;
    if (op !== undefined) tokens.push({ kind: "op", text: op });
    else if (ident !== undefined) tokens.push({ kind: "ident", text: ident });
    else if (string !== undefined) tokens.push({ kind: "string", text: string.replaceAll("''", "'") });
    else tokens.push({ kind: "number", text: number as string });
  }
  return tokens;
}

export function truthy(value: Value): boolean {
  return !(value === null || value === false || value === 0 || value === "" || Number.isNaN(value));
}

/** GitHub's loose equality: strings compare case-insensitively, other mixed types as numbers. */
function equal(a: Value, b: Value): boolean {
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  if (typeof a === typeof b || a === null || b === null) return a === b;
  return Number(a) === Number(b);
}

const FUNCTIONS: Record<string, (context: ExpressionContext, args: Value[]) => Value> = {
  fromjson: (_c, [text]) => {
    if (typeof text !== "string") throw new Error(`fromJSON of a ${typeof text}`);
    return JSON.parse(text) as Value;
  },
  tojson: (_c, [value]) => JSON.stringify(value ?? null, null, 2),
  always: () => true,
  success: (context) => context.succeeded,
  failure: (context) => !context.succeeded,
};

class Parser {
  private at = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly context: ExpressionContext,
    private readonly source: string,
  ) {}

  parse(): Value {
    const value = this.or();
    if (this.at < this.tokens.length) this.fail();
    return value;
  }

  private fail(): never {
    throw new Error(`expression not understood: ${JSON.stringify(this.source)}`);
  }

  private peek(text: string): boolean {
    const token = this.tokens[this.at];
    return token?.kind === "op" && token.text === text;
  }

  private expect(text: string): void {
    if (!this.peek(text)) this.fail();
    this.at++;
  }

  private or(): Value {
    let left = this.and();
    while (this.peek("||")) {
      this.at++;
      const right = this.and();
      left = truthy(left) ? left : right;
    }
    return left;
  }

  private and(): Value {
    let left = this.equality();
    while (this.peek("&&")) {
      this.at++;
      const right = this.equality();
      left = truthy(left) ? right : left;
    }
    return left;
  }

  private equality(): Value {
    let left = this.unary();
    while (this.peek("==") || this.peek("!=")) {
      const negate = this.tokens[this.at++]?.text === "!=";
      const same = equal(left, this.unary());
      left = negate ? !same : same;
    }
    return left;
  }

  private unary(): Value {
    if (this.peek("!")) {
      this.at++;
      return !truthy(this.unary());
    }
    return this.postfix(this.primary());
  }

  private postfix(start: Value): Value {
    let value = start;
    for (;;) {
      if (this.peek(".")) {
        this.at++;
        const name = this.tokens[this.at++];
        if (name?.kind !== "ident") this.fail();
        value = property(value, name.text);
      } else if (this.peek("[")) {
        this.at++;
        const key = this.or();
        this.expect("]");
        value = property(value, String(key));
      } else return value;
    }
  }

  private primary(): Value {
    const token = this.tokens[this.at++];
    if (token === undefined) this.fail();
    if (token.kind === "string") return token.text;
    if (token.kind === "number") return Number(token.text);
    if (token.kind === "op" && token.text === "(") {
      const value = this.or();
      this.expect(")");
      return value;
    }
    if (token.kind !== "ident") this.fail();
    if (token.text === "true" || token.text === "false") return token.text === "true";
    if (token.text === "null") return null;
    if (this.peek("(")) {
      this.at++;
      const args: Value[] = [];
      while (!this.peek(")")) {
        args.push(this.or());
        if (!this.peek(")")) this.expect(",");
      }
      this.at++;
      const fn = FUNCTIONS[token.text.toLowerCase()];
      if (fn === undefined) throw new Error(`function ${token.text}() not understood in ${this.source}`);
      return fn(this.context, args);
    }
    if (!(token.text in this.context.contexts)) {
      throw new Error(`context ${token.text} not available in ${JSON.stringify(this.source)}`);
    }
    return this.context.contexts[token.text] ?? null;
  }
}

function property(value: Value, name: string): Value {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  return value[name] ?? null;
}

export function evaluateExpression(source: string, context: ExpressionContext): Value {
  return new Parser(tokenize(source), context, source).parse();
}

const WHOLE = /^\s*\$\{\{([\s\S]*?)\}\}\s*$/;
const EMBEDDED = /\$\{\{([\s\S]*?)\}\}/g;

function toText(value: Value): string {
  if (value === null) return "";
  return typeof value === "object" ? JSON.stringify(value, null, 2) : String(value);
}

/** A workflow value: `${{ x }}` alone keeps x's type; expressions inside text are interpolated. */
export function interpolate(value: unknown, context: ExpressionContext): Value {
  if (typeof value === "string") {
    const whole = WHOLE.exec(value);
    if (whole && !whole[1]?.includes("}}")) return evaluateExpression(whole[1] as string, context);
    return value.replace(EMBEDDED, (_, source: string) => toText(evaluateExpression(source, context)));
  }
  if (Array.isArray(value)) return value.map((item) => interpolate(item, context));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, context)]));
  }
  return (value ?? null) as Value;
}

/** An `if:` condition: a bare expression, or one in `${{ }}`. */
export function condition(source: unknown, context: ExpressionContext): boolean {
  if (source === undefined) return context.succeeded;
  if (typeof source === "boolean") return source;
  const text = String(source);
  const whole = WHOLE.exec(text);
  const value = truthy(evaluateExpression(whole ? (whole[1] as string) : text, context));
  // Without a status function, GitHub adds `success() &&`.
  return /\b(always|success|failure|cancelled)\(/.test(text) ? value : value && context.succeeded;
}

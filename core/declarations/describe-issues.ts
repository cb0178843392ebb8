import type { z } from "zod";
import { describeValue } from "./describe-value.ts";
import type { Segment } from "./diagnostic.ts";
import { closestMatch, didYouMean } from "./did-you-mean.ts";
import { knownKeys } from "./known-keys.ts";

/** One readable problem at a field path; `at: "key"` points at the field's key, else its value. */
export interface Problem {
  path: Segment[];
  at: "value" | "key";
  message: string;
}

type Issue = z.core.$ZodIssue;

const TYPE_NAMES: Record<string, string> = {
  array: "a list",
  object: "a mapping",
  record: "a mapping",
  int: "an integer",
  number: "a number",
  string: "a string",
  boolean: "true or false",
};

const typeName = (expected: string): string => TYPE_NAMES[expected] ?? expected;

function bound(issue: { origin: string; inclusive?: boolean }, kind: "min" | "max", limit: unknown): string {
  const n = Number(limit);
  if (issue.origin === "array" || issue.origin === "set") {
    return kind === "min"
      ? `must have at least ${n} item${n === 1 ? "" : "s"}`
      : `must have at most ${n} items`;
  }
  if (issue.origin === "string") {
    if (kind === "min" && n === 1) return "must not be empty";
    return `must be ${kind === "min" ? "at least" : "at most"} ${n} characters`;
  }
  const op =
    kind === "min" ? (issue.inclusive === false ? ">" : ">=") : issue.inclusive === false ? "<" : "<=";
  return `must be ${op} ${n}`;
}

function describeFormat(issue: Extract<Issue, { code: "invalid_format" }>): string {
  if (issue.format === "url") return "must be a URL such as https://example.com/deploy";
  if (issue.format === "datetime") return "must be an ISO 8601 date and time, such as 2026-01-31T12:00:00Z";
  return issue.message;
}

function describeUnion(
  issue: Extract<Issue, { code: "invalid_union" }>,
  path: Segment[],
  schema: object,
): Problem[] {
  if (issue.discriminator !== undefined) {
    const options = ((issue as { options?: unknown[] }).options ?? []).map(String);
    const input = (issue.input as Record<string, unknown> | undefined)?.[issue.discriminator];
    if (input === undefined) return [{ path, at: "value", message: "required field is missing" }];
    const hint = typeof input === "string" ? didYouMean(input, options) : "";
    const list = options.map((o: string) => JSON.stringify(o)).join(", ");
    return [{ path, at: "value", message: `expected one of ${list}, got ${describeValue(input)}${hint}` }];
  }
  // The branches whose type fits the value: their own problems are the useful ones.
  const fitting = issue.errors.filter(
    (errors) => !errors.some((e) => e.path.length === 0 && e.code === "invalid_type"),
  );
  const best = fitting[0];
  if (best) return best.flatMap((inner) => describeIssue(inner, path, schema));
  const expected = issue.errors.flatMap((errors) =>
    errors
      .filter((e) => e.code === "invalid_type")
      .map((e) => typeName((e as { expected: string }).expected)),
  );
  const unique = [...new Set(expected)];
  const what = unique.length > 0 ? unique.join(" or ") : "a different value";
  return [{ path, at: "value", message: `expected ${what}, got ${describeValue(issue.input)}` }];
}

function describeUnknownKeys(keys: string[], path: Segment[], schema: object, input: unknown): Problem[] {
  const known = knownKeys(schema, path, input);
  return keys.map((key) => {
    const match = closestMatch(key, known);
    let message = "unknown field";
    if (match !== undefined) message += ` (did you mean ${JSON.stringify(match)}?)`;
    else if (known.length > 0 && known.length <= 14) message += `; allowed here: ${known.join(", ")}`;
    return { path: [...path, key], at: "key" as const, message };
  });
}

/** Turns one zod issue into readable problems. `prefix` is the path of the value that was parsed. */
export function describeIssue(issue: Issue, prefix: Segment[], schema: object): Problem[] {
  const path = [...prefix, ...(issue.path as Segment[])];
  const one = (message: string, at: "value" | "key" = "value"): Problem[] => [{ path, at, message }];
  const missing =
    issue.code !== "unrecognized_keys" && issue.code !== "invalid_union" && issue.code !== "custom";
  if (missing && issue.input === undefined) return one("required field is missing");
  switch (issue.code) {
    case "invalid_type":
      return one(`expected ${typeName(issue.expected)}, got ${describeValue(issue.input)}`);
    case "too_small":
      return one(`${bound(issue, "min", issue.minimum)}, got ${describeValue(issue.input)}`);
    case "too_big":
      return one(`${bound(issue, "max", issue.maximum)}, got ${describeValue(issue.input)}`);
    case "invalid_value": {
      const values = issue.values.map((v) => JSON.stringify(v));
      const hint = typeof issue.input === "string" ? didYouMean(issue.input, issue.values.map(String)) : "";
      const what = values.length === 1 ? values[0] : `one of ${values.join(", ")}`;
      return one(`expected ${what}, got ${describeValue(issue.input)}${hint}`);
    }
    case "invalid_format":
      return one(`${describeFormat(issue)}, got ${describeValue(issue.input)}`);
    case "unrecognized_keys":
      return describeUnknownKeys(issue.keys, path, schema, issue.input);
    case "invalid_union":
      return describeUnion(issue, path, schema);
    case "invalid_key":
      return one(issue.issues[0]?.message ?? "invalid key", "key");
    case "invalid_element":
      return issue.issues.flatMap((inner) => describeIssue(inner, path, schema));
    default:
      return one(issue.message.charAt(0).toLowerCase() + issue.message.slice(1));
  }
}

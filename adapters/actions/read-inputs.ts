import * as core from "@actions/core";
import { z } from "zod";
import { describeIssue } from "../../core/declarations/describe-issues.ts";
import { UserError } from "../../core/errors.ts";

/** A boolean Action input: "true" or "false", any case (as YAML 1.2 core schema writes them). */
export const booleanInput = z
  .string()
  .transform((v) => v.toLowerCase())
  .pipe(z.enum(["true", "false"]))
  .transform((v) => v === "true");

/**
 * Reads every input named in `schema` (by its action.yml name) and parses them once. Below this,
 * nothing calls `core.getInput`. Empty inputs are passed as "" so the schema decides defaults.
 */
export function readInputs<S extends z.ZodObject>(schema: S): z.output<S> {
  const raw: Record<string, string> = {};
  for (const name of Object.keys(schema.shape)) raw[name] = core.getInput(name);
  const parsed = schema.safeParse(raw, { reportInput: true });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.flatMap((issue) => describeIssue(issue, [], {}));
  const messages = problems.map((p) => `input "${String(p.path[0])}": ${p.message}`);
  throw new UserError(messages.join("; "));
}

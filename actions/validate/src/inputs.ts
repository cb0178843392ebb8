import * as core from "@actions/core";
import { z } from "zod";
import { UserError } from "../../../core/errors.ts";

const booleanInput = z
  .enum(["true", "false", "True", "False", "TRUE", "FALSE"])
  .transform((v) => v.toLowerCase() === "true");

const inputsSchema = z.object({
  root: z.string().min(1),
  ref: z.string().transform((v) => (v === "" ? undefined : v)),
  strict: booleanInput,
});

export type Inputs = z.output<typeof inputsSchema>;

/** Reads the Action's inputs by their action.yml names and parses them once. */
export function readInputs(): Inputs {
  const raw = {
    root: core.getInput("root") || ".",
    ref: core.getInput("ref"),
    strict: core.getInput("strict") || "false",
  };
  const parsed = inputsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`input ${String(issue?.path[0])}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

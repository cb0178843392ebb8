import { z } from "zod";
import { booleanInput, readInputs } from "../../../adapters/actions/read-inputs.ts";

const optional = z.string().transform((v) => (v === "" ? undefined : v));

const paramsInput = z.string().transform((text, context) => {
  if (text === "") return [];
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("not an object");
    return Object.entries(value).map(([name, v]) => `${name}=${String(v)}`);
  } catch {
    context.addIssue({
      code: "custom",
      message: `must be a JSON object such as {"epochs": 10}, got ${text}`,
    });
    return z.NEVER;
  }
});

export const inputsSchema = z.object({
  root: z.string().transform((v) => (v === "" ? "." : v)),
  experiment: z.string().min(1),
  "run-id": optional,
  params: paramsInput,
  upload: z
    .string()
    .transform((v) => (v === "" ? "true" : v))
    .pipe(booleanInput),
  "retention-days": z
    .string()
    .transform((v) => (v === "" ? undefined : Number(v)))
    .pipe(z.number().int().min(1).max(90).optional()),
});

export type Inputs = z.output<typeof inputsSchema>;

/** The train Action's inputs, by their action.yml names. */
export function readTrainInputs(): Inputs {
  return readInputs(inputsSchema);
}

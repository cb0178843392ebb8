import { z } from "zod";
import { booleanInput, readInputs } from "../../../adapters/actions/read-inputs.ts";

export const inputsSchema = z.object({
  root: z.string().transform((v) => (v === "" ? "." : v)),
  ref: z.string().transform((v) => (v === "" ? undefined : v)),
  strict: z
    .string()
    .transform((v) => (v === "" ? "false" : v))
    .pipe(booleanInput),
});

export type Inputs = z.output<typeof inputsSchema>;

/** The validate Action's inputs, by their action.yml names. */
export function readValidateInputs(): Inputs {
  return readInputs(inputsSchema);
}

import { z } from "zod";
import { booleanInput, readInputs } from "../../../adapters/actions/read-inputs.ts";

export const inputsSchema = z.object({
  target: z.string().transform((v) => (v.trim() === "" ? undefined : v.trim())),
  "plan-only": z
    .string()
    .transform((v) => (v === "" ? "false" : v))
    .pipe(booleanInput),
  "allow-older": z
    .string()
    .transform((v) => (v === "" ? "false" : v))
    .pipe(booleanInput),
  root: z.string().transform((v) => (v === "" ? "." : v)),
  "github-token": z.string(),
  "environment-url": z.string().transform((v) => (v === "" ? undefined : v)),
});

export type Inputs = z.output<typeof inputsSchema>;

/** The deploy Action's inputs, by their action.yml names. */
export function readDeployInputs(): Inputs {
  return readInputs(inputsSchema);
}

import { z } from "zod";
import { readInputs } from "../../../adapters/actions/read-inputs.ts";

const optional = z.string().transform((v) => (v === "" ? undefined : v));

export const inputsSchema = z.object({
  root: z.string().transform((v) => (v === "" ? "." : v)),
  base: optional,
  head: optional,
});

export type Inputs = z.output<typeof inputsSchema>;

/** The plan Action's inputs, by their action.yml names. */
export function readPlanInputs(): Inputs {
  return readInputs(inputsSchema);
}

import { z } from "zod";
import { booleanInput, readInputs } from "../../../adapters/actions/read-inputs.ts";
import { METHOD_NAMES } from "../../../core/drift/drift-methods.ts";

const optional = z.string().transform((v) => (v === "" ? undefined : v));

export const inputsSchema = z.object({
  target: optional,
  root: z.string().transform((v) => (v === "" ? "." : v)),
  reference: optional,
  current: optional,
  method: z
    .union([z.literal(""), z.enum(["auto", ...METHOD_NAMES])])
    .transform((v) => (v === "" ? undefined : v)),
  stats: z.union([z.literal(""), z.enum(["auto", "all"])]).transform((v) => (v === "" ? undefined : v)),
  "github-token": z.string(),
  "check-name": z.string().transform((v) => (v === "" ? "modelci/drift" : v)),
  sha: z.string(),
  "artifact-name": z.string().transform((v) => (v === "" ? "modelci-drift" : v)),
  "fail-on-drift": z
    .string()
    .transform((v) => (v === "" ? "true" : v))
    .pipe(booleanInput),
});

export type Inputs = z.output<typeof inputsSchema>;

/** The drift Action's inputs, by their action.yml names. */
export function readDriftInputs(): Inputs {
  return readInputs(inputsSchema);
}

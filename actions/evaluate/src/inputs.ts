import { z } from "zod";
import { booleanInput, readInputs } from "../../../adapters/actions/read-inputs.ts";

const optional = z.string().transform((v) => (v === "" ? undefined : v));

export const inputsSchema = z.object({
  root: z.string().transform((v) => (v === "" ? "." : v)),
  experiment: z.string().min(1),
  "run-dir": optional,
  model: optional,
  baseline: optional,
  base: optional,
  provider: z
    .string()
    .transform((v) => (v === "" ? undefined : v))
    .pipe(z.enum(["cpu", "cuda"]).optional()),
  "onnxruntime-dir": optional,
  resamples: z
    .string()
    .transform((v) => (v === "" ? undefined : Number(v)))
    .pipe(z.number().int().min(1).max(100_000).optional()),
  out: optional,
  upload: z
    .string()
    .transform((v) => (v === "" ? "true" : v))
    .pipe(booleanInput),
});

export type Inputs = z.output<typeof inputsSchema>;

/** The evaluate Action's inputs, by their action.yml names. */
export function readEvaluateInputs(): Inputs {
  return readInputs(inputsSchema);
}

import { z } from "zod";
import { booleanInput, readInputs } from "../../../adapters/actions/read-inputs.ts";

export const inputsSchema = z.object({
  results: z.string().transform((v) => {
    const paths = v
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== "");
    return paths.length > 0 ? paths : ["modelci-results"];
  }),
  root: z.string().transform((v) => (v === "" ? "." : v)),
  "github-token": z.string(),
  key: z.string(),
  "check-name": z.string().transform((v) => (v === "" ? "modelci/metrics" : v)),
  "fail-on-gate": z
    .string()
    .transform((v) => (v === "" ? "true" : v))
    .pipe(booleanInput),
});

export type Inputs = z.output<typeof inputsSchema>;

/** The report Action's inputs, by their action.yml names. */
export function readReportInputs(): Inputs {
  return readInputs(inputsSchema);
}

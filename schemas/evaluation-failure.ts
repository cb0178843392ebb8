import { z } from "zod";
import { evaluatedRunSchema } from "./evaluation-result.ts";

/**
 * `evaluation-error.json` in a run folder: the run trained, but evaluating it failed. The report
 * shows the reason instead of only "trained but has no evaluation result".
 */
export const evaluationFailureSchema = z
  .strictObject({
    "failure-version": z.literal(1).meta({ description: "Format version of this file." }),
    run: evaluatedRunSchema,
    error: z.string().min(1).meta({ description: "Why the evaluation failed, as modelci reported it." }),
  })
  .meta({
    title: "modelci evaluation failure",
    description:
      "Why a trained run has no evaluation result: written beside its manifest when evaluating it failed.",
  });

export type EvaluationFailure = z.output<typeof evaluationFailureSchema>;

/** The file name of a run's evaluation failure, beside manifest.json. */
export const EVALUATION_FAILURE_FILE = "evaluation-error.json";

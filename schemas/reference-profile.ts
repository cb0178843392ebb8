import { z } from "zod";

const numericColumnSchema = z
  .strictObject({
    kind: z.literal("numeric"),
    count: z.number().int().min(0).meta({ description: "Non-missing values (exact)." }),
    missing: z.number().int().min(0).meta({ description: "Missing cells (exact)." }),
    min: z.number().nullable().meta({ description: "Smallest value (exact); null without values." }),
    max: z.number().nullable().meta({ description: "Largest value (exact); null without values." }),
    sample: z.array(z.number()).meta({
      description:
        "Every value when there are at most `sample-size`, else a seeded uniform sample of that many; sorted.",
    }),
  })
  .meta({ description: "A numeric column: exact counts and extremes, and a sample of its values." });

const categoricalColumnSchema = z
  .strictObject({
    kind: z.literal("categorical"),
    count: z.number().int().min(0).meta({ description: "Non-missing values (exact)." }),
    missing: z.number().int().min(0).meta({ description: "Missing cells (exact)." }),
    counts: z.record(z.string(), z.number().int().min(0)).meta({ description: "Exact count per category." }),
  })
  .meta({ description: "A categorical column: exact counts per category." });

export const referenceColumnSchema = z.discriminatedUnion("kind", [
  numericColumnSchema,
  categoricalColumnSchema,
]);

/** The reference profile artifact stored beside a model version, read by drift checks. */
export const referenceProfileSchema = z
  .strictObject({
    format: z
      .literal("modelci-reference-profile/1")
      .meta({ description: "The file's format and its version." }),
    rows: z.number().int().min(0).meta({ description: "Rows of the training data (exact)." }),
    "sample-size": z.number().int().min(1).meta({ description: "The most values kept per numeric column." }),
    seed: z.number().int().meta({ description: "Seed of the reservoir samples." }),
    features: z
      .record(z.string(), referenceColumnSchema)
      .meta({ description: "The model's input columns, in the model's order." }),
    predictions: referenceColumnSchema
      .optional()
      .meta({ description: "The model's predictions on the training data (class labels or values)." }),
  })
  .meta({
    title: "modelci reference profile",
    description: "The training data's reference profile, so drift checks need no raw training data.",
  });

export type ReferenceProfile = z.output<typeof referenceProfileSchema>;
export type ReferenceColumn = z.output<typeof referenceColumnSchema>;

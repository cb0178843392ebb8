import { z } from "zod";

const statistic = (description: string) => z.number().optional().meta({ description });

const histogramSchema = z
  .strictObject({
    edges: z
      .array(z.number())
      .optional()
      .meta({ description: "Numeric features: the Sturges bin edges over both samples (bins + 1 values)." }),
    categories: z
      .array(z.string())
      .optional()
      .meta({ description: "Categorical features: the categories of both sides, sorted." }),
    reference: z.array(z.number()).meta({ description: "The reference's share in each bin or category." }),
    current: z.array(z.number()).meta({ description: "The current data's share in each bin or category." }),
  })
  .meta({ description: "Reference and current distributions, for charts (`edges` or `categories`)." });

export const featureDriftSchema = z
  .strictObject({
    method: z
      .enum(["ks", "wasserstein", "psi", "jensen-shannon", "chi-squared", "z-test"])
      .meta({ description: "The method whose statistic decides `drifted`." }),
    type: z.enum(["numeric", "categorical"]).meta({
      description: "How the feature was compared: numeric values, or counts per category.",
    }),
    drifted: z.boolean().meta({ description: "Whether the method's statistic passed its threshold." }),
    threshold: z.number().meta({
      description: "The method's threshold: drift when a p-value is below it, or a distance at or above it.",
    }),
    ks_statistic: statistic("Two-sample KS statistic D (scipy.stats.ks_2samp)."),
    ks_p_value: statistic(
      "KS p-value, scipy's `auto` mode: exact up to 10,000 values per side, else asymptotic.",
    ),
    wasserstein_normed: statistic(
      "scipy.stats.wasserstein_distance(ref, cur) / max(population std of ref, 0.001).",
    ),
    psi: statistic("Population stability index over Sturges bins or category shares, empty shares filled."),
    jensenshannon: statistic(
      "scipy.spatial.distance.jensenshannon (natural log) on the same shares, unfilled.",
    ),
    chisquare_p_value: statistic(
      "scipy.stats.chisquare(current counts, reference shares × n_current) p-value.",
    ),
    z_p_value: statistic("Two-proportion Z-test p-value (two categories)."),
    adjusted_p_value: statistic(
      "With `correction: bh`: the Benjamini–Hochberg adjusted p-value that `drifted` compares instead.",
    ),
    rows: z
      .strictObject({
        reference: z.number().int().min(0).meta({ description: "Non-missing reference values." }),
        current: z.number().int().min(0).meta({ description: "Non-missing current values." }),
      })
      .meta({ description: "Values compared on each side." }),
    missing: z
      .strictObject({
        reference: z.number().min(0).max(1).meta({ description: "Share of missing cells in the reference." }),
        current: z
          .number()
          .min(0)
          .max(1)
          .meta({ description: "Share of missing cells in the current data." }),
        changed: z.boolean().meta({
          description: "Whether the missing share moved by 0.05 or more (flagged on its own, not drift).",
        }),
      })
      .meta({ description: "Missing cells (empty, NA, NaN, null), dropped before every statistic." }),
    histogram: histogramSchema.optional(),
  })
  .meta({ description: "One feature's drift: its method, verdict and statistics." });

export const driftResultSchema = z
  .strictObject({
    dataset: z
      .strictObject({
        drifted: z.number().int().min(0).meta({ description: "Features that drifted." }),
        features: z.number().int().min(0).meta({ description: "Features checked." }),
        share: z.number().min(0).max(1).meta({ description: "drifted / features (0 with no features)." }),
        threshold: z.number().min(0).max(1).meta({ description: "The share at which the dataset drifts." }),
        rows: z
          .strictObject({
            reference: z.number().int().min(0).meta({ description: "Reference rows." }),
            current: z.number().int().min(0).meta({ description: "Current rows." }),
          })
          .meta({ description: "Rows on each side." }),
        min_rows: z.number().int().min(0).meta({ description: "The fewest current rows a verdict needs." }),
        verdict: z.enum(["drift", "no drift", "not enough data"]).meta({
          description:
            "`drift` when share ≥ threshold; `not enough data` below min_rows current rows, whatever the share.",
        }),
      })
      .meta({ description: "The dataset-level verdict." }),
    features: z.record(z.string(), featureDriftSchema).meta({ description: "Column name → its drift." }),
    prediction: featureDriftSchema
      .optional()
      .meta({ description: "The model's outputs on the current inputs against the reference predictions." }),
  })
  .meta({
    title: "modelci drift result",
    description: "`modelci drift --json` with --reference and --current.",
  });

export const targetDriftResultSchema = z
  .strictObject({
    target: z.string().meta({ description: "The deployment target checked." }),
    drifted: z.boolean().meta({ description: "Whether any model's dataset verdict is `drift`." }),
    models: z
      .record(
        z.string(),
        driftResultSchema.extend({
          version: z.number().int().min(1).meta({ description: "The version the target serves." }),
        }),
      )
      .meta({ description: "Model name → the drift of the version the target serves." }),
  })
  .meta({ title: "modelci drift result per target", description: "`modelci drift --target T --json`." });

export type FeatureDrift = z.output<typeof featureDriftSchema>;
export type DriftResult = z.output<typeof driftResultSchema>;
export type TargetDriftResult = z.output<typeof targetDriftResultSchema>;

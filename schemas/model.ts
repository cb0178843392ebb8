import { z } from "zod";
import { metricNameSchema, nameSchema } from "./common.ts";

export const gateSchema = z
  .strictObject({
    metric: metricNameSchema,
    min: z.number().optional().meta({ description: "The candidate's metric must be at least this." }),
    max: z.number().optional().meta({ description: "The candidate's metric must be at most this." }),
    "max-regression": z
      .union([
        z.number().min(0),
        z.string().regex(/^\d+(\.\d+)?%$/, { error: 'must be a number or a percentage such as "2%"' }),
      ])
      .optional()
      .meta({
        description:
          'Largest allowed regression against the champion on the same eval data, in the metric\'s bad direction: absolute (0.01) or relative ("2%").',
      }),
    strict: z.boolean().default(false).meta({
      description:
        "When false (default), a regression whose 95% confidence interval includes zero is within noise and passes.",
    }),
  })
  .meta({ description: "A gate: exactly one of `min`, `max` or `max-regression` for one metric." });

export const signatureTensorSchema = z.strictObject({
  name: z.string().min(1).meta({ description: "Tensor name in the ONNX graph." }),
  type: z.string().min(1).meta({ description: "Element type, for example `float32` or `int64`." }),
  shape: z
    .array(z.union([z.number().int().min(0), z.string()]))
    .meta({ description: "Dimensions: numbers, or names for symbolic dimensions such as the batch." }),
});

/** `models/<model>/model.yaml`: the model and its policy. */
export const modelSchema = z
  .strictObject({
    description: z.string().optional().meta({ description: "What the model does, for humans." }),
    task: z.enum(["classification", "regression"]).meta({
      description: "`classification` (probabilities per class) or `regression` (one number per row).",
    }),
    owners: z.array(z.string().min(1)).min(1).meta({
      description:
        "Who owns the model: GitHub users (`alice`) or teams (`@org/team`). Promotion needs their approval.",
    }),
    "primary-metric": metricNameSchema.meta({
      description: "The metric that picks the best run of a sweep and leads the report.",
    }),
    classes: z.array(z.string().min(1)).min(2).optional().meta({
      description:
        "Class names in the model's output column order. Default: the model's `modelci.classes` metadata, else the sorted label values.",
    }),
    metrics: z
      .record(
        z.string().min(1),
        z.strictObject({
          direction: z
            .enum(["higher", "lower"])
            .meta({ description: "Whether higher or lower values are better." }),
          description: z.string().optional().meta({ description: "What the metric measures." }),
        }),
      )
      .optional()
      .meta({
        description:
          "Custom metrics (from an evaluation command), or overrides of a standard metric's direction.",
      }),
    gates: z.array(gateSchema).default([]).meta({
      description: "Metric gates every candidate must pass, in the report and at promotion.",
    }),
    promotion: z
      .strictObject({
        approvals: z.number().int().min(0).max(20).default(1).meta({
          description: "Approvals from owners (not the PR author) needed to promote. Default 1.",
        }),
        stages: z.array(nameSchema).min(1).default(["staging", "production"]).meta({
          description:
            "Deployment targets in promotion order. A version must serve in one stage before the next. Default [staging, production].",
        }),
        "soak-hours": z.record(z.string(), z.number().min(0)).default({}).meta({
          description:
            "Hours a version must have served in the previous stage before promotion to the named stage, from git history.",
        }),
        baseline: nameSchema.optional().meta({
          description: "The target whose current version is the champion. Default: the last stage.",
        }),
        "breaking-signature-approvals": z.number().int().min(0).max(20).default(1).meta({
          description:
            "Extra approvals needed when a version changes the input or output signature. Default 1.",
        }),
      })
      .default({
        approvals: 1,
        stages: ["staging", "production"],
        "soak-hours": {},
        "breaking-signature-approvals": 1,
      })
      .meta({ description: "The promotion policy, read from the base branch of a promotion PR." }),
    retrain: z
      .strictObject({
        experiment: nameSchema.optional().meta({
          description:
            "The experiment a drift-triggered retraining PR bumps. Default: the model's only experiment.",
        }),
        "cooldown-hours": z.number().min(0).default(24).meta({
          description: "At most one retraining PR per model in this many hours. Default 24.",
        }),
      })
      .optional()
      .meta({ description: "Retraining when a scheduled drift check fails." }),
  })
  .meta({
    title: "modelci model",
    description:
      "models/<model>/model.yaml: the model's task, owners, primary metric, gates and promotion policy.",
  });

export type Model = z.output<typeof modelSchema>;
export type Gate = z.output<typeof gateSchema>;
export type SignatureTensor = z.output<typeof signatureTensorSchema>;

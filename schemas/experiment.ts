import { z } from "zod";
import {
  nameSchema,
  paramsSchema,
  providerSchema,
  relativeGlobSchema,
  relativePathSchema,
  runsOnSchema,
  scalarSchema,
} from "./common.ts";

const dataFormatSchema = z
  .enum(["csv", "jsonl", "parquet"])
  .meta({ description: "File format. Default: from the file extension." });

const producedSchema = z.boolean().optional().meta({
  description:
    "The path does not exist in the repository: a command writes it at run time (the training command, or a step before it). `modelci validate` then does not check that it exists or read its header; `modelci train` hashes it after the run. Default false.",
});

const dataRefSchema = z.union([
  relativePathSchema,
  z.strictObject({
    path: relativePathSchema,
    format: dataFormatSchema.optional(),
    produced: producedSchema,
  }),
]);

const evalDataSchema = z
  .strictObject({
    path: relativePathSchema.meta({ description: "Evaluation data file (CSV, JSON Lines or Parquet)." }),
    label: z.string().min(1).meta({ description: "The column that holds the true label or target." }),
    features: z.array(z.string().min(1)).min(1).optional().meta({
      description:
        "Feature columns in the model's input order. Default: every column but the label, in file order.",
    }),
    format: dataFormatSchema.optional(),
    produced: producedSchema,
  })
  .meta({ description: "The evaluation data: candidate and champion are scored on exactly these rows." });

/** `experiments/<name>.yaml`: how to train one model. */
export const experimentSchema = z
  .strictObject({
    model: nameSchema.meta({ description: "The model this experiment trains: a folder under models/." }),
    description: z.string().optional().meta({ description: "What this experiment tries, for humans." }),
    command: z.string().min(1).meta({
      description:
        "The training command, run without a shell. `${{ params.NAME }}` is replaced by the parameter's value as one literal argument.",
    }),
    params: paramsSchema.default({}).meta({
      description: "Default parameters, available to the command as `${{ params.NAME }}`.",
    }),
    sweep: z.record(z.string(), z.array(scalarSchema).min(1)).optional().meta({
      description:
        "Parameter values to sweep. The cartesian product over the base params expands into one run each, fanned out as matrix jobs (chunked by 256).",
    }),
    data: z
      .strictObject({
        train: dataRefSchema
          .optional()
          .meta({ description: "Training data: a path, or `{ path, format }`." }),
        eval: evalDataSchema.optional(),
      })
      .default({})
      .meta({ description: "Data the experiment reads. Files are hashed into the run manifest." }),
    inputs: z.array(relativeGlobSchema).default([]).meta({
      description:
        "Glob patterns, relative to the root. A pull request that changes a matching path retrains this experiment. The experiment's own file and its model's files always count.",
    }),
    "runs-on": runsOnSchema.optional().meta({
      description:
        "Runner labels for this experiment's training jobs, as in a workflow's `runs-on` (for example `[self-hosted, gpu]`). Default: `defaults.runs-on` in modelci.yaml, else `ubuntu-latest`.",
    }),
    outputs: z
      .strictObject({
        model: relativePathSchema.meta({
          description: "The trained model file (ONNX) that the command writes.",
        }),
        metrics: relativePathSchema.optional().meta({
          description: "A JSON file of training metrics (an object of numbers) that the command writes.",
        }),
        artifacts: z
          .array(relativePathSchema)
          .optional()
          .meta({ description: "More files to hash and upload with the run." }),
      })
      .meta({ description: "Files the command writes, relative to the root." }),
    evaluate: z
      .strictObject({
        command: z.string().min(1).optional().meta({
          description:
            "For models that are not tabular ONNX: a command that writes metrics JSON. Its metrics are marked self-reported.",
        }),
        metrics: relativePathSchema
          .optional()
          .meta({ description: "The metrics JSON file that `evaluate.command` writes." }),
        provider: providerSchema.optional(),
        "batch-size": z
          .number()
          .int()
          .min(1)
          .max(1_048_576)
          .optional()
          .meta({ description: "Rows per inference batch. Default 65536." }),
        missing: z.enum(["error", "drop"]).optional().meta({
          description:
            "Rows of the evaluation data with a missing value (an empty cell, `NA`, `NaN` or `null`; JSON null or an absent key; a Parquet null) in a feature or the label: `error` (default) refuses the file, giving the count and the first such cell; `drop` leaves those rows out and says how many.",
        }),
      })
      .optional()
      .meta({
        description: "How the trained model is evaluated. Default: modelci scores the ONNX model itself.",
      }),
    env: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: "must be an environment variable name" }),
        z.string(),
      )
      .optional()
      .meta({ description: "Environment variables for the command." }),
    "timeout-minutes": z.number().positive().max(4320).optional().meta({
      description:
        "The run is killed (with its whole process group) after this many minutes. Default: `defaults.timeout-minutes` in modelci.yaml, else 120.",
    }),
  })
  .meta({
    title: "modelci experiment",
    description:
      "experiments/<name>.yaml: how to train one model: command, params and sweep, data, runner, outputs.",
  });

export type Experiment = z.output<typeof experimentSchema>;
export type ExperimentInput = z.input<typeof experimentSchema>;

import { z } from "zod";

/** Shared building blocks of the declaration schemas. */

export const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

export const nameSchema = z.string().regex(NAME_PATTERN, {
  error: "must be a lowercase name of letters, digits, '.', '_' or '-', starting with a letter or digit",
});

export const scalarSchema = z.union([z.string(), z.number(), z.boolean()]);

export const paramsSchema = z
  .record(z.string(), scalarSchema)
  .meta({ description: "Parameter names mapped to a string, number or boolean value." });

export const metricNameSchema = z.string().min(1).meta({
  description:
    "A metric name: one of the standard metrics (accuracy, f1_macro, roc_auc, rmse, latency_p99_ms, …) or one declared under the model's `metrics`.",
});

export const sha256Schema = z
  .string()
  .regex(/^[a-f0-9]{64}$/, { error: "must be a sha256 digest: 64 lowercase hex characters" })
  .meta({ description: "sha256 digest of the file's bytes, 64 lowercase hex characters." });

export const runsOnSchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).meta({
  description:
    "Runner labels, as in a workflow's `runs-on`: one label or a list (for example `[self-hosted, gpu]`).",
});

export const providerSchema = z
  .enum(["cpu", "cuda"])
  .meta({ description: "onnxruntime execution provider. `cuda` falls back to CPU with a warning." });

export const relativePathSchema = z
  .string()
  .min(1)
  .meta({ description: "A path relative to the modelci root." });

export const versionNumberSchema = z
  .number()
  .int()
  .min(1)
  .meta({ description: "A registered version number of the model (models/<model>/versions/<n>.yaml)." });

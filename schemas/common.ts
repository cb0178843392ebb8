import { z } from "zod";

/** Shared building blocks of the declaration schemas. */

/**
 * A name (model, experiment, target, stage): lowercase letters, digits, '.', '_' and '-', starting
 * with a letter or digit. Names become parts of git branch names (`modelci/promote-<model>-v8-<target>`),
 * so every name is also one that `git check-ref-format --branch` accepts as a component: no "..",
 * no trailing "." and no ".lock" suffix.
 */
export const NAME_PATTERN = /^(?!.*\.\.)(?!.*\.lock$)[a-z0-9](?:[a-z0-9._-]*[a-z0-9_-])?$/;

/** What a valid name is, in words, for messages. */
export const NAME_RULE =
  "use lowercase letters, digits, '.', '_' or '-', starting with a letter or digit, with no '..', and not ending in '.' or '.lock'";

export const nameSchema = z.string().regex(NAME_PATTERN, { error: `must be a valid name: ${NAME_RULE}` });

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

/** One path segment: not "." or "..", no "/", "\\" or NUL. */
const SEGMENT = "(?!\\.\\.?(?:/|$))[^/\\\\\\u0000]+";

/**
 * A path that stays inside the folder it is relative to, written once: relative (no leading "/"
 * or drive letter), normalised (no ".", ".." or empty segments, no trailing "/"), "/" separators.
 */
export const RELATIVE_PATH_PATTERN = new RegExp(`^(?![A-Za-z]:)${SEGMENT}(?:/${SEGMENT})*$`);

export const relativePathSchema = z
  .string()
  .min(1)
  .regex(RELATIVE_PATH_PATTERN, {
    error:
      'must be a relative path inside the root, with "/" separators and no ".", ".." or empty parts (like data/train.csv)',
  })
  .meta({
    description: "A path relative to the modelci root, that stays inside it: no leading '/', no '..'.",
  });

export const relativeGlobSchema = z
  .string()
  .min(1)
  .regex(RELATIVE_PATH_PATTERN, {
    error:
      'must be a glob relative to the root, with "/" separators and no ".", ".." or empty parts (like data/**)',
  })
  .meta({ description: "A glob pattern relative to the modelci root, such as `data/**`." });

/** The largest version number: version files are named by at most 9 digits (`999999999.yaml`). */
export const MAX_VERSION = 999_999_999;

/** A version number as written in a file name or a command: 1 to MAX_VERSION, no leading zeros. */
export const VERSION_DIGITS = "[1-9][0-9]{0,8}";

export const versionNumberSchema = z
  .number()
  .int()
  .min(1)
  .max(MAX_VERSION)
  .meta({ description: "A registered version number of the model (models/<model>/versions/<n>.yaml)." });

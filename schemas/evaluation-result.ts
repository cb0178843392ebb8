import { z } from "zod";
import { providerSchema, sha256Schema, versionNumberSchema } from "./common.ts";

const taskSchema = z.enum(["classification", "regression"]).meta({ description: "What the model predicts." });

const metricValueSchema = z.number().nullable().meta({
  description:
    "The metric's value; null where it is undefined on these rows (roc_auc when one class is absent).",
});

const metricsSchema = z.record(z.string(), metricValueSchema).meta({
  description:
    "Metric names (accuracy, f1_macro, rmse, latency_p99_ms, throughput_rows_per_s, model_bytes, …) and values.",
});

export const evaluatedModelSchema = z
  .strictObject({
    path: z.string().min(1).meta({ description: "The ONNX file, as given on the command line." }),
    sha256: sha256Schema.meta({ description: "sha256 of the ONNX file's bytes." }),
    bytes: z.number().int().min(0).meta({ description: "Size of the ONNX file in bytes." }),
  })
  .meta({ description: "The model file that was scored." });

export const metricDeltaSchema = z
  .strictObject({
    delta: z.number().nullable().meta({ description: "Candidate minus baseline, on all rows." }),
    low: z.number().nullable().optional().meta({
      description:
        "2.5th percentile of the paired bootstrap deltas (95% CI). Absent for latency, throughput and model size, which are plain differences.",
    }),
    high: z.number().nullable().optional().meta({
      description: "97.5th percentile of the paired bootstrap deltas (95% CI). Absent where `low` is.",
    }),
    direction: z.enum(["higher", "lower"]).meta({ description: "Which way is better for this metric." }),
    verdict: z.enum(["better", "worse", "within-noise"]).meta({
      description:
        "With a CI: `better`/`worse` when the whole interval is on one side of 0, else `within-noise`. Without one: latency and throughput are `within-noise` within 10% of the baseline, else judged by the sign of the delta, as model_bytes always is (0 is `within-noise`).",
    }),
  })
  .meta({ description: "How the candidate compares to the baseline on one metric." });

/** Which training run a result belongs to; set when an experiment's run is evaluated. */
export const evaluatedRunSchema = z
  .strictObject({
    model: z.string().min(1).meta({ description: "The model (folder under models/)." }),
    experiment: z.string().min(1).meta({ description: "The experiment that trained it." }),
    "run-id": z.string().min(1).meta({ description: "The run of the experiment's sweep." }),
  })
  .meta({ description: "The model, experiment and run this result is for." });

/**
 * The model's champion as evaluate looked it up before the change (a pull request's base): the
 * report decides by it whether the model has a champion, never by the merged tree's deployments.
 */
export const evaluatedChampionSchema = z
  .strictObject({
    version: versionNumberSchema.nullable().meta({
      description:
        "The champion's version; null when the baseline target served no version of the model there (no champion yet).",
    }),
    target: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "The model's baseline target, whose current version is the champion." }),
    declarations: z.string().min(1).meta({
      description:
        "Where the declarations that name the champion were read: a commit sha (a pull request's base, a push's `before`) or `working-tree`.",
    }),
  })
  .meta({
    description:
      "The model's champion as evaluate found it before the change (a pull request's base); the report judges regression gates by it. Absent in results written without declarations (`modelci evaluate --data`).",
  });

/** What `modelci evaluate` computed itself from an ONNX model and a data file. */
export const computedEvaluationSchema = z
  .strictObject({
    "result-version": z.literal(1).meta({ description: "Version of this result format." }),
    "self-reported": z
      .literal(false)
      .meta({ description: "False: modelci scored the model and computed every metric itself." }),
    run: evaluatedRunSchema.optional(),
    champion: evaluatedChampionSchema.optional(),
    task: taskSchema,
    model: evaluatedModelSchema,
    data: z
      .strictObject({
        path: z.string().min(1).meta({ description: "The evaluation data file, as given." }),
        sha256: sha256Schema.meta({ description: "sha256 of the data file's bytes." }),
        rows: z.number().int().min(1).meta({ description: "Rows scored (every data row of the file)." }),
      })
      .meta({ description: "The evaluation data." }),
    label: z.string().min(1).meta({ description: "The label column." }),
    features: z
      .array(z.string())
      .min(1)
      .meta({ description: "The feature columns, in the model's input order." }),
    classes: z
      .array(z.string())
      .min(2)
      .optional()
      .meta({ description: "Classification: class names in the model's output column order." }),
    provider: providerSchema.meta({
      description:
        "The onnxruntime execution provider that ran: `cpu` also when CUDA was asked for and failed.",
    }),
    metrics: metricsSchema.meta({
      description:
        "The candidate's metrics: every standard metric of the task, latency_p50/p95/p99_ms (single-row runs), throughput_rows_per_s (batched, inference only) and model_bytes.",
    }),
    "confusion-matrix": z
      .array(z.array(z.number().int().min(0)))
      .optional()
      .meta({
        description: "Classification: rows = true class, columns = predicted class, in `classes` order.",
      }),
    support: z
      .record(z.string(), z.number().int().min(0))
      .optional()
      .meta({ description: "Classification: rows per true class." }),
    baseline: z
      .strictObject({
        model: evaluatedModelSchema,
        metrics: metricsSchema.meta({ description: "The baseline's metrics on the same rows." }),
      })
      .optional()
      .meta({ description: "The baseline (champion) model, scored on exactly the same rows." }),
    deltas: z
      .record(z.string(), metricDeltaSchema)
      .optional()
      .meta({ description: "Per metric, candidate minus baseline; present with a baseline." }),
    bootstrap: z
      .strictObject({
        resamples: z.number().int().min(1).meta({ description: "Number of paired bootstrap resamples." }),
        seed: z.number().int().meta({ description: "PRNG seed; the same seed gives the same intervals." }),
        rows: z.number().int().min(1).meta({ description: "Rows each resample draws (at most 200,000)." }),
        "total-rows": z.number().int().min(1).meta({ description: "Rows the deltas are computed on." }),
      })
      .optional()
      .meta({ description: "How the confidence intervals were computed; present with a baseline." }),
    timing: z
      .strictObject({
        "wall-ms": z.number().min(0).meta({
          description: "Reading, parsing and scoring every row with every model, in milliseconds.",
        }),
        "inference-ms": z
          .number()
          .min(0)
          .meta({ description: "The candidate's batched `run` calls alone, in milliseconds." }),
      })
      .meta({ description: "Where the time went." }),
  })
  .meta({ description: "An evaluation modelci computed itself." });

/** Metrics an evaluation command computed and wrote; modelci only checked they are numbers. */
export const selfReportedEvaluationSchema = z
  .strictObject({
    "result-version": z.literal(1).meta({ description: "Version of this result format." }),
    "self-reported": z
      .literal(true)
      .meta({ description: "True: the metrics come from the user's command, not from modelci." }),
    run: evaluatedRunSchema.optional(),
    champion: evaluatedChampionSchema.optional(),
    task: taskSchema.optional(),
    command: z
      .array(z.string())
      .min(1)
      .meta({ description: "The evaluation command that ran, as its argument list (no shell)." }),
    "metrics-file": z.string().min(1).meta({ description: "The metrics JSON file the command wrote." }),
    metrics: z
      .record(z.string(), z.number())
      .meta({ description: "The metrics from the file: names and finite numbers." }),
    "wall-time-ms": z.number().min(0).meta({ description: "How long the command ran, in milliseconds." }),
  })
  .meta({ description: "An evaluation whose metrics an evaluation command reported." });

/** The JSON that `modelci evaluate --json` prints and `--out` writes; read back by the report step. */
export const evaluationResultSchema = z
  .discriminatedUnion("self-reported", [computedEvaluationSchema, selfReportedEvaluationSchema])
  .meta({
    title: "modelci evaluation result",
    description: "The metrics of one model on one data file, and its comparison with a baseline.",
  });

export type EvaluationResult = z.output<typeof evaluationResultSchema>;
export type ComputedEvaluation = z.output<typeof computedEvaluationSchema>;
export type SelfReportedEvaluation = z.output<typeof selfReportedEvaluationSchema>;
export type MetricDeltaResult = z.output<typeof metricDeltaSchema>;
export type EvaluatedModel = z.output<typeof evaluatedModelSchema>;
export type EvaluatedChampion = z.output<typeof evaluatedChampionSchema>;

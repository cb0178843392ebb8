import { z } from "zod";
import { relativePathSchema, versionNumberSchema } from "./common.ts";

/** A Kubernetes object name (RFC 1123 label). */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

const servedModelSchema = z
  .strictObject({
    version: versionNumberSchema.optional(),
    canary: z
      .array(
        z.strictObject({
          version: versionNumberSchema,
          weight: z.number().min(0).max(100).meta({ description: "Share of traffic, in percent." }),
        }),
      )
      .min(2)
      .optional()
      .meta({
        description:
          "Traffic split between versions; weights add up to 100. The `kubernetes` driver (KServe) serves at most two versions with traffic, in whole percents.",
      }),
    shadow: versionNumberSchema.optional().meta({
      description:
        "`modelci serve`: a version that gets a copy of every request; its answers are discarded, its latency and errors measured. Refused with the `kubernetes` driver.",
    }),
  })
  .meta({
    description: "Which version the target serves: `version`, or a `canary` split (exactly one of them).",
  });

const driverSchema = z
  .discriminatedUnion("kind", [
    z.strictObject({
      kind: z.literal("command"),
      run: z.string().min(1).meta({
        description:
          "Deploy command, run without a shell with MODELCI_* variables describing the models to deploy.",
      }),
      env: z.record(z.string(), z.string()).optional().meta({ description: "Extra environment variables." }),
      "timeout-minutes": z.number().positive().default(30).meta({
        description: "Stop the command (its whole process group) after this many minutes. Default 30.",
      }),
    }),
    z.strictObject({
      kind: z.literal("http"),
      url: z.url().meta({ description: "Endpoint that receives a POST with the deployment as JSON." }),
      headers: z.record(z.string(), z.string()).optional().meta({
        description: "Extra headers. Values may name secrets as `${{ env.NAME }}`.",
      }),
      "secret-env": z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
        .optional()
        .meta({
          description:
            "Name of the environment variable holding the HMAC-SHA256 secret that signs the body (header X-Modelci-Signature-256). Without it the body is not signed.",
        }),
      "timeout-seconds": z.number().positive().default(30).meta({
        description: "Give up on one attempt after this many seconds. Default 30.",
      }),
      retries: z.number().int().min(0).max(10).default(3).meta({
        description: "Retries, with exponential backoff, after a 5xx answer or a network error. Default 3.",
      }),
    }),
    z.strictObject({
      kind: z.literal("github-release"),
    }),
    z.strictObject({
      kind: z.literal("serve"),
      port: z
        .number()
        .int()
        .min(1)
        .max(65535)
        .default(8080)
        .meta({ description: "Port of `modelci serve`." }),
      host: z.string().default("127.0.0.1").meta({ description: "Address `modelci serve` listens on." }),
      "body-limit": z
        .number()
        .int()
        .min(1024)
        .optional()
        .meta({ description: "Largest request body `modelci serve` accepts, in bytes. Default 16 MiB." }),
    }),
    z.strictObject({
      kind: z.literal("kubernetes"),
      namespace: z.string().regex(DNS_LABEL).default("default").meta({
        description: "Namespace of the InferenceServices. Default `default`.",
      }),
      name: z.string().regex(DNS_LABEL).optional().meta({
        description:
          "InferenceService name for a target serving one model. Default: `<model>-<target>` (one InferenceService per model).",
      }),
      "storage-uri": z.string().min(1).optional().meta({
        description:
          "URI prefix where the cluster reads artifacts (`s3://bucket/models`, `gs://…`, `pvc://…`): storageUri becomes `<prefix>/<model>/<version>`, a folder holding `model.onnx`. Default: the artifact's GitHub release download URL (release: artifacts only).",
      }),
      "timeout-seconds": z.number().positive().default(300).meta({
        description: "How long to wait for the Ready condition. Default 300.",
      }),
    }),
  ])
  .meta({
    description:
      "How the target deploys: `command`, `http`, `github-release`, `serve` (the built-in ONNX server) or `kubernetes` (a KServe InferenceService).",
  });

const currentDataSchema = z
  .strictObject({
    path: relativePathSchema
      .optional()
      .meta({ description: "A file of recent inputs (CSV, JSON Lines or Parquet)." }),
    command: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "A command that prints recent inputs as JSON Lines." }),
  })
  .meta({ description: "Where recent production inputs come from: `path` or `command` (exactly one)." });

const monitoringSchema = z
  .strictObject({
    schedule: z.string().min(1).meta({
      description:
        'Cron schedule (5 fields, UTC) of the drift check, as in a workflow\'s `on.schedule`, e.g. "0 6 * * *".',
    }),
    current: currentDataSchema,
    drift: z
      .strictObject({
        method: z
          .enum(["auto", "psi", "ks", "wasserstein", "jensen-shannon", "chi-squared", "z-test"])
          .default("auto")
          .meta({
            description:
              "Statistic per feature. `auto`: KS for numeric features under 1000 rows, else Wasserstein; chi-squared for categorical under 1000 rows, else Jensen-Shannon.",
          }),
        threshold: z.number().min(0).optional().meta({
          description:
            "A feature drifts when its statistic passes this. Default: the method's usual threshold.",
        }),
        share: z.number().min(0).max(1).default(0.5).meta({
          description: "The dataset drifts when at least this share of features drift. Default 0.5.",
        }),
        correction: z.enum(["none", "bh"]).optional().meta({
          description:
            "`bh`: Benjamini–Hochberg correction of the p-value methods (KS, chi-squared, Z-test). Default none.",
        }),
        "min-rows": z.number().int().min(0).optional().meta({
          description:
            'Fewer current rows than this give the verdict "not enough data" instead of drift. Default 100.',
        }),
      })
      .default({ method: "auto", share: 0.5 })
      .meta({ description: "Drift statistics and thresholds." }),
    sample: z.number().min(0).max(1).default(0.1).meta({
      description:
        "`modelci serve`: the share of input rows appended to `current.path` as JSON Lines. Default 0.1.",
    }),
    log: z
      .strictObject({
        exclude: z.array(z.string().min(1)).default([]).meta({
          description: "Input columns `modelci serve` never writes to the input log.",
        }),
        hash: z.array(z.string().min(1)).default([]).meta({
          description:
            "Input columns written as salted hashes (HMAC-SHA256 keyed by MODELCI_SERVE_LOG_SALT).",
        }),
      })
      .optional()
      .meta({ description: "`modelci serve`: which input columns the input log leaves out or hashes." }),
  })
  .meta({ description: "Scheduled drift checks of what this target serves." });

/** `deployments/<target>.yaml`: one environment and what it serves. */
export const deploymentSchema = z
  .strictObject({
    environment: z.string().min(1).optional().meta({
      description: "The GitHub Environment it deploys through. Default: the file name.",
    }),
    description: z.string().optional().meta({ description: "What this target is, for humans." }),
    models: z.record(z.string(), servedModelSchema).default({}).meta({
      description: "Model names mapped to the version this target serves. Always an explicit version.",
    }),
    driver: driverSchema,
    monitoring: monitoringSchema.optional(),
    rollback: z
      .strictObject({
        auto: z
          .boolean()
          .default(true)
          .meta({ description: "Roll back to the previous versions when a deploy fails." }),
      })
      .default({ auto: true })
      .meta({ description: "Rollback behaviour." }),
  })
  .meta({
    title: "modelci deployment target",
    description:
      "deployments/<target>.yaml: an environment, the model versions it serves, its deploy driver and monitoring.",
  });

export type Deployment = z.output<typeof deploymentSchema>;
export type Driver = z.output<typeof driverSchema>;

import { z } from "zod";
import { relativePathSchema, versionNumberSchema } from "./common.ts";

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
      .meta({ description: "Traffic split between versions; weights add up to 100." }),
    shadow: versionNumberSchema.optional().meta({
      description:
        "`modelci serve`: a version that gets a copy of every request; its answers are discarded, its latency and errors measured.",
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
    }),
    z.strictObject({
      kind: z.literal("http"),
      url: z.url().meta({ description: "Endpoint that receives a POST with the deployment as JSON." }),
      headers: z.record(z.string(), z.string()).optional().meta({
        description: "Extra headers. Values may name secrets as `${{ env.NAME }}`.",
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
  ])
  .meta({
    description:
      "How the target deploys: `command`, `http`, `github-release` or `serve` (the built-in ONNX server).",
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
          .enum(["auto", "psi", "ks", "wasserstein", "jensen-shannon", "chi-squared"])
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

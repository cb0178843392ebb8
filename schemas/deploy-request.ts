import { z } from "zod";
import { sha256Schema, versionNumberSchema } from "./common.ts";

const versionSchema = z
  .strictObject({
    version: versionNumberSchema,
    weight: z
      .number()
      .min(0)
      .max(100)
      .meta({ description: "Share of traffic, in percent (100 without a canary)." }),
    uri: z.string().meta({ description: "The artifact's URI in the store, as the version file records it." }),
    sha256: sha256Schema.meta({
      description: "sha256 of the artifact; the deployer checked the bytes against it.",
    }),
    size: z.number().int().min(0).optional().meta({ description: "Size of the artifact in bytes." }),
  })
  .meta({ description: "One version of a model, with its traffic share and artifact." });

const modelSchema = z
  .strictObject({
    model: z.string().meta({ description: "The model's name." }),
    versions: z.array(versionSchema).meta({ description: "The versions to serve: one, or a canary split." }),
  })
  .meta({ description: "What the target serves of one model." });

/**
 * The JSON body the `http` deploy driver POSTs. Signed with HMAC-SHA256 over the raw body when the
 * driver names a secret: `X-Modelci-Signature-256: sha256=<hex>`.
 */
export const deployRequestSchema = z
  .strictObject({
    target: z
      .string()
      .meta({ description: "The deployment target (file name of deployments/<target>.yaml)." }),
    environment: z.string().meta({ description: "The GitHub Environment it deploys through." }),
    commit: z.string().meta({ description: "The commit whose deployment file is being deployed." }),
    rollback: z
      .boolean()
      .meta({ description: "True when this call restores the previous versions after a failure." }),
    models: z.array(modelSchema).meta({ description: "Every model of the target: deploy them together." }),
    previous: z
      .array(modelSchema)
      .nullable()
      .meta({ description: "What the target served before (null on a rollback or when nothing did)." }),
  })
  .meta({
    title: "modelci deploy request",
    description: "Body of the http deploy driver's POST: a whole deployment target at once.",
  });

export type DeployRequestBody = z.output<typeof deployRequestSchema>;

import type { z } from "zod";
import { configSchema } from "./config.ts";
import { deploymentSchema } from "./deployment.ts";
import { experimentSchema } from "./experiment.ts";
import { modelSchema } from "./model.ts";
import { versionSchema } from "./version.ts";

export type { Config } from "./config.ts";
export type { Deployment, Driver } from "./deployment.ts";
export type { Experiment } from "./experiment.ts";
export type { Gate, Model, SignatureTensor } from "./model.ts";
export type { Profile, Version } from "./version.ts";

/** Every declaration kind, its schema, and the name of its generated JSON Schema file. */
export const DECLARATION_KINDS = {
  config: { schema: configSchema, file: "config.schema.json" },
  experiment: { schema: experimentSchema, file: "experiment.schema.json" },
  model: { schema: modelSchema, file: "model.schema.json" },
  version: { schema: versionSchema, file: "version.schema.json" },
  deployment: { schema: deploymentSchema, file: "deployment.schema.json" },
} as const satisfies Record<string, { schema: z.ZodType; file: string }>;

export type DeclarationKind = keyof typeof DECLARATION_KINDS;

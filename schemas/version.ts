import { z } from "zod";
import { paramsSchema, relativePathSchema, sha256Schema, versionNumberSchema } from "./common.ts";
import { signatureTensorSchema } from "./model.ts";

const digestSchema = z.strictObject({
  path: relativePathSchema.meta({ description: "The file, relative to the root." }),
  sha256: sha256Schema,
  size: z.number().int().min(0).optional().meta({ description: "Size in bytes." }),
});

const numericProfileSchema = z.strictObject({
  kind: z.literal("numeric"),
  count: z.number().int().min(0).meta({ description: "Non-missing values." }),
  missing: z.number().int().min(0).meta({ description: "Missing values." }),
  min: z.number().meta({ description: "Smallest value." }),
  max: z.number().meta({ description: "Largest value." }),
  mean: z.number().meta({ description: "Mean value." }),
  std: z.number().min(0).meta({ description: "Population standard deviation." }),
  quantiles: z.array(z.number()).meta({ description: "Deciles (0%, 10%, …, 100%)." }),
  bins: z
    .strictObject({
      edges: z.array(z.number()).min(2).meta({ description: "Bin edges, ascending." }),
      counts: z.array(z.number().int().min(0)).min(1).meta({ description: "Values per bin." }),
    })
    .meta({ description: "A histogram of the training values, for PSI and Jensen-Shannon." }),
});

const categoricalProfileSchema = z.strictObject({
  kind: z.literal("categorical"),
  count: z.number().int().min(0).meta({ description: "Non-missing values." }),
  missing: z.number().int().min(0).meta({ description: "Missing values." }),
  frequencies: z.record(z.string(), z.number().int().min(0)).meta({ description: "Count per category." }),
});

export const profileSchema = z
  .strictObject({
    rows: z.number().int().min(0).meta({ description: "Rows profiled." }),
    features: z
      .record(z.string(), z.discriminatedUnion("kind", [numericProfileSchema, categoricalProfileSchema]))
      .meta({ description: "Feature name mapped to its numeric or categorical profile." }),
  })
  .meta({
    description: "A compact profile of the training data, so drift checks need no raw training data.",
  });

/** `models/<model>/versions/<n>.yaml`: one registered version. Written by `modelci register`. */
export const versionSchema = z
  .strictObject({
    version: versionNumberSchema.meta({ description: "The version number; equals the file name." }),
    created: z.iso
      .datetime({ offset: true })
      .meta({ description: "When the version was registered (ISO 8601)." }),
    commit: z
      .string()
      .regex(/^[a-f0-9]{40}$/, { error: "must be a full 40-character git commit sha" })
      .meta({ description: "The commit the model was trained from." }),
    experiment: z.string().min(1).meta({ description: "The experiment that trained it." }),
    "run-id": z.string().min(1).optional().meta({ description: "The run of the experiment's sweep." }),
    params: paramsSchema.default({}),
    data: z
      .record(z.string(), digestSchema)
      .default({})
      .meta({ description: "Digests of the data it was trained and evaluated on." }),
    artifact: z
      .strictObject({
        uri: z.string().min(1).meta({
          description: "Where the artifact is stored: `local:<sha256>` or `release:<model>@v<n>/<file>`.",
        }),
        sha256: sha256Schema.meta({ description: "sha256 of the artifact; checked on every read." }),
        size: z.number().int().min(0).meta({ description: "Size in bytes." }),
        format: z.enum(["onnx", "other"]).default("onnx").meta({ description: "Artifact format." }),
      })
      .meta({ description: "The model file, stored content-addressed." }),
    metrics: z
      .record(z.string(), z.number())
      .default({})
      .meta({ description: "Evaluation metrics at registration." }),
    "self-reported": z.boolean().default(false).meta({
      description:
        "True when the metrics came from the experiment's own evaluation command, not from modelci.",
    }),
    signature: z
      .strictObject({
        inputs: z.array(signatureTensorSchema).meta({ description: "Input tensors, in graph order." }),
        outputs: z.array(signatureTensorSchema).meta({ description: "Output tensors, in graph order." }),
      })
      .optional()
      .meta({ description: "The model's input and output tensors, read from the ONNX file." }),
    profile: profileSchema.optional(),
    reference: z
      .strictObject({
        uri: z.string().min(1).meta({
          description:
            "Where the reference profile is stored: `local:<sha256>` or `release:<model>@v<n>/<file>`.",
        }),
        sha256: sha256Schema.meta({ description: "sha256 of the reference profile; checked on every read." }),
        size: z.number().int().min(0).meta({ description: "Size in bytes." }),
      })
      .optional()
      .meta({
        description:
          "The reference profile artifact (schemas/json/reference-profile.schema.json) drift checks compare against: exact counts, a seeded sample of up to 10,000 values per numeric feature, exact category counts, the model's predictions on the training data.",
      }),
  })
  .meta({
    title: "modelci model version",
    description:
      "models/<model>/versions/<n>.yaml: a registered version, with its provenance, artifact digest and metrics.",
  });

export type Version = z.output<typeof versionSchema>;
export type Profile = z.output<typeof profileSchema>;

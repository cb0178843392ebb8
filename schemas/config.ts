import { z } from "zod";
import { providerSchema, relativePathSchema, runsOnSchema } from "./common.ts";

/** `modelci.yaml`: optional repository configuration at the repository root. */
export const configSchema = z
  .strictObject({
    root: z.string().min(1).default(".").meta({
      description:
        "Folder, relative to the repository root, that holds experiments/, models/ and deployments/. Default: the repository root.",
    }),
    artifacts: z
      .strictObject({
        store: z.enum(["local", "github-release"]).default("local").meta({
          description:
            "Where registered model artifacts are stored, content-addressed: `local` (a folder) or `github-release` (a release asset on tag `<model>@v<n>`).",
        }),
        path: relativePathSchema.default(".modelci/artifacts").meta({
          description: "Folder for the `local` store, relative to the repository root, inside it.",
        }),
      })
      .default({ store: "local", path: ".modelci/artifacts" })
      .meta({ description: "The artifact store for registered model versions." }),
    defaults: z
      .strictObject({
        "runs-on": runsOnSchema.optional(),
        "timeout-minutes": z
          .number()
          .positive()
          .max(4320)
          .optional()
          .meta({ description: "Default training timeout for experiments that set none." }),
        provider: providerSchema.optional(),
        "baseline-target": z.string().min(1).optional().meta({
          description:
            "Deployment target whose current version is the champion, for models whose promotion policy names none.",
        }),
      })
      .default({})
      .meta({ description: "Defaults applied to every experiment and model that does not set its own." }),
    drift: z
      .strictObject({
        workflow: z.string().min(1).default(".github/workflows/modelci-drift.yml").meta({
          description:
            "The workflow in this repository that runs the scheduled drift checks (it calls modelci's reusable `modelci-drift.yml`). The App's watchdog opens an issue when it has not completed for twice a target's `monitoring.schedule` period.",
        }),
      })
      .default({ workflow: ".github/workflows/modelci-drift.yml" })
      .meta({ description: "Scheduled drift checks: which workflow runs them." }),
  })
  .meta({
    title: "modelci repository configuration",
    description: "Optional modelci.yaml at the repository root: root folder, artifact store and defaults.",
  });

export type Config = z.output<typeof configSchema>;

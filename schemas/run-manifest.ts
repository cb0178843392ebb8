/** The run manifest: what one training run did, on what, with what result. Written by `modelci train`. */
import { z } from "zod";

const sha256Schema = z
  .string()
  .regex(/^[0-9a-f]{64}$/)
  .meta({ description: "sha256 of the content, 64 lowercase hex digits." });

export const paramValueSchema = z
  .union([z.string(), z.number(), z.boolean()])
  .meta({ description: "A param value: string, number or boolean." });

export const dataDigestSchema = z
  .strictObject({
    paths: z
      .array(z.string())
      .meta({ description: "The paths, directories or globs declared for this data, as written." }),
    sha256: sha256Schema.meta({
      description:
        "sha256 over `<sha256>  <path>\\n` lines of every file, sorted by path (sha256sum format).",
    }),
    size: z.number().int().nonnegative().meta({ description: "Total size of the files in bytes." }),
    fileCount: z.number().int().nonnegative().meta({ description: "How many files were hashed." }),
  })
  .meta({ description: "Digest of one declared data input." });

export const outputDigestSchema = z
  .strictObject({
    path: z.string().meta({ description: "The output's path, relative to the root." }),
    sha256: sha256Schema,
    size: z.number().int().nonnegative().meta({ description: "Size of the file in bytes." }),
  })
  .meta({ description: "Digest of one file the run wrote." });

export const gpuSchema = z
  .strictObject({
    name: z.string().meta({ description: "GPU model, as nvidia-smi reports it." }),
    memoryMiB: z.number().nonnegative().meta({ description: "Total GPU memory in MiB." }),
  })
  .meta({ description: "One GPU of the machine the run trained on." });

export const hostSchema = z
  .strictObject({
    name: z.string().meta({ description: "Host name of the machine." }),
    platform: z
      .string()
      .meta({ description: "Operating system, as Node reports it (linux, darwin, win32)." }),
    arch: z.string().meta({ description: "CPU architecture, as Node reports it (x64, arm64)." }),
    cpus: z.number().int().nonnegative().meta({ description: "Number of logical CPUs." }),
    memoryMiB: z.number().nonnegative().meta({ description: "Total memory in MiB." }),
  })
  .meta({ description: "The machine the run trained on." });

export const runStatusSchema = z
  .enum(["succeeded", "failed", "timed-out"])
  .meta({ description: "succeeded only when the command exited 0, wrote its outputs and valid metrics." });

export const runManifestSchema = z
  .strictObject({
    manifestVersion: z.literal(1).meta({ description: "Version of this manifest format." }),
    experiment: z
      .string()
      .min(1)
      .meta({ description: "Name of the experiment (its file name without .yaml)." }),
    runId: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/)
      .meta({ description: "The run's id within the experiment's sweep; `default` without a sweep." }),
    status: runStatusSchema,
    reason: z
      .string()
      .optional()
      .meta({ description: "Why the run did not succeed; absent when it succeeded." }),
    params: z
      .record(z.string(), paramValueSchema)
      .meta({ description: "The params the run trained with, sweep values included." }),
    argv: z
      .array(z.string())
      .meta({ description: "The command that ran, as the argument list passed to it (no shell)." }),
    commit: z
      .string()
      .regex(/^([0-9a-f]{40}|[0-9a-f]{64})$/)
      .meta({ description: "The git commit the run trained from." }),
    dirty: z.boolean().meta({
      description: "Whether the working tree had uncommitted changes, so the commit is not all of it.",
    }),
    data: z
      .record(z.string(), dataDigestSchema)
      .meta({ description: "Digests of the experiment's data inputs, by the name declared under `data`." }),
    outputs: z
      .record(z.string(), outputDigestSchema)
      .meta({ description: "Digests of the files the run wrote, by the name declared under `outputs`." }),
    metrics: z
      .record(z.string(), z.number())
      .meta({ description: "The metrics the run reported in its metrics file: names and finite numbers." }),
    startedAt: z.iso.datetime().meta({ description: "When the command started (ISO 8601, UTC)." }),
    finishedAt: z.iso.datetime().meta({ description: "When the command ended (ISO 8601, UTC)." }),
    wallTimeMs: z.number().nonnegative().meta({ description: "How long the command ran, in milliseconds." }),
    host: hostSchema,
    gpus: z.array(gpuSchema).meta({ description: "The GPUs of the machine; empty when it has none." }),
    exitCode: z.number().int().nullable().meta({
      description: "The command's exit code; null when it was killed by a signal or did not start.",
    }),
    signal: z
      .string()
      .nullable()
      .meta({ description: "The signal that ended the command (for example SIGTERM on timeout), or null." }),
    logTail: z.array(z.string()).optional().meta({
      description: "The last lines of the command's output; present only when the run did not succeed.",
    }),
  })
  .meta({ description: "What one training run did: command, inputs, outputs, metrics, machine and result." });

export type RunManifest = z.output<typeof runManifestSchema>;
export type RunStatus = z.output<typeof runStatusSchema>;
export type DataDigest = z.output<typeof dataDigestSchema>;
export type OutputDigest = z.output<typeof outputDigestSchema>;

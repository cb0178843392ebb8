import { z } from "zod";
import { paramsSchema, sha256Schema } from "./common.ts";

const byteSizeSchema = z.number().int().min(0);

export const dataDigestSchema = z
  .strictObject({
    path: z
      .string()
      .min(1)
      .meta({ description: "The data path as declared: a file, a directory or a glob." }),
    sha256: sha256Schema.meta({
      description:
        "For one file, its sha256. For a directory or glob, the sha256 of `<sha256>  <path>` lines of its files, sorted by path (sha256sum format).",
    }),
    size: byteSizeSchema.meta({ description: "Size in bytes (the total, for a directory or glob)." }),
    files: z.number().int().min(1).meta({ description: "How many files were hashed." }),
  })
  .meta({ description: "Digest of one declared data input." });

export const outputDigestSchema = z
  .strictObject({
    path: z.string().min(1).meta({ description: "The file, relative to the root." }),
    sha256: sha256Schema.meta({ description: "sha256 of the file." }),
    size: byteSizeSchema.meta({ description: "Size in bytes." }),
  })
  .meta({ description: "Digest of one file the run wrote." });

export const gpuSchema = z
  .strictObject({
    name: z.string().min(1).meta({ description: "GPU model, as nvidia-smi reports it." }),
    "memory-mib": z.number().min(0).meta({ description: "Total GPU memory in MiB." }),
  })
  .meta({ description: "One GPU of the machine the run trained on." });

export const hostSchema = z
  .strictObject({
    name: z.string().meta({ description: "Host name of the machine." }),
    platform: z
      .string()
      .meta({ description: "Operating system, as Node reports it (linux, darwin, win32)." }),
    arch: z.string().meta({ description: "CPU architecture, as Node reports it (x64, arm64)." }),
    cpus: z.number().int().min(0).meta({ description: "Number of logical CPUs." }),
    "memory-mib": z.number().min(0).meta({ description: "Total memory in MiB." }),
  })
  .meta({ description: "The machine the run trained on." });

export const runStatusSchema = z.enum(["succeeded", "failed", "timed-out"]).meta({
  description:
    "`succeeded` only when the command exited 0 and wrote every declared output and valid metrics.",
});

/** The record of one training run. Written by `modelci train`; read back by evaluate, report and register. */
export const runManifestSchema = z
  .strictObject({
    "manifest-version": z.literal(1).meta({ description: "Version of this manifest format." }),
    experiment: z.string().min(1).meta({ description: "The experiment (its file name without .yaml)." }),
    "run-id": z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, { error: "must be letters, digits, '.', '_' or '-'" })
      .meta({ description: "The run within the experiment's sweep; `default` without a sweep." }),
    status: runStatusSchema,
    reason: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "Why the run did not succeed; absent when it succeeded." }),
    params: paramsSchema.meta({ description: "The params the run trained with, sweep values included." }),
    argv: z
      .array(z.string())
      .meta({ description: "The command that ran, as the argument list it was given (no shell)." }),
    commit: z
      .string()
      .regex(/^([a-f0-9]{40}|[a-f0-9]{64})$/, { error: "must be a full git commit sha" })
      .meta({ description: "The commit the run trained from." }),
    dirty: z.boolean().meta({
      description: "True when the working tree had uncommitted changes, so the commit is not all of it.",
    }),
    data: z
      .record(z.string(), dataDigestSchema)
      .meta({ description: "Digests of the data inputs, by their name under the experiment's `data`." }),
    outputs: z
      .record(z.string(), outputDigestSchema)
      .meta({ description: "Digests of the files the run wrote, by their name under `outputs`." }),
    metrics: z.record(z.string(), z.number()).meta({
      description: "The training metrics from the experiment's metrics file: names and finite numbers.",
    }),
    "started-at": z.iso
      .datetime({ offset: true })
      .meta({ description: "When the command started (ISO 8601)." }),
    "finished-at": z.iso
      .datetime({ offset: true })
      .meta({ description: "When the command ended (ISO 8601)." }),
    "wall-time-ms": z.number().min(0).meta({ description: "How long the command ran, in milliseconds." }),
    host: hostSchema,
    gpus: z.array(gpuSchema).meta({ description: "The machine's GPUs; empty when it has none." }),
    "exit-code": z.number().int().nullable().meta({
      description: "The command's exit code; null when a signal ended it or it did not start.",
    }),
    signal: z
      .string()
      .nullable()
      .meta({ description: "The signal that ended the command (SIGTERM or SIGKILL on timeout), or null." }),
    "log-tail": z
      .array(z.string())
      .optional()
      .meta({ description: "The last lines of the command's output; only when the run did not succeed." }),
  })
  .meta({
    title: "modelci run manifest",
    description: "What one training run did: command, inputs, outputs, metrics, machine and result.",
  });

export type RunManifest = z.output<typeof runManifestSchema>;
export type RunStatus = z.output<typeof runStatusSchema>;
export type DataDigest = z.output<typeof dataDigestSchema>;
export type OutputDigest = z.output<typeof outputDigestSchema>;

import type { Command } from "../command.ts";

/** Every command, loaded on first use so that `modelci <cmd>` only imports what <cmd> needs. */
export const COMMANDS: { name: string; summary: string; load: () => Promise<Command> }[] = [
  {
    name: "validate",
    summary: "Check every declaration file, reporting problems as file:line:col",
    load: async () => (await import("./validate.ts")).validateCommand,
  },
  {
    name: "plan",
    summary: "List the training runs a change between two commits affects, and why",
    load: async () => (await import("./plan.ts")).planCommand,
  },
  {
    name: "train",
    summary: "Run an experiment's command (every sweep run, or one) and write run manifests",
    load: async () => (await import("./train.ts")).trainCommand,
  },
  {
    name: "evaluate",
    summary: "Score an ONNX model (and a baseline) on a data file with the standard metrics",
    load: async () => (await import("./evaluate.ts")).evaluateCommand,
  },
  {
    name: "run",
    summary: "The local pipeline: validate, plan, train every run, evaluate, print the best run",
    load: async () => (await import("./run.ts")).runCommand,
  },
  {
    name: "init",
    summary: "Scaffold a minimal modelci repository (never overwrites a file)",
    load: async () => (await import("./init.ts")).initCommand,
  },
];

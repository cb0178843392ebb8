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
    name: "compare",
    summary: "Apply each model's gates to evaluation results and print the report (Markdown or JSON)",
    load: async () => (await import("./compare.ts")).compareCommand,
  },
  {
    name: "run",
    summary: "The local pipeline: validate, plan, train every run, evaluate, print the best run",
    load: async () => (await import("./run.ts")).runCommand,
  },
  {
    name: "promotion-check",
    summary:
      "Judge a promotion (base → head) by the policy in base: approvals, stages, soak, gates, integrity",
    load: async () => (await import("./promotion-check.ts")).promotionCheckCommand,
  },
  {
    name: "register",
    summary: "Register a trained run as the model's next version: artifact stored, version file written",
    load: async () => (await import("./register.ts")).registerCommand,
  },
  {
    name: "show",
    summary: "Show a registered version, what a target serves, or the champion",
    load: async () => (await import("./show.ts")).showCommand,
  },
  {
    name: "history",
    summary: "Which version each target served and when, from git history; the registered versions",
    load: async () => (await import("./history.ts")).historyCommand,
  },
  {
    name: "deploy",
    summary: "Deploy a target (or every target a change touches) through its driver, with rollback",
    load: async () => (await import("./deploy.ts")).deployCommand,
  },
  {
    name: "drift",
    summary:
      "Compare current data with reference data (or a target's served versions): per-feature drift and a verdict",
    load: async () => (await import("./drift.ts")).driftCommand,
  },
  {
    name: "serve",
    summary: "Serve a deployment target's model versions over HTTP (Open Inference Protocol v2)",
    load: async () => (await import("./serve.ts")).serveCommand,
  },
  {
    name: "init",
    summary: "Scaffold a minimal modelci repository (never overwrites a file)",
    load: async () => (await import("./init.ts")).initCommand,
  },
];

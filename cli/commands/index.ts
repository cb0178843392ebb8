import type { Command } from "../command.ts";

/** Every command, loaded on first use so that `modelci <cmd>` only imports what <cmd> needs. */
export const COMMANDS: { name: string; summary: string; load: () => Promise<Command> }[] = [
  {
    name: "validate",
    summary: "Check every declaration file, reporting problems as file:line:col",
    load: async () => (await import("./validate.ts")).validateCommand,
  },
  {
    name: "init",
    summary: "Scaffold a minimal modelci repository (never overwrites a file)",
    load: async () => (await import("./init.ts")).initCommand,
  },
];

import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "../core/errors.ts";

/** Refuses a `--root` that is not a folder, before a command reads anything under it. */
export function checkRootFolder(root: string): void {
  const dir = resolve(root);
  if (!existsSync(dir)) throw new UsageError(`--root ${root}: no such folder`);
  if (!statSync(dir).isDirectory()) throw new UsageError(`--root ${root}: not a folder`);
}

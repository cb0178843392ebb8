/**
 * Child process of the drift bench: runs `modelci drift ARGS…` in this process (the CLI's own
 * `main`), after a warm-up run on small files that loads every module the command uses, and
 * prints one JSON line: the command's seconds, its exit code, and the peak RSS it added: the
 * kernel's high-water mark (VmHWM, reset through /proc/self/clear_refs just before the run; where
 * that is not possible, getrusage's, which can only overstate) against the RSS just before it
 * ran, after a full GC.
 *
 *   node --expose-gc --import tsx bench/measure-drift-command.ts MODE WARMUP_REF WARMUP_CUR -- ARGS…
 *
 * MODE `command` runs the command; `read` only reads the `--columns` of `--reference` and
 * `--current` as the command does (both at once), the baseline the command's time is set against.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { readDriftTable } from "../adapters/data/read-drift-table.ts";
import { main } from "../cli/main.ts";

/** Resets the kernel's peak-RSS mark of this process; false where /proc does not allow it. */
function resetHighWaterMark(): boolean {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}

function highWaterMark(reset: boolean): number {
  if (reset) {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    if (match !== null) return Number(match[1]) * 1024;
  }
  return process.resourceUsage().maxRSS * 1024;
}

const split = process.argv.indexOf("--");
const [mode, warmupReference, warmupCurrent] = process.argv.slice(2, split);
const args = process.argv.slice(split + 1);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args[at + 1];
};

/** What the command reads, and nothing else. */
async function readOnly(): Promise<number> {
  const columns = option("--columns")?.split(",");
  await Promise.all([
    readDriftTable(option("--reference") as string, { columns }),
    readDriftTable(option("--current") as string, { columns }),
  ]);
  return 0;
}
const quiet = { out: () => {}, err: (text: string) => process.stderr.write(text) };
const columns = args.includes("--columns")
  ? ["--columns", args[args.indexOf("--columns") + 1] as string]
  : [];
await main(
  [
    "drift",
    "--reference",
    warmupReference as string,
    "--current",
    warmupCurrent as string,
    "--json",
    ...columns,
  ],
  quiet,
);
(globalThis as { gc?: () => void }).gc?.();
const before = process.memoryUsage.rss();
const reset = resetHighWaterMark();
const started = performance.now();
const code = mode === "read" ? await readOnly() : await main(["drift", ...args], quiet);
const seconds = (performance.now() - started) / 1000;
const peak = highWaterMark(reset);
console.log(JSON.stringify({ seconds, code, addedBytes: Math.max(0, peak - before) }));

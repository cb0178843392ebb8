/**
 * Runs a command without a shell, in its own process group, streaming its output line by line.
 *
 * On timeout (or abort) the whole group gets SIGTERM, then SIGKILL after a grace period, so the
 * processes the command started die with it. Processes it leaves behind when it exits are ended too.
 */
import { spawn } from "node:child_process";
import { statSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { UserError } from "../../core/errors.ts";

export type OutputStream = "stdout" | "stderr";

export interface RunCommandOptions {
  /** The program and its arguments; never passed through a shell. */
  argv: readonly string[];
  cwd?: string;
  /** The child's whole environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Kill the command's process group after this long. */
  timeoutMs?: number;
  /** Between SIGTERM and SIGKILL (default 5 s). */
  killGraceMs?: number;
  /** Aborting stops the command as a timeout does (for Ctrl-C: the child is in its own process group). */
  signal?: AbortSignal;
  onLine?: (stream: OutputStream, line: string) => void;
  /** How many of the last output lines to keep (default 50). */
  tailLines?: number;
}

export interface RunCommandResult {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
  /** The last lines of stdout and stderr, in the order they arrived. */
  tail: string[];
}

/** Longest line passed to onLine; longer output without a newline is split. */
const MAX_LINE_CHARS = 65_536;

export async function runCommand(options: RunCommandOptions): Promise<RunCommandResult> {
  const [program, ...args] = options.argv;
  if (program === undefined || program === "") throw new UserError("command: the command is empty");
  const tailLines = options.tailLines ?? 50;
  const tail: string[] = [];
  const emit = (stream: OutputStream, line: string) => {
    if (tailLines > 0) {
      tail.push(line);
      if (tail.length > tailLines) tail.shift();
    }
    options.onLine?.(stream, line);
  };

  const started = performance.now();
  const child = spawn(program, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    shell: false,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const spawned = new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", (error) => reject(describeSpawnError(error, program, options.cwd)));
  });
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.once("exit", (code, exitSignal) => resolve([code, exitSignal]));
  });
  const outputDone = Promise.all([
    pipeLines(child.stdout, (line) => emit("stdout", line)),
    pipeLines(child.stderr, (line) => emit("stderr", line)),
  ]);
  try {
    await spawned;
  } catch (error) {
    child.stdout.destroy();
    child.stderr.destroy();
    throw error;
  }
  const pid = child.pid ?? 0;

  let timedOut = false;
  let killTimer: NodeJS.Timeout | undefined;
  const stop = () => {
    if (killTimer !== undefined) return;
    signalGroup(pid, "SIGTERM");
    killTimer = setTimeout(() => signalGroup(pid, "SIGKILL"), options.killGraceMs ?? 5000);
  };
  const timeoutTimer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          stop();
        }, options.timeoutMs);
  const onAbort = () => stop();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) stop();
  // If this process exits while the command runs, take the command's group down with it.
  const onExit = () => signalGroup(pid, "SIGKILL");
  process.once("exit", onExit);

  try {
    const [exitCode, signal] = await exited;
    const durationMs = performance.now() - started;
    clearTimeout(timeoutTimer);
    // The command is gone; whatever it left running in its group (and holding its output open) goes too.
    await endLeftovers(pid, options.killGraceMs ?? 5000, outputDone);
    // A process that left the group (setsid) may still hold the output open; stop reading it.
    if (!(await settlesWithin(outputDone, 1000))) {
      child.stdout.destroy();
      child.stderr.destroy();
    }
    await outputDone;
    return { exitCode, signal, timedOut, durationMs, tail };
  } finally {
    clearTimeout(timeoutTimer);
    clearTimeout(killTimer);
    options.signal?.removeEventListener("abort", onAbort);
    process.off("exit", onExit);
  }
}

/** Calls onLine for each line of a stream (split on \n, \r\n or \r) and resolves when it ends. */
function pipeLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): Promise<void> {
  const decoder = new StringDecoder("utf8");
  let pending = "";
  const take = (text: string, final: boolean) => {
    pending += text;
    const parts = pending.split(/\r\n|\n|\r(?!$)/);
    pending = parts.pop() ?? "";
    for (const part of parts) onLine(part);
    if (final && pending.endsWith("\r")) pending = pending.slice(0, -1);
    while (pending.length > MAX_LINE_CHARS) {
      onLine(pending.slice(0, MAX_LINE_CHARS));
      pending = pending.slice(MAX_LINE_CHARS);
    }
    if (final && pending !== "") onLine(pending);
  };
  return new Promise((resolve) => {
    stream.on("data", (chunk: Buffer) => take(decoder.write(chunk), false));
    stream.once("end", () => {
      take(decoder.end(), true);
      resolve();
    });
    stream.once("close", () => resolve());
    stream.once("error", () => resolve());
  });
}

/**
 * SIGTERM to what is left in the group; SIGKILL once the output is closed or the grace period is over.
 * Waiting on the output rather than on the group is deliberate: killed processes can linger as zombies
 * until init reaps them, but they close their output as soon as they die.
 */
async function endLeftovers(pid: number, graceMs: number, outputDone: Promise<unknown>): Promise<void> {
  if (!signalGroup(pid, "SIGTERM")) return;
  await settlesWithin(outputDone, graceMs);
  signalGroup(pid, "SIGKILL");
}

/** Whether `promise` settles within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Signals every process in the group led by `pid`; false when the group no longer exists. */
function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

function describeSpawnError(error: NodeJS.ErrnoException, program: string, cwd: string | undefined): Error {
  if (error.code === "ENOENT" && cwd !== undefined && !isDirectory(cwd)) {
    return new UserError(`working directory not found: ${cwd}`, { cause: error });
  }
  if (error.code === "ENOENT") return new UserError(`command not found: ${program}`, { cause: error });
  if (error.code === "EACCES")
    return new UserError(`command is not executable: ${program}`, { cause: error });
  return new UserError(`cannot run ${program}: ${error.message}`, { cause: error });
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

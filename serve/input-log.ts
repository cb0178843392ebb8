/**
 * The input log that drift checks read: JSON Lines appended to the target's
 * `monitoring.current.path`, rotated by size (`path.1` is the newest old file). Writing never
 * blocks a request: lines wait in a bounded buffer that one writer drains; when the disk falls
 * behind and the buffer is full, new lines are dropped and counted.
 */
import { createHmac, randomBytes } from "node:crypto";
import { type FileHandle, mkdir, open, rename, rm, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { type LogPolicy, type LogRecord, makeLogLine, rotatedNames } from "../core/serve/make-log-record.ts";

export interface LogSink {
  /** Queues lines (without newlines); returns how many were dropped. */
  write(lines: readonly string[]): number;
  close(): Promise<void>;
}

export interface FileSinkOptions {
  path: string;
  /** Rotate when the file reaches this size (default 64 MiB). */
  maxBytes?: number;
  /** Rotated files kept (default 5). */
  keep?: number;
  /** Bytes of lines waiting for the disk before new lines are dropped (default 4 MiB). */
  bufferBytes?: number;
}

/** A sink that appends to a file, rotating by size. */
export function fileSink(options: FileSinkOptions): LogSink {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const keep = options.keep ?? 5;
  const bufferBytes = options.bufferBytes ?? 4 * 1024 * 1024;
  let pending: string[] = [];
  let pendingBytes = 0;
  let handle: FileHandle | undefined;
  let size = 0;
  let draining: Promise<void> | undefined;

  async function openFile(): Promise<FileHandle> {
    if (handle) return handle;
    await mkdir(dirname(options.path), { recursive: true });
    handle = await open(options.path, "a");
    size = (await stat(options.path)).size;
    return handle;
  }

  async function rotate(): Promise<void> {
    await handle?.close();
    handle = undefined;
    const names = rotatedNames(options.path, keep);
    await rm(names[names.length - 1] as string, { force: true });
    for (let i = names.length - 1; i > 0; i--) {
      await rename(names[i - 1] as string, names[i] as string).catch(() => {});
    }
    await rename(options.path, names[0] as string).catch(() => {});
  }

  async function drain(): Promise<void> {
    while (pending.length > 0) {
      const text = `${pending.join("\n")}\n`;
      pending = [];
      pendingBytes = 0;
      try {
        const file = await openFile();
        await file.appendFile(text);
        size += Buffer.byteLength(text);
        if (size >= maxBytes) await rotate();
      } catch (error) {
        process.emitWarning(`modelci serve: cannot write the input log ${options.path}: ${String(error)}`);
      }
    }
    draining = undefined;
  }

  return {
    write(lines) {
      let dropped = 0;
      for (const line of lines) {
        if (pendingBytes + line.length > bufferBytes) {
          dropped++;
          continue;
        }
        pending.push(line);
        pendingBytes += line.length + 1;
      }
      if (pending.length > 0 && draining === undefined) draining = drain();
      return dropped;
    },
    async close() {
      while (draining) await draining;
      await handle?.close();
      handle = undefined;
    },
  };
}

export interface InputLoggerOptions {
  sink: LogSink;
  /** Share of rows written, 0–1. */
  sample: number;
  policy: LogPolicy;
  /** Key of the HMAC that hashes `monitoring.log.hash` columns. */
  salt: string;
  onWritten(rows: number, dropped: number): void;
  random?: () => number;
}

/** Samples rows, applies the exclude/hash policy and hands the lines to the sink. */
export class InputLogger {
  private readonly random: () => number;
  private readonly hash: (value: string) => string;

  constructor(private readonly options: InputLoggerOptions) {
    this.random = options.random ?? Math.random;
    const { salt } = options;
    this.hash = (value) => createHmac("sha256", salt).update(value).digest("hex").slice(0, 16);
  }

  /**
   * The rows of a request (`row(i)` builds row i's record) to log, each kept with the sample
   * probability; only the rows kept are built.
   */
  offer(rows: number, record: (row: number) => LogRecord): void {
    const { sample, policy, sink } = this.options;
    if (sample <= 0) return;
    const lines: string[] = [];
    for (let i = 0; i < rows; i++) {
      if (sample < 1 && this.random() >= sample) continue;
      lines.push(makeLogLine(record(i), policy, this.hash));
    }
    if (lines.length === 0) return;
    const dropped = sink.write(lines);
    this.options.onWritten(lines.length - dropped, dropped);
  }
}

/** MODELCI_SERVE_LOG_SALT, or a random salt for this process (hashes then differ across restarts). */
export function logSalt(env: NodeJS.ProcessEnv, warn: (message: string) => void, needed: boolean): string {
  const salt = env.MODELCI_SERVE_LOG_SALT;
  if (salt !== undefined && salt !== "") return salt;
  if (needed) {
    warn(
      "warning: MODELCI_SERVE_LOG_SALT is not set; monitoring.log.hash columns are hashed with a random salt, so their values differ after a restart",
    );
  }
  return randomBytes(32).toString("hex");
}

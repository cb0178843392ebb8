import { createReadStream } from "node:fs";
import type { BatchBuilder, StreamTableOptions, TableBatch } from "./table-batch.ts";
import { fileError } from "./table-errors.ts";

/** A byte-level parser of one text format, fed a growing window of the file. */
export interface TextTableParser {
  /** Null until the header has been read. */
  readonly batch: BatchBuilder | null;
  /**
   * Reads the header from `bytes[0, end)` and sets up the batch; returns the index where the
   * rows start, or -1 when it needs more bytes (never at `eof`).
   */
  parseHeader(bytes: Buffer, end: number, eof: boolean): number;
  /**
   * Reads rows from `bytes[p, end)` into the batch until the batch is full or the bytes run out;
   * returns the index after the last whole row. Without `eof`, a row cut by `end` is left for
   * the next call, which gets the same bytes again at the start of a longer window.
   */
  parseRows(bytes: Buffer, p: number, end: number, eof: boolean): number;
  /** Called when the bytes before `offset` are dropped, so positions kept by the parser move. */
  shift(offset: number): void;
}

const CHUNK_BYTES = 1 << 20;

/** The file's bytes, in chunks; a missing file becomes a one-line error. */
export async function* readChunks(path: string): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) yield chunk as Buffer;
  } catch (error) {
    throw fileError(path, error);
  }
}

/**
 * Streams a text table's bytes through its parser, one batch at a time; memory holds one chunk,
 * the unfinished row before it, and one batch. Chunks may split rows, cells and line breaks anywhere.
 */
export async function* streamTextTable(
  chunks: AsyncIterable<Buffer>,
  parser: TextTableParser,
  options: Pick<StreamTableOptions, "missing" | "onDropped"> = {},
): AsyncGenerator<TableBatch> {
  let rest: Buffer | undefined;
  for await (const chunk of chunks) {
    const bytes = rest !== undefined && rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    const consumed = yield* parseWindow(parser, bytes, false);
    parser.shift(consumed);
    rest = bytes.subarray(consumed);
  }
  yield* parseWindow(parser, rest ?? Buffer.alloc(0), true);
  const batch = parser.batch;
  batch?.finish(options.missing ?? "error", options.onDropped);
  if (batch !== null && batch.rows > 0) yield batch.take();
}

function* parseWindow(parser: TextTableParser, bytes: Buffer, eof: boolean): Generator<TableBatch, number> {
  let p = 0;
  if (parser.batch === null) {
    p = parser.parseHeader(bytes, bytes.length, eof);
    if (p < 0) return 0;
  }
  const batch = parser.batch as BatchBuilder;
  for (;;) {
    p = parser.parseRows(bytes, p, bytes.length, eof);
    if (!batch.full) return p;
    yield batch.take();
  }
}

/** Reads only as much of the file as `parse` needs to return a result (a header). */
export async function readFileStart<T>(
  path: string,
  parse: (bytes: Buffer, eof: boolean) => T | undefined,
): Promise<T> {
  let bytes: Buffer = Buffer.alloc(0);
  for await (const chunk of readChunks(path)) {
    bytes = bytes.length > 0 ? Buffer.concat([bytes, chunk]) : chunk;
    const result = parse(bytes, false);
    if (result !== undefined) return result;
  }
  const result = parse(bytes, true);
  if (result === undefined) throw new Error(`${path}: header parser returned nothing at end of file`);
  return result;
}

/**
 * A flat numeric Parquet column read page by page as plain numbers, for drift checks.
 *
 * hyparquet's row reader turns every INT64 into a BigInt and every optional column into a JS
 * array with nulls: about 450 ns a value, most of a drift check's time on a column of millions.
 * A drift sample needs neither the row positions of nulls nor BigInts, so this walks the column
 * chunk's pages itself with hyparquet's own decoders (page header, decompression, the
 * RLE/bit-packed hybrid, delta, byte-stream-split), counts the nulls of each page without keeping
 * its levels, and turns its values into numbers in bulk, into buffers reused from page to page.
 * 64-bit integers go through their two 32-bit halves: `high · 2^32` is exact, so the one rounding
 * left is the addition's, to nearest with ties to even, the same as `Number(bigint)`. Columns it
 * does not know (decimals, dates, timestamps, nested, text, booleans) are left to the general
 * reader: `numericParquetColumn` says which.
 *
 * hyparquet's page decoders are imported from its `src/` files, which its package exports but does
 * not document as stable: package.json allows patch releases only, and test/drift-readers.test.ts
 * checks this reader against hyparquet's own on every encoding, codec and page version.
 */
import { type FileHandle, open } from "node:fs/promises";
import { endianness } from "node:os";
import {
  type ColumnChunk,
  type CompressionCodec,
  type Compressors,
  type FileMetaData,
  type SchemaElement,
  snappyUncompress,
} from "hyparquet";
import { parquetHeader } from "hyparquet/src/column.js";
import { decompressPage } from "hyparquet/src/datapage.js";
import { deltaBinaryUnpack } from "hyparquet/src/delta.js";
import { byteStreamSplit, readRleBitPackedHybrid } from "hyparquet/src/encoding.js";
import type { DataReader, DecodedArray } from "hyparquet/src/types.js";

type NumericType = "INT32" | "INT64" | "FLOAT" | "DOUBLE";

/** How a column's stored values become numbers. */
export interface NumericColumn {
  name: string;
  type: NumericType;
  unsigned: boolean;
  element: SchemaElement;
}

const LITTLE_ENDIAN = endianness() === "LE";
const INTEGER_CONVERTED = new Set([
  "INT_8",
  "INT_16",
  "INT_32",
  "INT_64",
  "UINT_8",
  "UINT_16",
  "UINT_32",
  "UINT_64",
]);

/**
 * The column `name` when it is a top-level, non-repeated INT32, INT64, FLOAT or DOUBLE column
 * holding plain numbers (no logical type, or a signed or unsigned integer one); else undefined.
 */
export function numericParquetColumn(metadata: FileMetaData, name: string): NumericColumn | undefined {
  const schema = metadata.schema;
  const index = schema.findIndex((element, i) => i > 0 && element.name === name);
  if (index < 0 || !LITTLE_ENDIAN) return undefined;
  const element = schema[index] as SchemaElement;
  if (element.num_children || element.repetition_type === "REPEATED") return undefined;
  // only a direct child of the root: count the root's children before it
  let child = 1;
  for (let seen = 0; seen < (schema[0]?.num_children ?? 0); seen++) {
    if (child === index) break;
    child += subtreeSize(schema, child);
  }
  if (child !== index) return undefined;
  const type = element.type;
  if (type !== "INT32" && type !== "INT64" && type !== "FLOAT" && type !== "DOUBLE") return undefined;
  const logical = element.logical_type;
  const converted = element.converted_type;
  if (logical !== undefined && logical.type !== "INTEGER") return undefined;
  if (converted !== undefined && !INTEGER_CONVERTED.has(converted)) return undefined;
  const unsigned =
    (logical?.type === "INTEGER" && !logical.isSigned) || (converted?.startsWith("UINT_") ?? false);
  return { name, type, unsigned, element };
}

function subtreeSize(schema: readonly SchemaElement[], index: number): number {
  let size = 1;
  const children = schema[index]?.num_children ?? 0;
  for (let i = 0; i < children; i++) size += subtreeSize(schema, index + size);
  return size;
}

/** A buffer reused from page to page, replaced by a bigger one when a page needs more. */
class ReusedBuffer<T extends Uint8Array | Int32Array | Float64Array> {
  private buffer: T;

  constructor(private readonly make: (length: number) => T) {
    this.buffer = make(0);
  }

  take(length: number): T {
    if (this.buffer.length < length) this.buffer = this.make(length);
    return this.buffer.subarray(0, length) as T;
  }
}

/** The buffers a column's pages reuse, so a page allocates nothing on the JS heap. */
class Scratch {
  readonly chunk = new ReusedBuffer((n) => new Uint8Array(n));
  readonly page = new ReusedBuffer((n) => new Uint8Array(n));
  readonly levels = new ReusedBuffer((n) => new Uint8Array(n));
  readonly indexes = new ReusedBuffer((n) => new Int32Array(n));
  readonly numbers = new ReusedBuffer((n) => new Float64Array(n));
}

/** Stored values as float64 into `out`: integers of 64 bits through their halves (no BigInt made). */
function toNumbers(values: DecodedArray, column: NumericColumn, out: Float64Array): Float64Array {
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    const halves = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
    for (let i = 0; i < out.length; i++) {
      const low = (halves[2 * i] as number) >>> 0;
      const high = halves[2 * i + 1] as number;
      out[i] = column.unsigned ? (high >>> 0) * 4294967296 + low : high * 4294967296 + low;
    }
    return out;
  }
  if (values instanceof Int32Array && column.unsigned) {
    for (let i = 0; i < out.length; i++) out[i] = (values[i] as number) >>> 0;
    return out;
  }
  const numbers = values as ArrayLike<number>;
  for (let i = 0; i < out.length; i++) out[i] = numbers[i] as number;
  return out;
}

/** One page's values (nulls left out; valid until the next page is read) and how many were null. */
export interface NumberPage {
  values: Float64Array;
  missing: number;
}

function chunkOf(metadata: FileMetaData, group: number, name: string): ColumnChunk | undefined {
  return metadata.row_groups[group]?.columns.find(
    (chunk) => chunk.meta_data?.path_in_schema.length === 1 && chunk.meta_data.path_in_schema[0] === name,
  );
}

/**
 * A page's stored values after its definition levels: PLAIN (as numbers, into scratch), dictionary
 * indexes (into scratch), delta-packed or byte-stream-split integers and floats.
 */
function readValues(
  reader: DataReader,
  encoding: string,
  count: number,
  column: NumericColumn,
  scratch: Scratch,
): DecodedArray {
  if (encoding === "PLAIN") return readPlainNumbers(reader, count, column, scratch.numbers.take(count));
  if (encoding === "PLAIN_DICTIONARY" || encoding === "RLE_DICTIONARY") {
    const indexes = scratch.indexes.take(count);
    const width = reader.view.getUint8(reader.offset++);
    if (width === 0) indexes.fill(0);
    else readRleBitPackedHybrid(reader, width, indexes, reader.view.byteLength - reader.offset);
    return indexes;
  }
  if (encoding === "DELTA_BINARY_PACKED" && (column.type === "INT32" || column.type === "INT64")) {
    const out = column.type === "INT32" ? new Int32Array(count) : new BigInt64Array(count);
    deltaBinaryUnpack(reader, count, out);
    return out;
  }
  if (encoding === "BYTE_STREAM_SPLIT") return byteStreamSplit(reader, count, column.type, undefined);
  throw new Error(`unsupported encoding ${encoding}`);
}

/**
 * PLAIN values read through the page's DataView straight into `out` (a view on the page would need
 * an aligned copy wherever the levels before the values end at an odd offset).
 */
function readPlainNumbers(
  reader: DataReader,
  count: number,
  column: NumericColumn,
  out: Float64Array,
): Float64Array {
  const { view } = reader;
  let at = reader.offset;
  if (column.type === "DOUBLE") {
    for (let i = 0; i < count; i++, at += 8) out[i] = view.getFloat64(at, true);
  } else if (column.type === "FLOAT") {
    for (let i = 0; i < count; i++, at += 4) out[i] = view.getFloat32(at, true);
  } else if (column.type === "INT32") {
    if (column.unsigned) for (let i = 0; i < count; i++, at += 4) out[i] = view.getUint32(at, true);
    else for (let i = 0; i < count; i++, at += 4) out[i] = view.getInt32(at, true);
  } else {
    for (let i = 0; i < count; i++, at += 8) {
      const low = view.getUint32(at, true);
      const high = column.unsigned ? view.getUint32(at + 4, true) : view.getInt32(at + 4, true);
      out[i] = high * 4294967296 + low;
    }
  }
  reader.offset = at;
  return out;
}

/** How many of `levels` (definition levels of a flat optional column: 1 present, 0 null) are null. */
function countNulls(levels: Uint8Array): number {
  let present = 0;
  for (let i = 0; i < levels.length; i++) present += levels[i] as number;
  return levels.length - present;
}

/**
 * A page's bytes uncompressed: UNCOMPRESSED as they are, SNAPPY into the reused page buffer,
 * other codecs through their decompressor (which allocates).
 */
function uncompress(
  compressed: Uint8Array,
  size: number,
  codec: CompressionCodec,
  compressors: Compressors,
  scratch: Scratch,
): Uint8Array {
  if (codec === "UNCOMPRESSED") return compressed;
  if (codec === "SNAPPY") {
    const page = scratch.page.take(size);
    snappyUncompress(compressed, page);
    return page;
  }
  return decompressPage(compressed, size, codec, compressors);
}

/** The bytes `[start, start + length)` of the open file, into the reused chunk buffer. */
async function readRange(
  handle: FileHandle,
  start: number,
  length: number,
  scratch: Scratch,
): Promise<Uint8Array> {
  const bytes = scratch.chunk.take(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(bytes, done, length - done, start + done);
    if (bytesRead === 0) throw new Error(`the file ends before byte ${start + length}`);
    done += bytesRead;
  }
  return bytes;
}

/**
 * Each page of the column, in file order, as numbers, read from the file at `path` whose footer
 * is `metadata`. Memory holds one column chunk and one page: buffers reused, so pages leave no
 * garbage behind (except pages of codecs other than SNAPPY, whose decompressors allocate). Throws
 * hyparquet's errors on a damaged file.
 */
export async function* readParquetNumbers(
  path: string,
  metadata: FileMetaData,
  column: NumericColumn,
  compressors: Compressors,
): AsyncGenerator<NumberPage> {
  const optional = column.element.repetition_type !== "REQUIRED";
  const scratch = new Scratch();
  const handle = await open(path, "r");
  try {
    for (let group = 0; group < metadata.row_groups.length; group++) {
      const meta = chunkOf(metadata, group, column.name)?.meta_data;
      if (meta === undefined) throw new Error(`row group ${group + 1} has no column chunk`);
      const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
      const bytes = await readRange(handle, start, Number(meta.total_compressed_size), scratch);
      const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 };
      let dictionary: Float64Array | undefined;
      let seen = 0;
      const total = Number(meta.num_values);
      while (seen < total && reader.offset < reader.view.byteLength) {
        const header = parquetHeader(reader);
        const compressed = bytes.subarray(reader.offset, reader.offset + header.compressed_page_size);
        reader.offset += header.compressed_page_size;
        let data: DecodedArray;
        let count: number;
        let nulls = 0;
        let encoding: string;
        const unpack = () =>
          uncompress(compressed, header.uncompressed_page_size, meta.codec, compressors, scratch);
        if (header.type === "DICTIONARY_PAGE") {
          const size = header.dictionary_page_header?.num_values ?? 0;
          dictionary = readPlainNumbers(pageReader(unpack()), size, column, new Float64Array(size));
          continue;
        }
        if (header.type === "DATA_PAGE" && header.data_page_header !== undefined) {
          const values = pageReader(unpack());
          count = header.data_page_header.num_values;
          if (optional) {
            const levels = scratch.levels.take(count);
            readRleBitPackedHybrid(values, 1, levels);
            nulls = countNulls(levels);
          }
          encoding = header.data_page_header.encoding;
          data = readValues(values, encoding, count - nulls, column, scratch);
        } else if (header.type === "DATA_PAGE_V2" && header.data_page_header_v2 !== undefined) {
          const v2 = header.data_page_header_v2;
          const levelBytes = v2.repetition_levels_byte_length + v2.definition_levels_byte_length;
          let page: Uint8Array = compressed.subarray(levelBytes);
          if (v2.is_compressed !== false) {
            const size = header.uncompressed_page_size - levelBytes;
            page = uncompress(page, size, meta.codec, compressors, scratch);
          }
          count = v2.num_values;
          nulls = v2.num_nulls;
          encoding = v2.encoding;
          data = readValues(pageReader(page), encoding, count - nulls, column, scratch);
        } else {
          continue;
        }
        seen += count;
        yield { values: pageNumbers(data, encoding, dictionary, column, scratch), missing: nulls };
      }
    }
  } finally {
    await handle.close();
  }
}

/** A data page's decoded values as numbers: PLAIN ones already are; indexes looked up; others converted. */
function pageNumbers(
  data: DecodedArray,
  encoding: string,
  dictionary: Float64Array | undefined,
  column: NumericColumn,
  scratch: Scratch,
): Float64Array {
  if (encoding === "PLAIN") return data as Float64Array;
  const values = scratch.numbers.take(data.length);
  if (!encoding.endsWith("_DICTIONARY")) return toNumbers(data, column, values);
  if (dictionary === undefined) throw new Error("dictionary page missing");
  for (let i = 0; i < values.length; i++) {
    const value = dictionary[data[i] as number];
    if (value === undefined) throw new Error("dictionary index out of range");
    values[i] = value;
  }
  return values;
}

function pageReader(page: Uint8Array): DataReader {
  return { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 };
}

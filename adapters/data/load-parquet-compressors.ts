import zlib from "node:zlib";
import type { Compressors } from "hyparquet";
import { compressors as extraCompressors } from "hyparquet-compressors";

type Decompress = (input: Uint8Array, outputLength: number) => Uint8Array;

/** Node's own decompressors: hyparquet reads SNAPPY itself; ZSTD is in zlib from Node 22.15 on. */
function nodeCompressors(): Compressors {
  const compressors: Compressors = {
    GZIP: (input) => zlib.gunzipSync(input),
    BROTLI: (input) => zlib.brotliDecompressSync(input),
  };
  const zstd = (zlib as unknown as { zstdDecompressSync?: (input: Uint8Array) => Uint8Array })
    .zstdDecompressSync;
  if (zstd !== undefined) compressors.ZSTD = (input) => zstd(input);
  return compressors;
}

let loaded: Promise<Compressors> | undefined;

/**
 * The decompressors for Parquet pages: Node's zlib where it has the codec, and
 * `hyparquet-compressors` for the rest (ZSTD on Node 20, LZ4, SNAPPY).
 */
export function loadParquetCompressors(): Promise<Compressors> {
  loaded ??= Promise.resolve({ ...(extraCompressors as Compressors), ...nodeCompressors() });
  return loaded;
}

/** Whether pages compressed with `codec` can be read here. */
export function canDecompress(compressors: Compressors, codec: string): boolean {
  return (
    codec === "UNCOMPRESSED" ||
    codec === "SNAPPY" ||
    (compressors as Record<string, Decompress>)[codec] !== undefined
  );
}

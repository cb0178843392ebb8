/**
 * Builds the onnxruntime pack that ships beside actions/evaluate/dist/index.js: the Linux x64
 * CPU build of onnxruntime-node (JavaScript, the N-API addon and libonnxruntime.so.1) and the
 * CommonJS build of onnxruntime-common, read from node_modules. The format is in
 * adapters/onnx/unpack-onnxruntime.ts; why it exists is in docs/onnxruntime.md.
 *
 * Compressing takes about a minute, so the build rewrites the pack only when its header (every
 * file's size and sha256) changed, and the freshness check compares headers without compressing.
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { constants, createBrotliCompress } from "node:zlib";
import {
  PACK_MAGIC,
  type PackFile,
  type PackHeader,
  readPackHeader,
} from "../adapters/onnx/unpack-onnxruntime.ts";

export const ONNXRUNTIME_PACK_PATH = "actions/evaluate/dist/onnxruntime-linux-x64.pack";

/** Measured on the 46 MB payload (docs/onnxruntime.md): quality 9 is the knee before 10–11's slow modes. */
export const BROTLI_QUALITY = 9;
/** 16 MiB, the largest standard window: any brotli decoder reads it. */
export const BROTLI_LGWIN = 24;

export interface PackEntry {
  /** Where the file goes in the unpacked folder, with forward slashes: `node_modules/<package>/…`. */
  path: string;
  /** The file to read. */
  source: string;
  mode: number;
}

export type PackHeaderExtras = Omit<PackHeader, "files">;

const PLATFORM = "linux";
const ARCH = "x64";

/** The files onnxruntime-node needs at run time on Linux x64, from `nodeModules`, sorted by path. */
export function onnxruntimePackEntries(nodeModules = "node_modules"): PackEntry[] {
  const node = join(nodeModules, "onnxruntime-node");
  const nested = join(node, "node_modules", "onnxruntime-common");
  const common = existsSync(nested) ? nested : join(nodeModules, "onnxruntime-common");
  const wanted = readJson(join(node, "package.json")).dependencies?.["onnxruntime-common"];
  const found = readJson(join(common, "package.json")).version;
  // onnxruntime-node pins its onnxruntime-common exactly; a pack of mismatched halves would not load.
  if (wanted !== found && /^\d+\.\d+\.\d+$/.test(wanted ?? "")) {
    throw new Error(`onnxruntime-node wants onnxruntime-common ${wanted}, found ${found}`);
  }

  const entries: PackEntry[] = [];
  const add = (pkg: string, root: string, file: string) =>
    entries.push({
      path: `node_modules/${pkg}/${relative(root, file).split(sep).join("/")}`,
      source: file,
      mode: /\.(node|so(\.\d+)*)$/.test(file) ? 0o755 : 0o644,
    });
  add("onnxruntime-node", node, join(node, "package.json"));
  for (const file of listFiles(join(node, "dist"), false))
    if (file.endsWith(".js")) add("onnxruntime-node", node, file);
  for (const file of listFiles(join(node, "bin", "napi-v6", PLATFORM, ARCH), false))
    add("onnxruntime-node", node, file);
  add("onnxruntime-common", common, join(common, "package.json"));
  // dist/cjs/package.json says `"type": "commonjs"`; without it the package's `"type": "module"` wins.
  for (const file of listFiles(join(common, "dist", "cjs"), true)) {
    if (file.endsWith(".js") || file.endsWith(`${sep}package.json`)) add("onnxruntime-common", common, file);
  }
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function readJson(path: string): { version?: string; dependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(path, "utf8"));
}

function listFiles(dir: string, recursive: boolean): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Size and sha256 of each entry, streamed. */
export async function describeEntries(entries: PackEntry[]): Promise<PackFile[]> {
  return Promise.all(
    entries.map(async ({ path, source, mode }) => {
      const hash = createHash("sha256");
      let size = 0;
      for await (const chunk of createReadStream(source) as AsyncIterable<Buffer>) {
        hash.update(chunk);
        size += chunk.length;
      }
      return { path, size, sha256: hash.digest("hex"), mode };
    }),
  );
}

/** The header the pack should have for what node_modules holds now (hashes, no compression). */
export async function expectedPackHeader(nodeModules = "node_modules"): Promise<PackHeader> {
  const entries = onnxruntimePackEntries(nodeModules);
  const version = readJson(join(nodeModules, "onnxruntime-node", "package.json")).version ?? "unknown";
  return {
    "onnxruntime-node": version,
    platform: PLATFORM,
    arch: ARCH,
    files: await describeEntries(entries),
  };
}

/** Writes a pack of `entries` to `outPath` (through a temp file and a rename); returns its header and size. */
export async function writePack(
  entries: PackEntry[],
  outPath: string,
  extras: PackHeaderExtras,
): Promise<{ header: PackHeader; bytes: number }> {
  const header: PackHeader = { ...extras, files: await describeEntries(entries) };
  await mkdir(dirname(outPath), { recursive: true });
  const temp = `${outPath}.tmp-${process.pid}`;
  try {
    await writeFile(temp, `${PACK_MAGIC}\n${JSON.stringify(header)}\n`);
    await pipeline(
      Readable.from(readVerified(entries, header.files)),
      createBrotliCompress({
        params: {
          [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
          [constants.BROTLI_PARAM_LGWIN]: BROTLI_LGWIN,
          [constants.BROTLI_PARAM_SIZE_HINT]: header.files.reduce((sum, file) => sum + file.size, 0),
        },
      }),
      createWriteStream(temp, { flags: "a" }),
    );
    await rename(temp, outPath);
  } finally {
    await rm(temp, { force: true });
  }
  return { header, bytes: (await stat(outPath)).size };
}

/** Each entry's bytes in order, failing when a file changed since the header was made. */
async function* readVerified(entries: PackEntry[], files: PackFile[]): AsyncGenerator<Buffer> {
  for (const [index, entry] of entries.entries()) {
    const hash = createHash("sha256");
    for await (const chunk of createReadStream(entry.source) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      yield chunk;
    }
    if (hash.digest("hex") !== files[index]?.sha256) throw new Error(`${entry.source} changed while packing`);
  }
}

/** The pack's header line if `packPath` is a readable pack, else undefined. */
async function packHeaderLine(packPath: string): Promise<string | undefined> {
  if (!existsSync(packPath)) return undefined;
  return readPackHeader(packPath).then(
    ({ line }) => line,
    () => undefined,
  );
}

/** True when the committed pack's header matches node_modules: the check that CI runs. */
export async function isOnnxruntimePackFresh(
  packPath = ONNXRUNTIME_PACK_PATH,
  nodeModules = "node_modules",
): Promise<boolean> {
  return (await packHeaderLine(packPath)) === JSON.stringify(await expectedPackHeader(nodeModules));
}

/** Writes the Linux x64 pack unless the one at `outPath` already has the expected header. */
export async function writeOnnxruntimePack(
  outPath = ONNXRUNTIME_PACK_PATH,
  nodeModules = "node_modules",
): Promise<{ written: boolean; bytes: number; header: PackHeader }> {
  const header = await expectedPackHeader(nodeModules);
  if ((await packHeaderLine(outPath)) === JSON.stringify(header)) {
    return { written: false, bytes: (await stat(outPath)).size, header };
  }
  const extras = {
    "onnxruntime-node": header["onnxruntime-node"],
    platform: header.platform,
    arch: header.arch,
  };
  const written = await writePack(onnxruntimePackEntries(nodeModules), outPath, extras);
  return { written: true, ...written };
}

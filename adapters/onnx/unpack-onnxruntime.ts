/**
 * Gives the GitHub Action an onnxruntime-node without node_modules in git: the build ships a
 * pack of the Linux x64 CPU build beside dist/index.js (see docs/onnxruntime.md), and this
 * unpacks it once per runner into a cache folder, checks every byte, and loads it from there.
 *
 * Pack format: line 1 is `modelci-onnxruntime-pack 1`, line 2 a JSON header (version,
 * platform, arch, and each file's path, size, sha256 and mode), then one brotli stream of all
 * file bytes concatenated in header order.
 */
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { chmod, type FileHandle, mkdir, mkdtemp, open, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import { createBrotliDecompress } from "node:zlib";
import { z } from "zod";
import { UserError } from "../../core/errors.ts";
import { type Ort, oneLine } from "./create-session.ts";

export const PACK_MAGIC = "modelci-onnxruntime-pack 1";
/** Written in an unpacked folder, last: its presence means every file was verified. */
export const COMPLETE_MARKER = ".complete";
/** Names a folder with node_modules/onnxruntime-node installed, used instead of the pack (GPU runners). */
export const ONNXRUNTIME_DIR_ENV = "MODELCI_ONNXRUNTIME_DIR";

const MAX_HEADER_BYTES = 1 << 20;

const packFileSchema = z.object({
  // Relative, forward slashes, inside node_modules/, no `.` or `..` segments.
  path: z.string().regex(/^node_modules(\/(?!\.\.?(\/|$))[^/\\\0]+)+$/),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  mode: z.number().int().min(0).max(0o777),
});

const packHeaderSchema = z.object({
  "onnxruntime-node": z.string().regex(/^[0-9A-Za-z.+-]+$/),
  platform: z.string(),
  arch: z.string(),
  files: z.array(packFileSchema),
});

export type PackFile = z.output<typeof packFileSchema>;
export type PackHeader = z.output<typeof packHeaderSchema>;

export interface ReadPackHeader {
  header: PackHeader;
  /** Line 2 exactly as stored: what a freshness check compares, and what the cache folder is named by. */
  line: string;
  /** Where the brotli stream starts. */
  bodyOffset: number;
}

/** Reads lines 1 and 2 of a pack without touching its body. */
export async function readPackHeader(packPath: string): Promise<ReadPackHeader> {
  const handle = await open(packPath, "r").catch((error: unknown) => {
    throw new UserError(`cannot read the onnxruntime pack ${packPath}: ${oneLine(error)}`, { cause: error });
  });
  try {
    let bytes = Buffer.alloc(0);
    while (bytes.length < MAX_HEADER_BYTES) {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, bytes.length);
      if (bytesRead === 0) break;
      bytes = Buffer.concat([bytes, buffer.subarray(0, bytesRead)]);
      const first = bytes.indexOf(10);
      const second = first < 0 ? -1 : bytes.indexOf(10, first + 1);
      if (second < 0) continue;
      if (bytes.toString("utf8", 0, first) !== PACK_MAGIC) break;
      const line = bytes.toString("utf8", first + 1, second);
      const parsed = packHeaderSchema.safeParse(safeJson(line));
      if (!parsed.success) break;
      return { header: parsed.data, line, bodyOffset: second + 1 };
    }
  } finally {
    await handle.close();
  }
  throw new UserError(`${packPath} is not an onnxruntime pack (expected "${PACK_MAGIC}" and a header)`);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export interface Runtime {
  platform: string;
  arch: string;
}

/**
 * Unpacks a pack into `<cacheRoot>/modelci-onnxruntime/<version>-<sha12 of header>/` and returns
 * that folder. A folder with its completion marker is reused as it is. Otherwise the files are
 * decompressed into a temporary sibling, each checked against its size and sha256, and the
 * sibling is renamed into place: the rename is the commit, so two jobs unpacking at once on one
 * runner both end with the same complete folder (the loser discards its copy).
 */
export async function unpackOnnxruntime(
  packPath: string,
  cacheRoot: string,
  runtime: Runtime = process,
): Promise<string> {
  const { header, line, bodyOffset } = await readPackHeader(packPath);
  if (header.platform !== runtime.platform || header.arch !== runtime.arch) {
    throw new UserError(
      `this Action ships onnxruntime for ${header.platform} ${header.arch} runners only, and this runner is ` +
        `${runtime.platform} ${runtime.arch}. Run the job on a ${header.platform} ${header.arch} runner, set ` +
        `${ONNXRUNTIME_DIR_ENV} to a folder where onnxruntime-node is installed for this runner, or use the CLI ` +
        "(`npx modelci evaluate`), which works wherever onnxruntime-node installs.",
    );
  }
  const digest = createHash("sha256").update(line).digest("hex").slice(0, 12);
  const target = join(cacheRoot, "modelci-onnxruntime", `${header["onnxruntime-node"]}-${digest}`);
  if (existsSync(join(target, COMPLETE_MARKER))) return target;

  await mkdir(dirname(target), { recursive: true });
  const temp = await mkdtemp(`${target}.tmp-`);
  try {
    await extractFiles(packPath, bodyOffset, header.files, temp);
    await writeFile(join(temp, COMPLETE_MARKER), `${line}\n`);
    await chmod(temp, 0o755); // mkdtemp makes it 0700; the cache is read like any install
    await commitFolder(temp, target);
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return target;
}

/** Renames `temp` to `target`, or keeps a complete `target` that another job renamed first. */
async function commitFolder(temp: string, target: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(temp, target);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOTEMPTY" && code !== "EEXIST") throw error;
      if (existsSync(join(target, COMPLETE_MARKER))) return;
      if (attempt > 0) throw error;
      // Not written by this protocol (the marker goes in before the rename): move it aside, retry once.
      const stale = `${target}.stale-${randomBytes(4).toString("hex")}`;
      await rename(target, stale).catch(() => undefined);
      await rm(stale, { recursive: true, force: true });
    }
  }
}

interface OpenFile {
  file: PackFile;
  handle: FileHandle;
  hash: ReturnType<typeof createHash>;
  left: number;
}

/** Streams the brotli body into `into`, file by file, checking sizes and hashes as it goes. */
async function extractFiles(
  packPath: string,
  bodyOffset: number,
  files: PackFile[],
  into: string,
): Promise<void> {
  const corrupt = (what: string, cause?: unknown) =>
    new UserError(`corrupt onnxruntime pack: ${what}`, cause === undefined ? undefined : { cause });
  const made = new Set<string>();
  let next = 0;
  let current: OpenFile | undefined;

  const openNext = async (): Promise<OpenFile | undefined> => {
    const file = files[next++];
    if (!file) return undefined;
    const path = join(into, ...file.path.split("/"));
    const folder = dirname(path);
    if (!made.has(folder)) await mkdir(folder, { recursive: true });
    made.add(folder);
    return { file, handle: await open(path, "wx"), hash: createHash("sha256"), left: file.size };
  };
  const finish = async (open: OpenFile): Promise<void> => {
    await open.handle.chmod(open.file.mode);
    await open.handle.close();
    if (open.left !== 0 || open.hash.digest("hex") !== open.file.sha256) throw corrupt(open.file.path);
  };
  /** Opens the next file that still wants bytes, finishing empty ones on the way. */
  const advance = async (): Promise<OpenFile | undefined> => {
    for (let open = await openNext(); open; open = await openNext()) {
      if (open.left > 0) return open;
      await finish(open);
    }
    return undefined;
  };

  try {
    await pipeline(
      createReadStream(packPath, { start: bodyOffset }),
      createBrotliDecompress({ chunkSize: 1 << 20 }),
      async (chunks: AsyncIterable<Buffer>) => {
        current = await advance();
        for await (const chunk of chunks) {
          let offset = 0;
          while (offset < chunk.length) {
            if (!current) throw corrupt(`${packPath} has bytes after its last file`);
            const take = Math.min(current.left, chunk.length - offset);
            const piece = chunk.subarray(offset, offset + take);
            current.hash.update(piece);
            await current.handle.write(piece);
            current.left -= take;
            offset += take;
            if (current.left === 0) {
              const done = current;
              current = undefined;
              await finish(done);
              current = await advance();
            }
          }
        }
        if (current) throw corrupt(current.file.path);
      },
    );
  } catch (error) {
    await current?.handle.close().catch(() => undefined);
    if (error instanceof UserError) throw error;
    if (isDecodeError(error)) throw corrupt(`${packPath} (${oneLine(error)})`, error);
    throw error;
  }
}

function isDecodeError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? "";
  // Brotli's own errors (ERR__ERROR_FORMAT_…) and zlib's (Z_BUF_ERROR: the stream ends early).
  return /^(ERR__ERROR|Z_)/.test(code);
}

/** Loads onnxruntime-node from `<dir>/node_modules/onnxruntime-node`, and nowhere else. */
export function loadOnnxruntimeFromDir(folder: string): Ort {
  const dir = resolve(folder);
  const require = createRequire(join(dir, "index.js"));
  let resolved: string;
  try {
    resolved = require.resolve("onnxruntime-node");
  } catch (error) {
    throw new UserError(`no onnxruntime-node in ${join(dir, "node_modules")}`, { cause: error });
  }
  if (!resolved.startsWith(join(dir, "node_modules") + sep)) {
    throw new UserError(`no onnxruntime-node in ${join(dir, "node_modules")} (found ${resolved} instead)`);
  }
  try {
    return require(resolved) as Ort;
  } catch (error) {
    throw new UserError(
      `cannot load onnxruntime-node from ${dir}: ${oneLine(error)} (the bundled build needs glibc-based Linux x64)`,
      { cause: error },
    );
  }
}

export interface ResolveOnnxruntimeOptions {
  /** The pack beside the Action's dist/index.js. */
  packPath?: string;
  /** Where packs unpack: on a runner, RUNNER_TOOL_CACHE survives between jobs on self-hosted runners. */
  cacheRoot: string;
  /** A folder with node_modules/onnxruntime-node (for example a CUDA install): the Action input or MODELCI_ONNXRUNTIME_DIR. */
  overrideDir?: string;
}

export interface ResolvedOnnxruntime {
  ort: Ort;
  /** The folder whose node_modules it was loaded from. */
  dir: string;
  source: "override" | "pack";
}

/** onnxruntime for the Action: the override folder when one is given, else the unpacked pack. */
export async function resolveOnnxruntime(options: ResolveOnnxruntimeOptions): Promise<ResolvedOnnxruntime> {
  if (options.overrideDir) {
    const dir = resolve(options.overrideDir);
    return { ort: loadOnnxruntimeFromDir(dir), dir, source: "override" };
  }
  if (!options.packPath) {
    throw new UserError(`no onnxruntime: give an onnxruntime pack or set ${ONNXRUNTIME_DIR_ENV}`);
  }
  const dir = await unpackOnnxruntime(options.packPath, options.cacheRoot);
  return { ort: loadOnnxruntimeFromDir(dir), dir, source: "pack" };
}

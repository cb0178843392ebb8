/**
 * onnxruntime for the CLI. onnxruntime-node is an optional peer dependency of the modelci package
 * (its install script would download CUDA binaries on every Linux x64 install), so the CLI looks,
 * in order:
 *
 * 1. `MODELCI_ONNXRUNTIME_DIR`: a folder with node_modules/onnxruntime-node (a CUDA install);
 * 2. onnxruntime-node installed beside modelci (`npm install onnxruntime-node`): any platform, CUDA
 *    when installed with its CUDA binaries (docs/gpu.md);
 * 3. on Linux x64, the CPU build packed into the package (the evaluate Action's pack), unpacked
 *    once into the user's cache folder.
 *
 * Otherwise it says what to install.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { UserError } from "../../core/errors.ts";
import type { Ort } from "./create-session.ts";
import { loadOnnxruntimeFromDir, ONNXRUNTIME_DIR_ENV, resolveOnnxruntime } from "./unpack-onnxruntime.ts";

/** Where the pack sits in this repository and in the published package. */
export const PACK_PATH_IN_PACKAGE = "actions/evaluate/dist/onnxruntime-linux-x64.pack";

export interface LoadOnnxruntimeOptions {
  env?: NodeJS.ProcessEnv;
  /** Loads the installed onnxruntime-node, or throws when there is none. */
  importInstalled?: () => Promise<Ort>;
  /** The pack, when this platform can use one. */
  packPath?: string | undefined;
}

/** The pack in the package this file belongs to, on Linux x64; found by walking up from here. */
export function findPackagedPack(platform = process.platform, arch = process.arch): string | undefined {
  if (platform !== "linux" || arch !== "x64") return undefined;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 5; up += 1) {
    const candidate = join(dir, PACK_PATH_IN_PACKAGE);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}

/** The folder packs unpack into: $XDG_CACHE_HOME or ~/.cache. */
export function cacheRoot(env: NodeJS.ProcessEnv): string {
  return env.XDG_CACHE_HOME || join(homedir(), ".cache");
}

const isNotFound = (error: unknown): boolean => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND";
};

/** onnxruntime-node for the CLI, from the first of the places above that has one. */
export async function loadOnnxruntime(options: LoadOnnxruntimeOptions = {}): Promise<Ort> {
  const env = options.env ?? process.env;
  const override = env[ONNXRUNTIME_DIR_ENV];
  if (override) return loadOnnxruntimeFromDir(override);
  const importInstalled = options.importInstalled ?? (() => import("onnxruntime-node"));
  try {
    return await importInstalled();
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const packPath = "packPath" in options ? options.packPath : findPackagedPack();
  if (packPath) return (await resolveOnnxruntime({ packPath, cacheRoot: cacheRoot(env) })).ort;
  throw new UserError(
    `onnxruntime-node is not installed, and modelci bundles it only for Linux x64: run \`npm install onnxruntime-node@1.30\` (docs/gpu.md says how to get its CUDA build)`,
  );
}

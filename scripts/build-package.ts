/**
 * Compiles the TypeScript sources the published package runs (`npm pack` calls this through
 * `prepack`) into `dist/`, one JavaScript file per source file, so that neither the CLI nor the App
 * needs tsx at run time. Every `.ts` file under SOURCE_DIRS is compiled, found by walking the
 * folders: a new command, adapter or entry folder is picked up without editing this file.
 *
 * Relative imports of `.ts` files stay imports (rewritten to `.js`); packages stay imports;
 * JSON imports (package.json's version) are inlined.
 */
import { cpSync, existsSync, readdirSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { build, type Plugin } from "esbuild";

/** Folders whose TypeScript the package runs. A folder that does not exist yet is skipped. */
export const SOURCE_DIRS = ["cli", "adapters", "core", "schemas", "app", "serve"];
export const OUT_DIR = "dist";

/** Every `.ts` file (not `.d.ts`, not a test) under `dirs`, relative to `root`, sorted. */
export function listSources(root: string, dirs: readonly string[] = SOURCE_DIRS): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules" && entry.name !== "dist") walk(path);
      } else if (/(?<!\.d|\.test)\.ts$/.test(entry.name)) {
        found.push(path);
      }
    }
  };
  for (const dir of dirs) if (existsSync(join(root, dir))) walk(dir);
  return found.sort();
}

/** Keeps each relative `.ts` import an import of the compiled `.js` file beside it. */
const keepRelativeImports: Plugin = {
  name: "keep-relative-imports",
  setup(b) {
    b.onResolve({ filter: /^\.\.?\/.*\.ts$/ }, (args) =>
      args.kind === "entry-point" ? undefined : { path: args.path.replace(/\.ts$/, ".js"), external: true },
    );
  },
};

/** Compiles every source into `<root>/dist`, replacing what was there. Returns the file count. */
export async function buildPackage(root: string = process.cwd()): Promise<number> {
  const sources = listSources(root);
  rmSync(join(root, OUT_DIR), { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: sources,
    outdir: OUT_DIR,
    outbase: ".",
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20.18",
    logLevel: "warning",
    plugins: [keepRelativeImports],
  });
  // Plain JavaScript entries (serve's cluster worker) are copied as they are.
  for (const file of listScripts(root)) cpSync(join(root, file), join(root, OUT_DIR, file));
  return sources.length;
}

/** The `.js` files under SOURCE_DIRS: entries that node starts by path (a cluster worker). */
function listScripts(root: string): string[] {
  return SOURCE_DIRS.flatMap((dir) =>
    existsSync(join(root, dir))
      ? readdirSync(join(root, dir), { recursive: true, encoding: "utf8" })
          .filter((name) => name.endsWith(".js") && !name.includes("node_modules"))
          .map((name) => join(dir, name))
      : [],
  );
}

if (process.argv[1] && relative(process.argv[1], import.meta.filename) === "") {
  const count = await buildPackage();
  console.log(`compiled ${count} files into ${OUT_DIR}/`);
}

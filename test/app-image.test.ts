import { readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./helpers/temp-repo.ts";

/** The paths the Dockerfile copies into the image, relative to the repository. */
function copiedPaths(dockerfile: string): string[] {
  return dockerfile
    .split("\n")
    .filter((line) => /^COPY\s/.test(line))
    .flatMap((line) =>
      line
        .replace(/^COPY\s+/, "")
        .split(/\s+/)
        .filter((arg) => !arg.startsWith("--"))
        .slice(0, -1),
    )
    .map((path) => path.replace(/^\.\//, "").replace(/\/$/, ""));
}

/**
 * What `npm run app` loads: every source file the App reaches from its entry point, and the
 * packages it imports, found the way a bundler would.
 */
async function appImports(): Promise<{ files: string[]; packages: Set<string> }> {
  const packages = new Set<string>();
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: ["bin/modelci-app.js", "app/start.ts"],
    bundle: true,
    write: false,
    metafile: true,
    platform: "node",
    format: "esm",
    outdir: "out",
    logLevel: "silent",
    plugins: [
      {
        name: "record-packages",
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) => {
            if (args.path.startsWith("node:")) return { external: true };
            const [scope = "", name = ""] = args.path.split("/");
            packages.add(scope.startsWith("@") ? `${scope}/${name}` : scope);
            return { external: true };
          });
        },
      },
    ],
  });
  return { files: Object.keys(result.metafile.inputs), packages };
}

/** The lines of the Dockerfile's last stage: what the image holds. */
function finalStage(dockerfile: string): string {
  return dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
}

describe("the App's container image", () => {
  it("compiles every file the App loads and installs every package it imports", async () => {
    const dockerfile = readFileSync(join(REPO_ROOT, "Dockerfile"), "utf8");
    // Stage 1 copies the whole build context (less .dockerignore) and compiles it into dist/.
    expect(dockerfile).toMatch(/^COPY \. \.$/m);
    expect(dockerfile).toMatch(/tsx scripts\/build-package\.ts/);
    const ignored = readFileSync(join(REPO_ROOT, ".dockerignore"), "utf8").split("\n");
    const { files, packages } = await appImports();
    expect(files).toEqual(expect.arrayContaining(["app/start.ts", "app/index.ts"]));
    const top = new Set(files.map((file) => file.split("/")[0]));
    expect([...top].filter((dir) => ignored.includes(dir ?? ""))).toEqual([]);

    // The image: the compiled App, its entry and production dependencies, no sources and no tsx.
    const image = finalStage(dockerfile);
    const copied = copiedPaths(image);
    expect(copied).toEqual(
      expect.arrayContaining(["package.json", "package-lock.json", "app.yml", "bin", "/src/dist"]),
    );
    expect(copied).not.toContain("app");
    expect(image).toMatch(/npm ci --omit=dev/);
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    // bin/modelci-app.js imports tsx only beside the TypeScript sources, which the image does not hold.
    const runtime = [...packages].filter((name) => name !== "tsx");
    expect(runtime.filter((name) => !(name in manifest.dependencies))).toEqual([]);
    expect(packages).toContain("probot");
    expect(manifest.dependencies).not.toHaveProperty("tsx");
  });
});

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

describe("the App's container image", () => {
  it("copies every file the App loads and installs every package it imports", async () => {
    const dockerfile = readFileSync(join(REPO_ROOT, "Dockerfile"), "utf8");
    const copied = copiedPaths(dockerfile);
    expect(copied).toEqual(
      expect.arrayContaining(["package.json", "package-lock.json", ".npmrc", "app.yml"]),
    );
    const { files, packages } = await appImports();
    expect(files).toEqual(expect.arrayContaining(["app/start.ts", "app/index.ts"]));
    const missing = files.filter(
      (file) => !copied.some((path) => file === path || file.startsWith(`${path}/`)),
    );
    expect(missing).toEqual([]);

    // The image installs with --omit=dev: what the App imports must be a dependency, not a devDependency.
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect([...packages].filter((name) => !(name in manifest.dependencies))).toEqual([]);
    expect(packages).toContain("probot");
  });
});

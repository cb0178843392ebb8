/**
 * The package a user installs: `npm pack` (which compiles dist/ at prepack), the tarball
 * installed into a fresh project with no network beyond the npm cache that `npm ci` filled, then
 * `npx modelci init`, `validate` and a first `run`, with no configuration and no npm warning.
 *
 * Offline, npm cannot resolve version ranges (it has no package metadata cached), so the fresh
 * project gets a lockfile: this repository's entries for the production dependencies, which is
 * what the registry would resolve today.
 */
import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, STACK_TRACE } from "./helpers/temp-repo.ts";

interface LockEntry {
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
  peer?: boolean;
  [key: string]: unknown;
}

const work = mkdtempSync(join(tmpdir(), "modelci-package-"));
const project = join(work, "project");
const env = {
  ...process.env,
  NO_COLOR: "1",
  XDG_CACHE_HOME: join(work, "cache"),
  npm_config_update_notifier: "false",
  npm_config_fund: "false",
  npm_config_audit: "false",
};

function sh(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: "utf8", timeout: 120_000 });
}

/** npm's warnings, less the honest EBADENGINE ones of a Node older than `engines` asks for. */
function npmWarnings(stderr: string): string[] {
  const old = Number(process.versions.node.split(".")[0]) < 22;
  return stderr
    .split("\n")
    .filter((line) => line.startsWith("npm warn") && !(old && line.startsWith("npm warn EBADENGINE")));
}

/** A lockfile for a project that depends on the tarball: our production entries, resolved as we do. */
function makeLockfile(tarball: string, integrity: string): object {
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, "package-lock.json"), "utf8")) as {
    packages: Record<string, LockEntry>;
  };
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8"));
  const packages: Record<string, object> = {
    "": { name: "project", dependencies: { modelci: `file:${tarball}` } },
    "node_modules/modelci": {
      version: manifest.version,
      resolved: `file:${tarball}`,
      integrity,
      dependencies: manifest.dependencies,
      peerDependencies: manifest.peerDependencies,
      peerDependenciesMeta: manifest.peerDependenciesMeta,
      bin: manifest.bin,
      engines: manifest.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === "" || entry.dev) continue;
    const { devOptional, peer: _peer, ...rest } = entry;
    packages[path] = devOptional ? { ...rest, optional: true } : rest;
  }
  return { name: "project", lockfileVersion: 3, requires: true, packages };
}

let pack: SpawnSyncReturns<string>;
let install: SpawnSyncReturns<string>;

beforeAll(() => {
  pack = sh("npm", ["pack", "--pack-destination", work, "--silent"], REPO_ROOT);
  if (pack.status !== 0) return;
  const tarball = pack.stdout.trim().split("\n").pop() ?? "";
  const bytes = readFileSync(join(work, tarball));
  const integrity = `sha512-${createHash("sha512").update(bytes).digest("base64")}`;
  sh("mkdir", ["-p", project], work);
  writeFileSync(join(project, tarball), bytes);
  writeFileSync(
    join(project, "package.json"),
    `${JSON.stringify({ name: "project", private: true, dependencies: { modelci: `file:${tarball}` } }, null, 2)}\n`,
  );
  writeFileSync(join(project, "package-lock.json"), JSON.stringify(makeLockfile(tarball, integrity)));
  install = sh("npm", ["ci", "--offline"], project);
}, 240_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe("the packed package, installed offline in a fresh project", () => {
  it("installs with no configuration and no npm warning, and holds compiled JavaScript only", () => {
    expect(pack.stderr).toBe("");
    expect(pack.status).toBe(0);
    expect(install.stderr, install.stderr).not.toMatch(/npm error/);
    expect(install.status).toBe(0);
    expect(npmWarnings(install.stderr)).toEqual([]);
    const installed = join(project, "node_modules");
    expect(existsSync(join(installed, "modelci/dist/cli/main.js"))).toBe(true);
    expect(existsSync(join(installed, "modelci/cli"))).toBe(false);
    // Neither tsx nor onnxruntime-node (an optional peer: its install script downloads CUDA).
    expect(existsSync(join(installed, "tsx"))).toBe(false);
    expect(existsSync(join(installed, "onnxruntime-node"))).toBe(false);
    // No dependency with an install script (npm 11 warns about each one a project has not approved).
    expect(existsSync(join(installed, "protobufjs"))).toBe(false);
  });

  it("runs init, validate and a first run through npx", () => {
    const npx = (...args: string[]) => sh("npx", ["--offline", "modelci", ...args], project);
    const init = npx("init", "repo");
    expect(init.stderr).toBe("");
    expect(init.status).toBe(0);
    const repo = join(project, "repo");
    const validate = sh("npx", ["--offline", "modelci", "validate"], repo);
    expect(validate.stdout).toContain("✓ valid: 1 experiment, 1 model, 0 versions, 2 deployment targets");
    expect(validate.status).toBe(0);
    // The "Next:" lines: commit, then run.
    const git = (...args: string[]) =>
      sh("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], repo);
    git("init", "-q");
    git("add", ".");
    git("commit", "-qm", "Add modelci");
    const run = sh("npx", ["--offline", "modelci", "run", "--quiet"], repo);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.stdout).toContain("✓ 2 runs trained and evaluated");
    expect(run.status).toBe(0);
    expect(git("status", "--porcelain").stdout).toBe("");
  });

  it("runs drift on Parquet files, through the compiled numeric column reader", () => {
    const write = (name: string, shift: number) => {
      const data = Array.from({ length: 400 }, (_, i) => BigInt(((i * 37) % 101) + shift));
      writeFileSync(
        join(work, name),
        new Uint8Array(parquetWriteBuffer({ columnData: [{ name: "x", type: "INT64", data }] })),
      );
    };
    write("reference.parquet", 0);
    write("current.parquet", 30);
    const drift = sh(
      "npx",
      [
        "--offline",
        "modelci",
        "drift",
        "--reference",
        "../reference.parquet",
        "--current",
        "../current.parquet",
        "--json",
      ],
      project,
    );
    expect(drift.stderr).toBe("");
    expect(drift.status).toBe(1);
    const result = JSON.parse(drift.stdout);
    expect(result.dataset.verdict).toBe("drift");
    expect(result.features.x.method).toBe("ks");
  });
});

import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { digestDataPath, hashFile, hashPaths } from "../adapters/files/hash-file.ts";
import { UserError } from "../core/errors.ts";

const sha256 = (content: string | Buffer) => createHash("sha256").update(content).digest("hex");

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "modelci-hash-"));
  await mkdir(join(root, "data/nested"), { recursive: true });
  await mkdir(join(root, ".git"), { recursive: true });
  await writeFile(join(root, "data/b.csv"), "x,y\n1,2\n");
  await writeFile(join(root, "data/a.csv"), "x,y\n3,4\n");
  await writeFile(join(root, "data/nested/c.parquet"), "PAR1");
  await writeFile(join(root, "data/.hidden.csv"), "h\n");
  await writeFile(join(root, ".git/HEAD"), "ref: refs/heads/main\n");
  await writeFile(join(root, "train.js"), "console.log(1)\n");
  await symlink(join(root, "train.js"), join(root, "data/link.js"));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("hashFile", () => {
  it("matches crypto.createHash on a known string", async () => {
    const path = join(root, "known.txt");
    await writeFile(path, "modelci ✓\n");
    expect(await hashFile(path)).toEqual({
      sha256: sha256("modelci ✓\n"),
      size: Buffer.byteLength("modelci ✓\n"),
    });
    await writeFile(path, "abc");
    expect(await hashFile(path)).toEqual({
      sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
      size: 3,
    });
  });

  it("hashes an empty file", async () => {
    const path = join(root, "empty");
    await writeFile(path, "");
    expect(await hashFile(path)).toEqual({
      sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      size: 0,
    });
  });

  it("streams a 20 MB file", async () => {
    const path = join(root, "big.bin");
    const content = Buffer.alloc(20 * 1024 * 1024);
    for (let i = 0; i < content.length; i += 4096) content.writeUInt32LE(i, i);
    await writeFile(path, content);
    expect(await hashFile(path)).toEqual({ sha256: sha256(content), size: 20 * 1024 * 1024 });
    await rm(path);
  });

  it("says which file is missing, or is a directory", async () => {
    await expect(hashFile(join(root, "nope.csv"))).rejects.toThrow(UserError);
    await expect(hashFile(join(root, "nope.csv"))).rejects.toThrow(
      `file not found: ${join(root, "nope.csv")}`,
    );
    await expect(hashFile(join(root, "data"))).rejects.toThrow("expected a file, found a directory");
  });
});

describe("hashPaths", () => {
  const combined = (lines: Array<[string, string]>) =>
    sha256(lines.map(([path, content]) => `${sha256(content)}  ${path}\n`).join(""));

  it("hashes one file", async () => {
    const digest = await hashPaths(root, ["data/a.csv"]);
    expect(digest.files).toEqual([{ path: "data/a.csv", sha256: sha256("x,y\n3,4\n"), size: 8 }]);
    expect(digest.sha256).toBe(combined([["data/a.csv", "x,y\n3,4\n"]]));
    expect(digest.size).toBe(8);
  });

  it("hashes every file under a directory, sorted, following links to files", async () => {
    const digest = await hashPaths(root, ["data"]);
    expect(digest.files.map((file) => file.path)).toEqual([
      "data/.hidden.csv",
      "data/a.csv",
      "data/b.csv",
      "data/link.js",
      "data/nested/c.parquet",
    ]);
    expect(digest.size).toBe(2 + 8 + 8 + 15 + 4);
  });

  it("hashes what a glob matches, and files named twice once", async () => {
    const digest = await hashPaths(root, ["data/*.csv", "data/a.csv", "**/*.parquet"]);
    expect(digest.files.map((file) => file.path)).toEqual([
      "data/.hidden.csv",
      "data/a.csv",
      "data/b.csv",
      "data/nested/c.parquet",
    ]);
  });

  it("skips .git when walking", async () => {
    const digest = await hashPaths(root, ["**/*"]);
    expect(digest.files.some((file) => file.path.startsWith(".git/"))).toBe(false);
    expect(digest.files.map((file) => file.path)).toContain("train.js");
  });

  it("does not depend on the order the paths are given in", async () => {
    const one = await hashPaths(root, ["data/b.csv", "data/a.csv"]);
    const two = await hashPaths(root, ["data/a.csv", "data/b.csv"]);
    expect(one.sha256).toBe(two.sha256);
  });

  it("changes when a file is renamed, even with the same content", async () => {
    await writeFile(join(root, "data/copy-of-a.csv"), "x,y\n3,4\n");
    const a = await hashPaths(root, ["data/a.csv"]);
    const copy = await hashPaths(root, ["data/copy-of-a.csv"]);
    expect(a.files[0]?.sha256).toBe(copy.files[0]?.sha256);
    expect(a.sha256).not.toBe(copy.sha256);
    await rm(join(root, "data/copy-of-a.csv"));
  });

  it("says when a path or a glob names nothing", async () => {
    await expect(hashPaths(root, ["data/missing.csv"])).rejects.toThrow("file not found: data/missing.csv");
    await expect(hashPaths(root, ["data/*.json"])).rejects.toThrow(
      `data/*.json: no files match under ${root}`,
    );
    await expect(hashPaths(root, ["nowhere/**"])).rejects.toThrow("nowhere/**: no files match");
  });
});

describe("digestDataPath", () => {
  it("records a single file's own sha256", async () => {
    expect(await digestDataPath(root, "data/a.csv")).toEqual({
      path: "data/a.csv",
      sha256: sha256("x,y\n3,4\n"),
      size: 8,
      files: 1,
    });
    expect((await digestDataPath(root, "./data/../data/a.csv")).sha256).toBe(sha256("x,y\n3,4\n"));
  });

  it("records the combined digest of a directory or a glob, even when it matches one file", async () => {
    const glob = await digestDataPath(root, "data/nested/*.parquet");
    expect(glob).toEqual({
      path: "data/nested/*.parquet",
      sha256: (await hashPaths(root, ["data/nested/*.parquet"])).sha256,
      size: 4,
      files: 1,
    });
    expect(glob.sha256).not.toBe(sha256("PAR1"));
    expect((await digestDataPath(root, "data")).files).toBe(5);
  });
});

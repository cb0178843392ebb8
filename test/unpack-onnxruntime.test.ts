import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  COMPLETE_MARKER,
  readPackHeader,
  resolveOnnxruntime,
  unpackOnnxruntime,
} from "../adapters/onnx/unpack-onnxruntime.ts";
import { UserError } from "../core/errors.ts";
import { encodeSoftmaxRegressionModel } from "../examples/weather/lib/export-onnx.js";
import { ONNXRUNTIME_PACK_PATH, type PackEntry, writePack } from "../scripts/pack-onnxruntime.ts";
import { REPO_ROOT, tempDir } from "./helpers/temp-repo.ts";

const LINUX_X64 = { platform: "linux", arch: "x64" };

const FAKE_FILES: Record<string, { content: string | Buffer; mode: number }> = {
  "node_modules/fake/package.json": { content: '{"name":"fake","main":"index.js"}', mode: 0o644 },
  "node_modules/fake/index.js": { content: "module.exports = { answer: 42 };\n", mode: 0o644 },
  "node_modules/fake/empty.txt": { content: "", mode: 0o644 },
  "node_modules/fake/bin/linux/x64/libfake.so.1": {
    content: Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251)),
    mode: 0o755,
  },
};

/** Writes the fake files into a temp folder and packs them; returns the pack's path. */
async function makeFakePack(platform = "linux", arch = "x64"): Promise<string> {
  const dir = tempDir();
  const entries: PackEntry[] = Object.entries(FAKE_FILES).map(([path, { content, mode }], index) => {
    const source = join(dir, "src", `${index}`);
    mkdirSync(join(dir, "src"), { recursive: true });
    writeFileSync(source, content);
    return { path, source, mode };
  });
  const pack = join(dir, "fake.pack");
  await writePack(entries, pack, { "onnxruntime-node": "0.0.1", platform, arch });
  return pack;
}

function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function expectUnpacked(dir: string): void {
  for (const [path, { content, mode }] of Object.entries(FAKE_FILES)) {
    // Compared by digest: toEqual on a 300 kB Buffer walks it byte by byte and takes seconds.
    expect(sha256(readFileSync(join(dir, path))), path).toBe(sha256(Buffer.from(content)));
    expect(statSync(join(dir, path)).mode & 0o777).toBe(mode);
  }
  expect(existsSync(join(dir, COMPLETE_MARKER))).toBe(true);
}

/** Edits a pack file in place. */
function editPack(pack: string, edit: (bytes: Buffer) => void): void {
  const bytes = readFileSync(pack);
  edit(bytes);
  writeFileSync(pack, bytes);
}

describe("unpackOnnxruntime", () => {
  it("unpacks every file with its bytes and mode into a folder named by version and header", async () => {
    const pack = await makeFakePack();
    const cache = tempDir();
    const dir = await unpackOnnxruntime(pack, cache, LINUX_X64);
    expect(dir).toMatch(/modelci-onnxruntime[/\\]0\.0\.1-[0-9a-f]{12}$/);
    expectUnpacked(dir);
    expect(readdirSync(join(cache, "modelci-onnxruntime"))).toEqual([dir.split(/[/\\]/).pop()]);
  });

  it("reuses a folder with its completion marker without unpacking again", async () => {
    const pack = await makeFakePack();
    const cache = tempDir();
    const dir = await unpackOnnxruntime(pack, cache, LINUX_X64);
    writeFileSync(join(dir, "node_modules/fake/index.js"), "changed after unpacking");
    expect(await unpackOnnxruntime(pack, cache, LINUX_X64)).toBe(dir);
    expect(readFileSync(join(dir, "node_modules/fake/index.js"), "utf8")).toBe("changed after unpacking");
  });

  it("lets two jobs unpack the same pack at once: both get the same complete folder", async () => {
    const pack = await makeFakePack();
    const cache = tempDir();
    const [first, second] = await Promise.all([
      unpackOnnxruntime(pack, cache, LINUX_X64),
      unpackOnnxruntime(pack, cache, LINUX_X64),
    ]);
    expect(first).toBe(second);
    expectUnpacked(first as string);
    expect(readdirSync(join(cache, "modelci-onnxruntime"))).toHaveLength(1);
  });

  it("refuses a file whose bytes do not match its sha256, and leaves nothing behind", async () => {
    const pack = await makeFakePack();
    const { header } = await readPackHeader(pack);
    const index = header.files.find((file) => file.path === "node_modules/fake/index.js");
    editPack(pack, (bytes) => {
      const at = bytes.indexOf(index?.sha256 ?? "missing");
      bytes[at] = bytes[at] === 0x30 ? 0x31 : 0x30;
    });
    const cache = tempDir();
    const error = await unpackOnnxruntime(pack, cache, LINUX_X64).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe("corrupt onnxruntime pack: node_modules/fake/index.js");
    expect(readdirSync(join(cache, "modelci-onnxruntime"))).toEqual([]);
  });

  it("refuses a pack with a corrupted byte in its compressed body", async () => {
    const pack = await makeFakePack();
    const { bodyOffset } = await readPackHeader(pack);
    editPack(pack, (bytes) => {
      const at = bodyOffset + Math.floor((bytes.length - bodyOffset) / 2);
      bytes[at] = (bytes[at] as number) ^ 0xff;
    });
    await expect(unpackOnnxruntime(pack, tempDir(), LINUX_X64)).rejects.toThrow(
      /^corrupt onnxruntime pack: /,
    );
  });

  it("refuses a truncated pack", async () => {
    const pack = await makeFakePack();
    const { bodyOffset } = await readPackHeader(pack);
    const bytes = readFileSync(pack);
    writeFileSync(pack, bytes.subarray(0, bodyOffset + Math.floor((bytes.length - bodyOffset) / 2)));
    await expect(unpackOnnxruntime(pack, tempDir(), LINUX_X64)).rejects.toThrow(
      /^corrupt onnxruntime pack: /,
    );
  });

  it("refuses a runner the pack was not built for, and says what works instead", async () => {
    const pack = await makeFakePack();
    const error = await unpackOnnxruntime(pack, tempDir(), { platform: "darwin", arch: "arm64" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain("linux x64 runners only, and this runner is darwin arm64");
    expect((error as Error).message).toContain("MODELCI_ONNXRUNTIME_DIR");
    expect((error as Error).message).toContain("npx modelci evaluate");
  });

  it("says when a file is not a pack", async () => {
    const path = join(tempDir(), "not.pack");
    writeFileSync(path, "PK\u0003\u0004 something else\n{}\n");
    await expect(unpackOnnxruntime(path, tempDir())).rejects.toThrow(`${path} is not an onnxruntime pack`);
  });
});

describe("resolveOnnxruntime", () => {
  it("loads from the override folder's node_modules when one is given", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "node_modules/onnxruntime-node"), { recursive: true });
    writeFileSync(join(dir, "node_modules/onnxruntime-node/package.json"), '{"name":"onnxruntime-node"}');
    writeFileSync(join(dir, "node_modules/onnxruntime-node/index.js"), "module.exports = { fake: true };");
    const resolved = await resolveOnnxruntime({
      overrideDir: dir,
      cacheRoot: tempDir(),
      packPath: "ignored",
    });
    expect(resolved.source).toBe("override");
    expect(resolved.ort).toEqual({ fake: true });
  });

  it("refuses an override folder without onnxruntime-node, even when one is installed above it", async () => {
    const dir = join(REPO_ROOT, "test/fixtures");
    await expect(resolveOnnxruntime({ overrideDir: dir, cacheRoot: tempDir() })).rejects.toThrow(
      `no onnxruntime-node in ${join(dir, "node_modules")}`,
    );
  });

  it.runIf(process.platform === "linux" && process.arch === "x64")(
    "unpacks the committed Linux x64 pack and runs a real model with it",
    async () => {
      const cache = tempDir();
      const resolved = await resolveOnnxruntime({
        packPath: join(REPO_ROOT, ONNXRUNTIME_PACK_PATH),
        cacheRoot: cache,
      });
      expect(resolved.source).toBe("pack");
      expect(resolved.dir.startsWith(cache)).toBe(true);
      const { ort } = resolved;
      expect(ort.env.versions.node).toMatch(/^\d+\.\d+\.\d+/);

      const model = encodeSoftmaxRegressionModel({
        weights: [
          [1, 0],
          [0, 1],
          [-1, -1],
        ],
        bias: [0, 0.5, 0],
        features: ["a", "b"],
        classes: ["x", "y", "z"],
      });
      const session = await ort.InferenceSession.create(model);
      const input = new ort.Tensor("float32", Float32Array.from([2, 1, 0, 0]), [2, 2]);
      const output = await session.run({ features: input });
      const probabilities = output.probabilities?.data as Float32Array;
      const softmax = (logits: number[]) => {
        const exps = logits.map(Math.exp);
        const sum = exps.reduce((a, b) => a + b, 0);
        return exps.map((v) => v / sum);
      };
      const expected = [...softmax([2, 1.5, -3]), ...softmax([0, 0.5, 0])];
      expect(probabilities).toHaveLength(6);
      for (const [i, p] of expected.entries()) expect(probabilities[i]).toBeCloseTo(p, 5);
      await session.release();

      expect(
        await resolveOnnxruntime({ packPath: join(REPO_ROOT, ONNXRUNTIME_PACK_PATH), cacheRoot: cache }),
      ).toMatchObject({
        dir: resolved.dir,
      });
    },
  );
});

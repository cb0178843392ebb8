import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectGpu, parseNvidiaSmi } from "../adapters/system/detect-gpu.ts";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "modelci-gpu-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fakeNvidiaSmi(script: string): Promise<string> {
  const path = join(dir, `nvidia-smi-${Math.random().toString(36).slice(2)}`);
  await writeFile(path, `#!/bin/sh\n${script}\n`);
  await chmod(path, 0o755);
  return path;
}

describe("detectGpu", () => {
  it("reads the GPUs nvidia-smi reports", async () => {
    const command = await fakeNvidiaSmi('echo "NVIDIA H100 80GB HBM3, 81559"\necho "NVIDIA A10G, 23028"');
    expect(await detectGpu({ command })).toEqual({
      gpus: [
        { name: "NVIDIA H100 80GB HBM3", memoryMiB: 81559 },
        { name: "NVIDIA A10G", memoryMiB: 23028 },
      ],
    });
  });

  it("gives no GPUs when nvidia-smi is missing, fails or hangs", async () => {
    expect(await detectGpu({ command: "modelci-no-such-nvidia-smi" })).toEqual({ gpus: [] });
    expect(
      await detectGpu({ command: await fakeNvidiaSmi("echo 'NVIDIA-SMI has failed' >&2; exit 9") }),
    ).toEqual({
      gpus: [],
    });
    expect(await detectGpu({ command: await fakeNvidiaSmi("exec sleep 10"), timeoutMs: 200 })).toEqual({
      gpus: [],
    });
  });

  it("runs on this machine without throwing", async () => {
    const { gpus } = await detectGpu();
    for (const gpu of gpus) expect(gpu.memoryMiB).toBeGreaterThan(0);
  });
});

describe("parseNvidiaSmi", () => {
  it("parses what nvidia-smi printed on an H100 machine, with and without units", () => {
    expect(parseNvidiaSmi("NVIDIA H100 80GB HBM3, 81559 MiB\n")).toEqual([
      { name: "NVIDIA H100 80GB HBM3", memoryMiB: 81559 },
    ]);
    expect(parseNvidiaSmi("NVIDIA H100 80GB HBM3, 81559\n")).toEqual([
      { name: "NVIDIA H100 80GB HBM3", memoryMiB: 81559 },
    ]);
  });

  it("accepts memory with or without a unit and skips lines that do not parse", () => {
    expect(parseNvidiaSmi("Tesla T4, 15360 MiB\r\n\ngarbage\nX, n/a\n")).toEqual([
      { name: "Tesla T4", memoryMiB: 15360 },
    ]);
  });
});

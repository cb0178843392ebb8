/**
 * The NVIDIA GPUs on this machine, as nvidia-smi reports them. No GPU, no driver, or a failing
 * nvidia-smi all mean "no GPUs": detection never fails a run.
 */
import { execFile } from "node:child_process";

export interface Gpu {
  name: string;
  memoryMiB: number;
}

export interface GpuInfo {
  gpus: Gpu[];
}

export async function detectGpu(options: { command?: string; timeoutMs?: number } = {}): Promise<GpuInfo> {
  const command = options.command ?? "nvidia-smi";
  const output = await new Promise<string | undefined>((resolve) => {
    try {
      execFile(
        command,
        ["--query-gpu=name,memory.total", "--format=csv,noheader,nounits"],
        { timeout: options.timeoutMs ?? 10_000, windowsHide: true },
        (error, stdout) => resolve(error ? undefined : stdout),
      );
    } catch {
      resolve(undefined);
    }
  });
  return { gpus: output === undefined ? [] : parseNvidiaSmi(output) };
}

/** Parses `name, memory` CSV lines; memory may carry a ` MiB` unit. Lines that do not parse are skipped. */
export function parseNvidiaSmi(output: string): Gpu[] {
  const gpus: Gpu[] = [];
  for (const line of output.split(/\r?\n/)) {
    const comma = line.lastIndexOf(",");
    if (comma === -1) continue;
    const name = line.slice(0, comma).trim();
    const memory = Number.parseFloat(line.slice(comma + 1).trim());
    if (name !== "" && Number.isFinite(memory)) gpus.push({ name, memoryMiB: Math.round(memory) });
  }
  return gpus;
}

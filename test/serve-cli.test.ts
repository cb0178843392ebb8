/**
 * `modelci serve` as users run it: the real binary with --workers 2 (node:cluster), a reload on an
 * edit of the deployment file, metrics aggregated across workers, and SIGTERM's clean exit.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { constantModel, registerVersion, serveRepo, writeTarget } from "./helpers/serve-repo.ts";
import { CLI } from "./helpers/temp-repo.ts";

const BODY = JSON.stringify({
  inputs: [{ name: "features", shape: [1, 7], datatype: "FP32", data: [0, 12.2, 5, 3, 0, 0.5, 0.866] }],
});

async function infer(url: string): Promise<string | null> {
  const response = await fetch(`${url}/v2/models/weather/infer`, { method: "POST", body: BODY });
  expect(response.status).toBe(200);
  await response.arrayBuffer();
  return response.headers.get("x-model-version");
}

/** The server's URL, once it printed `serving … at URL`. */
async function started(child: ChildProcess): Promise<string> {
  let text = "";
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    text += chunk.toString();
    const match = /serving \S+ at (\S+)/.exec(text);
    if (match) return match[1] as string;
  }
  throw new Error(`modelci serve exited before serving: ${text}`);
}

describe("modelci serve (the binary)", () => {
  it("serves from 2 workers, reloads on an edit of the deployment file, aggregates metrics, stops on SIGTERM", async () => {
    const dir = await serveRepo();
    await registerVersion(dir, 3, constantModel(1));
    writeTarget(dir, "{ version: 1 }");
    const child = spawn(
      process.execPath,
      [CLI, "serve", "--target", "local", "--root", dir, "--port", "0", "--workers", "2"],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = once(child, "exit");
    try {
      const url = await started(child);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      for (let i = 0; i < 20; i++) expect(await infer(url)).toBe("1");
      writeTarget(dir, "{ version: 3 }");
      let version: string | null = "1";
      for (let i = 0; i < 100 && version !== "3"; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        version = await infer(url);
      }
      expect(version).toBe("3");
      // A reload queues behind the one in progress on every worker, so once it answers, all serve v3.
      const reload = await fetch(`${url}/admin/reload`, { method: "POST" });
      expect(await reload.json()).toEqual({
        reloaded: true,
        changed: false,
        models: { weather: { versions: [{ version: 3, weight: 100 }] } },
      });
      for (let i = 0; i < 10; i++) expect(await infer(url)).toBe("3");
      const metrics = await (await fetch(`${url}/metrics`)).text();
      const count = (v: string) =>
        Number(
          new RegExp(
            `modelci_inference_requests_total\\{model="weather",version="${v}",code="200"\\} (\\d+)`,
          ).exec(metrics)?.[1] ?? 0,
        );
      expect(count("1") + count("3")).toBeGreaterThanOrEqual(31);
      expect(metrics).toContain('modelci_model_ready{model="weather",version="3"} 1');
      expect(metrics).toContain("process_resident_memory_bytes");
    } finally {
      child.kill("SIGTERM");
    }
    const [code] = await exited;
    expect(code, stderr).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { z } from "zod";
import { makeRunManifest, type RunManifestInput } from "../core/train/make-run-manifest.ts";
import { runManifestSchema } from "../schemas/run-manifest.ts";

const digest = (char: string, size: number) => ({ sha256: char.repeat(64), size });

function input(overrides: Partial<RunManifestInput> = {}): RunManifestInput {
  return {
    experiment: "weather-gbm",
    runId: "lr-0.05",
    params: { lr: 0.05, depth: 4 },
    argv: ["node", "train.js", "--lr", "0.05", "--depth", "4"],
    commit: "0123456789abcdef0123456789abcdef01234567",
    dirty: false,
    data: { train: { path: "data/weather-train.csv", ...digest("a", 1000), files: 1 } },
    outputs: {
      model: { path: "out/model.onnx", digest: digest("b", 2048) },
      metrics: { path: "out/metrics.json", digest: digest("c", 30) },
    },
    metrics: { path: "out/metrics.json", text: '{"f1_macro": 0.81, "accuracy": 0.9}' },
    startedAt: "2025-03-03T10:00:00.000Z",
    finishedAt: "2025-03-03T10:02:00.000Z",
    wallTimeMs: 120_000,
    host: { name: "gpu-runner-1", platform: "linux", arch: "x64", cpus: 16, memoryMiB: 131072 },
    gpus: [{ name: "NVIDIA H100 80GB HBM3", memoryMiB: 81559 }],
    exitCode: 0,
    signal: null,
    timedOut: false,
    timeoutMs: 7_200_000,
    logTail: ["epoch 10 loss 0.1"],
    ...overrides,
  };
}

describe("makeRunManifest", () => {
  it("records a succeeded run, without its log tail", () => {
    const manifest = makeRunManifest(input());
    expect(manifest).toMatchObject({
      "manifest-version": 1,
      "run-id": "lr-0.05",
      status: "succeeded",
      metrics: { f1_macro: 0.81, accuracy: 0.9 },
      outputs: { model: { path: "out/model.onnx", sha256: "b".repeat(64), size: 2048 } },
      gpus: [{ name: "NVIDIA H100 80GB HBM3", "memory-mib": 81559 }],
      host: { name: "gpu-runner-1", platform: "linux", arch: "x64", cpus: 16, "memory-mib": 131072 },
    });
    expect(manifest.reason).toBeUndefined();
    expect(manifest["log-tail"]).toBeUndefined();
  });

  it("round-trips through JSON and the schema", () => {
    const manifest = makeRunManifest(input({ exitCode: 1 }));
    expect(runManifestSchema.parse(JSON.parse(JSON.stringify(manifest)))).toEqual(manifest);
  });

  it("marks a timed-out run timed-out, even when it left good metrics", () => {
    const manifest = makeRunManifest(input({ timedOut: true, exitCode: null, signal: "SIGTERM" }));
    expect(manifest.status).toBe("timed-out");
    expect(manifest.reason).toBe("the command timed out after 120 min and was stopped");
    expect(manifest["log-tail"]).toEqual(["epoch 10 loss 0.1"]);
  });

  it.each([
    [{ exitCode: 2 }, "the command exited with code 2"],
    [{ exitCode: null, signal: "SIGKILL" }, "the command was killed by SIGKILL"],
    [{ exitCode: null, error: "command not found: python" }, "command not found: python"],
  ])("marks a run whose command failed failed: %j", (overrides, reason) => {
    const manifest = makeRunManifest(input(overrides));
    expect(manifest.status).toBe("failed");
    expect(manifest.reason).toBe(reason);
    expect(manifest["log-tail"]).toEqual(["epoch 10 loss 0.1"]);
  });

  it.each([
    [null, "metrics file out/metrics.json was not written"],
    ["{not json", "metrics file out/metrics.json is not valid JSON"],
    ["[0.9]", "metrics file out/metrics.json must be a JSON object of numbers"],
    ["0.9", "metrics file out/metrics.json must be a JSON object of numbers"],
    ["null", "metrics file out/metrics.json must be a JSON object of numbers"],
    ['{"acc": "high"}', 'metrics file out/metrics.json: "acc" must be a finite number, got "high"'],
    ['{"acc": 0.9, "per_class": {"a": 1}}', '"per_class" must be a finite number, got {"a":1}'],
    ['{"acc": 1e999}', '"acc" must be a finite number, got null'],
  ])("fails a run with exit code 0 whose metrics file is %j", (text, reason) => {
    const manifest = makeRunManifest(input({ metrics: { path: "out/metrics.json", text } }));
    expect(manifest.status).toBe("failed");
    expect(manifest.reason).toContain(reason);
    expect(manifest.metrics).toEqual({});
  });

  it("fails a run that did not write a declared output, naming it", () => {
    const manifest = makeRunManifest(
      input({
        outputs: {
          model: { path: "out/model.onnx", digest: null },
          metrics: { path: "out/metrics.json", digest: null },
        },
        metrics: { path: "out/metrics.json", text: null },
      }),
    );
    expect(manifest.status).toBe("failed");
    expect(manifest.reason).toBe(
      'output "model" (out/model.onnx) was not written; metrics file out/metrics.json was not written',
    );
    expect(manifest.outputs).toEqual({});
  });

  it("needs no metrics when none are declared", () => {
    const manifest = makeRunManifest(input({ metrics: undefined }));
    expect(manifest.status).toBe("succeeded");
    expect(manifest.metrics).toEqual({});
  });

  it("refuses a metric named __proto__ rather than losing it", () => {
    const manifest = makeRunManifest(
      input({ metrics: { path: "m.json", text: '{"__proto__": 1, "a": 2}' } }),
    );
    expect(manifest.status).toBe("failed");
    expect(manifest.reason).toBe('metrics file m.json: "__proto__" is not a metric name');
  });
});

describe("runManifestSchema", () => {
  it("rejects unknown fields and a succeeded manifest with a wrong digest", () => {
    const manifest = makeRunManifest(input());
    expect(() => runManifestSchema.parse({ ...manifest, extra: 1 })).toThrow();
    expect(() =>
      runManifestSchema.parse({ ...manifest, outputs: { model: { path: "m", sha256: "xyz", size: 1 } } }),
    ).toThrow();
  });

  it("describes every field in its JSON Schema", () => {
    const schema = z.toJSONSchema(runManifestSchema, { io: "input" }) as {
      properties: Record<string, { description?: string }>;
    };
    for (const [name, property] of Object.entries(schema.properties)) {
      expect(property.description, name).toBeTruthy();
    }
  });
});

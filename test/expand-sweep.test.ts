import { describe, expect, it } from "vitest";
import { UserError } from "../core/errors.ts";
import { chunkRuns, expandSweep } from "../core/train/expand-sweep.ts";

describe("expandSweep", () => {
  it("gives one run named default without a sweep", () => {
    expect(expandSweep({ lr: 0.1 })).toEqual([{ runId: "default", params: { lr: 0.1 } }]);
    expect(expandSweep({ lr: 0.1 }, {})).toEqual([{ runId: "default", params: { lr: 0.1 } }]);
  });

  it("takes the Cartesian product in declaration order, the first key slowest", () => {
    const runs = expandSweep({ lr: 0.1, depth: 4, seed: 1 }, { lr: [0.05, 0.2], depth: [4, 8, 12] });
    expect(runs.map((run) => run.runId)).toEqual([
      "lr-0.05_depth-4",
      "lr-0.05_depth-8",
      "lr-0.05_depth-12",
      "lr-0.2_depth-4",
      "lr-0.2_depth-8",
      "lr-0.2_depth-12",
    ]);
    expect(runs[4]?.params).toEqual({ lr: 0.2, depth: 8, seed: 1 });
  });

  it("keeps base params in their order and lets a sweep add a param", () => {
    const [run] = expandSweep({ a: 1, b: 2 }, { c: ["x"] });
    expect(run).toEqual({ runId: "c-x", params: { a: 1, b: 2, c: "x" } });
  });

  it("is deterministic", () => {
    const sweep = { optimizer: ["adam", "sgd"], lr: [0.1, 0.01], amp: [true, false] };
    expect(expandSweep({}, sweep)).toEqual(expandSweep({}, sweep));
    expect(expandSweep({}, sweep)).toHaveLength(8);
  });

  it("sanitizes ids to [A-Za-z0-9._-]", () => {
    const runs = expandSweep({}, { model: ["resnet/50 v2", "ünïcode"], lr: [1e-7] });
    for (const run of runs) expect(run.runId).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(runs[0]?.runId).toBe("model-resnet-50-v2_lr-1e-7");
  });

  it("adds a hash suffix when ids collide", () => {
    const runs = expandSweep({}, { tag: ["a b", "a/b", "a-b", 1, "1"] });
    const ids = runs.map((run) => run.runId);
    expect(new Set(ids).size).toBe(5);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(ids[0]).toMatch(/^tag-a-b-[0-9a-f]{10}$/);
  });

  it("shortens long ids with a hash suffix", () => {
    const long = "x".repeat(200);
    const runs = expandSweep({}, { note: [long, `${long}y`] });
    for (const run of runs) expect(run.runId.length).toBeLessThanOrEqual(64);
    expect(runs[0]?.runId).not.toBe(runs[1]?.runId);
    expect(runs[0]?.params.note).toBe(long);
  });

  it("rejects an empty list, a repeated value and a sweep that is too large", () => {
    expect(() => expandSweep({}, { lr: [] })).toThrow(UserError);
    expect(() => expandSweep({}, { lr: [] })).toThrow("sweep.lr: the list is empty");
    expect(() => expandSweep({}, { lr: [0.1, 0.1] })).toThrow("sweep.lr: 0.1 is listed more than once");
    const ten = Array.from({ length: 10 }, (_, i) => i);
    expect(() => expandSweep({}, { a: ten, b: ten, c: ten, d: ten })).toThrow(
      "sweep: expands into 10000 runs, more than the limit of 4096",
    );
    expect(expandSweep({}, { a: ten, b: ten, c: ten, d: ten }, { maxRuns: 10_000 })).toHaveLength(10_000);
  });
});

describe("chunkRuns", () => {
  it("splits into matrices of at most 256 runs", () => {
    const ids = Array.from({ length: 600 }, (_, i) => i);
    const chunks = chunkRuns(ids);
    expect(chunks.map((chunk) => chunk.length)).toEqual([256, 256, 88]);
    expect(chunks.flat()).toEqual(ids);
  });

  it("handles exact multiples, small sizes and no runs", () => {
    expect(chunkRuns([1, 2, 3, 4], 2)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(chunkRuns([], 2)).toEqual([]);
    expect(() => chunkRuns([1], 0)).toThrow(RangeError);
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { asBytes } from "../core/metrics/bootstrap-deltas.ts";
import {
  prepareClassification,
  scorePreparedClassification,
} from "../core/metrics/classification-metrics.ts";
import {
  argsortFloat32,
  bootstrapDeltas,
  CLASSIFICATION_METRICS,
  computeClassificationMetrics,
  computePercentiles,
  computeRegressionMetrics,
  createRandom,
  METRIC_DIRECTIONS,
  prepareRocOrder,
  REGRESSION_METRICS,
  rocAucFromOrder,
  STANDARD_METRICS,
  summarizeLatency,
} from "../core/metrics/index.ts";

interface ClassificationExpected {
  metrics: Record<string, number | null>;
  confusion_matrix: number[][];
}
interface Golden {
  classification: {
    name: string;
    classes: string[];
    labels: number[];
    probabilities: number[];
    expected: ClassificationExpected;
    weights?: number[];
    expected_weighted?: ClassificationExpected;
  }[];
  regression: {
    name: string;
    y: number[];
    yhat: number[];
    expected: Record<string, number>;
    weights?: number[];
    expected_weighted?: Record<string, number>;
  }[];
  percentiles: { name: string; values: number[]; percentiles: [number, number][] }[];
}

const golden = JSON.parse(
  readFileSync(new URL("./fixtures/golden/metrics.json", import.meta.url), "utf8"),
) as Golden;

function expectClose(actual: number, expected: number | null, relative: number, what: string): void {
  if (expected === null) {
    expect(actual, what).toBeNaN();
    return;
  }
  const tolerance = relative * Math.max(1, Math.abs(expected));
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

function checkClassification(
  actual: ReturnType<typeof computeClassificationMetrics>,
  expected: ClassificationExpected,
  name: string,
): void {
  for (const metric of CLASSIFICATION_METRICS) {
    const tolerance = metric === "log_loss" ? 1e-7 : 1e-9;
    expectClose(actual.metrics[metric], expected.metrics[metric] ?? null, tolerance, `${name} ${metric}`);
  }
  expect(actual.confusionMatrix).toEqual(expected.confusion_matrix);
}

function randomClassification(rows: number, classCount: number, seed: number, skill: number) {
  const random = createRandom(seed);
  const labels = new Int32Array(rows);
  const probabilities = new Float32Array(rows * classCount);
  for (let i = 0; i < rows; i++) {
    const label = random.nextInt(classCount);
    labels[i] = label;
    let sum = 0;
    for (let k = 0; k < classCount; k++) {
      const p = random.nextUint32() / 2 ** 32 + (k === label ? skill : 0);
      probabilities[i * classCount + k] = p;
      sum += p;
    }
    for (let k = 0; k < classCount; k++) {
      const at = i * classCount + k;
      probabilities[at] = (probabilities[at] as number) / sum;
    }
  }
  return { labels, probabilities, classes: Array.from({ length: classCount }, (_, k) => `c${k}`) };
}

describe("classification metrics match scikit-learn", () => {
  for (const c of golden.classification) {
    it(c.name, () => {
      const input = {
        labels: Int32Array.from(c.labels),
        probabilities: Float32Array.from(c.probabilities),
        classes: c.classes,
      };
      const result = computeClassificationMetrics(input);
      checkClassification(result, c.expected, c.name);
      const support = c.expected.confusion_matrix.map((row) => row.reduce((a, b) => a + b, 0));
      expect(result.support).toEqual(Object.fromEntries(c.classes.map((name, k) => [name, support[k]])));
      if (c.weights && c.expected_weighted) {
        checkClassification(
          computeClassificationMetrics(input, c.weights),
          c.expected_weighted,
          `${c.name} (weighted)`,
        );
      }
    });
  }
});

describe("regression metrics match scikit-learn", () => {
  for (const c of golden.regression) {
    it(c.name, () => {
      const y = Float64Array.from(c.y);
      const yhat = Float64Array.from(c.yhat);
      const check = (actual: Record<string, number>, expected: Record<string, number>, what: string) => {
        for (const metric of REGRESSION_METRICS) {
          expectClose(actual[metric] as number, expected[metric] as number, 1e-9, `${what} ${metric}`);
        }
      };
      check(computeRegressionMetrics(y, yhat), c.expected, c.name);
      if (c.weights && c.expected_weighted) {
        check(computeRegressionMetrics(y, yhat, c.weights), c.expected_weighted, `${c.name} (weighted)`);
      }
    });
  }
});

describe("percentiles match numpy", () => {
  for (const c of golden.percentiles) {
    it(c.name, () => {
      const actual = computePercentiles(
        c.values,
        c.percentiles.map(([q]) => q),
      );
      c.percentiles.forEach(([q, expected], i) => {
        expectClose(actual[i] as number, expected, 1e-12, `${c.name} p${q}`);
      });
    });
  }

  it("summarizes latency as p50/p95/p99", () => {
    const latencies = Array.from({ length: 101 }, (_, i) => i);
    expect(summarizeLatency(latencies)).toEqual({
      latency_p50_ms: 50,
      latency_p95_ms: 95,
      latency_p99_ms: 99,
    });
  });
});

describe("weights", () => {
  it("all-1 weights give the unweighted classification metrics", () => {
    const input = randomClassification(3000, 5, 7, 0.3);
    const unweighted = computeClassificationMetrics(input);
    const weighted = computeClassificationMetrics(input, new Float64Array(3000).fill(1));
    expect(weighted).toEqual(unweighted);
  });

  it("all-1 weights give the unweighted regression metrics", () => {
    const random = createRandom(3);
    const y = Float64Array.from({ length: 500 }, () => random.nextUint32() / 1e6);
    const yhat = y.map((v) => v + random.nextUint32() / 1e8 - 20);
    expect(computeRegressionMetrics(y, yhat, new Array(500).fill(1))).toEqual(
      computeRegressionMetrics(y, yhat),
    );
  });

  it("integer weights equal repeating rows", () => {
    const input = randomClassification(200, 3, 11, 0.2);
    const random = createRandom(5);
    const weights = Array.from({ length: 200 }, () => random.nextInt(4));
    const labels: number[] = [];
    const probabilities: number[] = [];
    weights.forEach((w, i) => {
      for (let r = 0; r < w; r++) {
        labels.push(input.labels[i] as number);
        probabilities.push(...input.probabilities.subarray(i * 3, i * 3 + 3));
      }
    });
    const repeated = computeClassificationMetrics({
      labels: Int32Array.from(labels),
      probabilities: Float32Array.from(probabilities),
      classes: input.classes,
    });
    const weighted = computeClassificationMetrics(input, weights);
    for (const metric of CLASSIFICATION_METRICS) {
      expectClose(weighted.metrics[metric], repeated.metrics[metric], 1e-12, metric);
    }
  });

  it("rejects bad input with a message", () => {
    const input = randomClassification(10, 3, 1, 0);
    expect(() => computeClassificationMetrics(input, [1, 2])).toThrow(/weights have 2 values/);
    expect(() => computeClassificationMetrics({ ...input, labels: new Int32Array(10).fill(3) })).toThrow(
      /outside 0..2/,
    );
    expect(() => computeRegressionMetrics(new Float64Array(2), new Float64Array(3))).toThrow(/predictions/);
  });
});

describe("paired bootstrap", () => {
  const truth = randomClassification(2000, 3, 21, 0.4);
  const weaker = randomClassification(2000, 3, 22, 0);
  // the weaker model: the same labels, probabilities that know less about them
  const baseline = new Float32Array(truth.probabilities.length);
  for (let i = 0; i < baseline.length; i++) {
    baseline[i] = 0.5 * (truth.probabilities[i] as number) + 0.5 * (weaker.probabilities[i] as number);
  }
  const base = { task: "classification" as const, truth: truth.labels, resamples: 200 };

  it("is reproducible with the same seed and differs with another", () => {
    const a = bootstrapDeltas({ ...base, candidate: truth.probabilities, baseline, seed: 1 });
    const b = bootstrapDeltas({ ...base, candidate: truth.probabilities, baseline, seed: 1 });
    const c = bootstrapDeltas({ ...base, candidate: truth.probabilities, baseline, seed: 2 });
    expect(a).toEqual(b);
    expect(c.deltas.f1_macro?.delta).toBe(a.deltas.f1_macro?.delta);
    expect(c.deltas.f1_macro?.low).not.toBe(a.deltas.f1_macro?.low);
    expect(a).toMatchObject({
      resamples: 200,
      rows: 2000,
      totalRows: 2000,
      seed: 1,
      weighting: "multinomial",
    });
  });

  it("scores a resample's counts as bytes exactly as as numbers, and keeps numbers past 255", () => {
    const prepared = prepareClassification(truth.labels, truth.probabilities, 3);
    const counts = new Float64Array(truth.labels.length);
    createRandom(5).addMultinomialCounts(counts, counts.length);
    const bytes = asBytes(counts, new Uint8Array(counts.length));
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(scorePreparedClassification(prepared, bytes)).toEqual(
      scorePreparedClassification(prepared, counts),
    );
    expect(asBytes(Float64Array.from([0, 2, 255]), new Uint8Array(3))).toEqual(Uint8Array.from([0, 2, 255]));
    expect(asBytes(Float64Array.from([0, 300, 1]), new Uint8Array(3))).toBeUndefined();
  });

  it("reports progress after every resample, without changing the result", () => {
    const seen: [number, number][] = [];
    const watched = bootstrapDeltas({
      ...base,
      candidate: truth.probabilities,
      baseline,
      seed: 1,
      onResample: (done, total) => seen.push([done, total]),
    });
    expect(seen).toHaveLength(200);
    expect(seen[0]).toEqual([1, 200]);
    expect(seen.at(-1)).toEqual([200, 200]);
    expect(watched).toEqual(bootstrapDeltas({ ...base, candidate: truth.probabilities, baseline, seed: 1 }));
  });

  it("gives intervals that contain the delta, above 0 for a clearly better model", () => {
    const result = bootstrapDeltas({ ...base, candidate: truth.probabilities, baseline });
    expect(Object.keys(result.deltas)).toEqual([...CLASSIFICATION_METRICS]);
    for (const [metric, { delta, low, high }] of Object.entries(result.deltas)) {
      expect(low, metric).toBeLessThanOrEqual(delta);
      expect(high, metric).toBeGreaterThanOrEqual(delta);
      if (METRIC_DIRECTIONS[metric] === "higher") expect(low, metric).toBeGreaterThan(0);
      else expect(high, metric).toBeLessThan(0);
    }
  });

  it("gives [0, 0] for identical models", () => {
    const result = bootstrapDeltas({ ...base, candidate: baseline, baseline: baseline.slice() });
    for (const delta of Object.values(result.deltas)) expect(delta).toEqual({ delta: 0, low: 0, high: 0 });
  });

  it("works for regression, and caps the rows it resamples", () => {
    const random = createRandom(9);
    const y = Float64Array.from({ length: 5000 }, () => random.nextUint32() / 2 ** 26);
    const good = y.map((v) => v + random.nextUint32() / 2 ** 32 - 0.5);
    const bad = y.map((v) => v + 4 * (random.nextUint32() / 2 ** 32 - 0.5));
    const result = bootstrapDeltas({
      task: "regression",
      truth: y,
      candidate: good,
      baseline: bad,
      resamples: 300,
      maxRows: 1000,
    });
    expect(result).toMatchObject({ rows: 1000, totalRows: 5000, resamples: 300 });
    const full = computeRegressionMetrics(y, good).rmse - computeRegressionMetrics(y, bad).rmse;
    expect(result.deltas.rmse?.delta).toBe(full);
    expect(result.deltas.rmse?.high).toBeLessThan(0);
    expect(result.deltas.r2?.low).toBeGreaterThan(0);
  });
});

describe("building blocks", () => {
  it("argsorts float32 like a comparator sort, -0 equal to +0", () => {
    const random = createRandom(13);
    const values = Float32Array.from({ length: 5000 }, () => (random.nextInt(200) - 100) / 7);
    values[0] = -0;
    values[1] = 0;
    values[2] = Number.NEGATIVE_INFINITY;
    const { order } = argsortFloat32(values);
    const expected = Array.from(values.keys()).sort(
      (a, b) => (values[a] as number) - (values[b] as number) || a - b,
    );
    expect(Array.from(order)).toEqual(expected);
  });

  it("computes weighted ROC AUC with ties like the pairwise definition", () => {
    const random = createRandom(17);
    const n = 300;
    const labels = Int32Array.from({ length: n }, () => random.nextInt(2));
    const scores = Float32Array.from({ length: n }, () => random.nextInt(12) / 11);
    const weights = Float64Array.from({ length: n }, () => random.nextInt(4) / 2);
    let pairs = 0;
    let area = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (labels[i] !== 1 || labels[j] !== 0) continue;
        const w = (weights[i] as number) * (weights[j] as number);
        const si = scores[i] as number;
        const sj = scores[j] as number;
        pairs += w;
        area += si > sj ? w : si === sj ? w / 2 : 0;
      }
    }
    const auc = rocAucFromOrder(prepareRocOrder(labels, scores, 1, 0, 1), weights);
    expectClose(auc, area / pairs, 1e-12, "roc_auc");
  });

  it("draws uniform integers and multinomial counts from the same stream", () => {
    const a = createRandom(5);
    const b = createRandom(5);
    const counts = new Float64Array(1000);
    a.addMultinomialCounts(counts, 5000);
    const expected = new Float64Array(1000);
    for (let i = 0; i < 5000; i++) {
      const k = b.nextInt(1000);
      expected[k] = (expected[k] as number) + 1;
    }
    expect(counts).toEqual(expected);
    expect(a.nextUint32()).toBe(b.nextUint32());
    for (let i = 0; i < 1000; i++) expect(b.nextInt(3_000_000_000)).toBeLessThan(3_000_000_000);
  });

  it("propagates NaN in percentiles like numpy", () => {
    expect(computePercentiles([1, Number.NaN, 3], [50])[0]).toBeNaN();
  });
});

describe("metric directions", () => {
  it("names a direction for every standard metric", () => {
    for (const metric of STANDARD_METRICS)
      expect(METRIC_DIRECTIONS[metric], metric).toMatch(/^(higher|lower)$/);
    expect(METRIC_DIRECTIONS.log_loss).toBe("lower");
    expect(METRIC_DIRECTIONS.throughput_rows_per_s).toBe("higher");
    expect(METRIC_DIRECTIONS.not_a_metric).toBeUndefined();
  });
});

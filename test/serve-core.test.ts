import { describe, expect, it } from "vitest";
import type { TensorInfo } from "../core/evaluate/model-info.ts";
import { makeLogLine } from "../core/serve/make-log-record.ts";
import { instancesToMatrix, outputToPredictions } from "../core/serve/map-rows.ts";
import { jsonDepth, parseJsonBody } from "../core/serve/parse-json-body.ts";
import { pickVersion, routingPoint } from "../core/serve/pick-version.ts";
import { RequestError } from "../core/serve/request-error.ts";
import { validateInferRequest } from "../core/serve/validate-infer-request.ts";

const SIGNATURE: { inputs: TensorInfo[]; outputs: TensorInfo[] } = {
  inputs: [{ name: "features", type: "float32", shape: ["N", 3] }],
  outputs: [{ name: "probabilities", type: "float32", shape: ["N", 2] }],
};

function refusal(run: () => unknown): { status: number; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof RequestError) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error("expected a RequestError");
}

describe("picking a version", () => {
  const split = [
    { version: 1, weight: 90 },
    { version: 2, weight: 10 },
  ];

  it("splits 10,000 random requests within ±2% of the weights", () => {
    for (const weights of [
      [90, 10],
      [70, 30],
      [50, 50],
    ]) {
      const counts = new Map<number, number>();
      const entries = weights.map((weight, i) => ({ version: i + 1, weight }));
      for (let i = 0; i < 10_000; i++) {
        const version = pickVersion(entries, Math.random()) as number;
        counts.set(version, (counts.get(version) ?? 0) + 1);
      }
      weights.forEach((weight, i) => {
        expect(Math.abs((counts.get(i + 1) ?? 0) / 100 - weight)).toBeLessThanOrEqual(2);
      });
    }
  });

  it("spreads 10,000 distinct routing keys within ±2% of the weights, and a key always gets the same version", () => {
    let second = 0;
    for (let i = 0; i < 10_000; i++) {
      const key = `user-${i}`;
      const version = pickVersion(split, routingPoint(key));
      if (version === 2) second++;
      if (i % 500 === 0) {
        for (let again = 0; again < 5; again++) expect(pickVersion(split, routingPoint(key))).toBe(version);
      }
    }
    expect(Math.abs(second / 100 - 10)).toBeLessThanOrEqual(2);
  });

  it("never picks a version of weight 0, and picks nothing when no weight is positive", () => {
    const withZero = [
      { version: 1, weight: 0 },
      { version: 2, weight: 100 },
    ];
    for (const point of [0, 0.0001, 0.5, 0.99999, 1]) expect(pickVersion(withZero, point)).toBe(2);
    expect(pickVersion([{ version: 1, weight: 0 }], 0.5)).toBeUndefined();
  });
});

describe("validating an infer request against the signature", () => {
  const good = { inputs: [{ name: "features", shape: [2, 3], datatype: "FP32", data: [1, 2, 3, 4, 5, 6] }] };

  it("decodes flat and nested row-major data to float32", () => {
    const flat = validateInferRequest(good, SIGNATURE);
    expect(flat.inputs[0]?.dims).toEqual([2, 3]);
    expect(Array.from(flat.inputs[0]?.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
    const nested = validateInferRequest(
      {
        id: "r1",
        inputs: [
          {
            name: "features",
            shape: [2, 3],
            datatype: "FP32",
            data: [
              [1, 2, 3],
              [4, 5, 6],
            ],
          },
        ],
      },
      SIGNATURE,
    );
    expect(nested.id).toBe("r1");
    expect(Array.from(nested.inputs[0]?.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it.each([
    [
      { inputs: [{ ...good.inputs[0], datatype: "INT64" }] },
      'input "features": expected datatype FP32 (shape [-1, 3]), got the string "INT64"',
    ],
    [
      { inputs: [{ ...good.inputs[0], shape: [3, 2] }] },
      'input "features": shape [3, 2] does not match the model\'s FP32 [-1, 3]',
    ],
    [
      { inputs: [{ ...good.inputs[0], data: [1, 2, 3] }] },
      'input "features": shape [2, 3] holds 6 values, but `data` has 3; expected FP32 [-1, 3]',
    ],
    [
      { inputs: [{ ...good.inputs[0], data: [1, 2, 3, 4, 5, 1e39] }] },
      'input "features": data[5] is 1e+39, outside the FP32 range',
    ],
    [
      { inputs: [{ ...good.inputs[0], data: [1, 2, 3, 4, 5, "6"] }] },
      'input "features": data[5] must be a number (FP32), got the string "6"',
    ],
    [
      { inputs: [{ ...good.inputs[0], name: "x" }] },
      'unknown input "x"; the model takes "features" FP32 [-1, 3]',
    ],
    [{ inputs: [] }, "`inputs` must be a non-empty array"],
    [[1, 2], "request body must be a JSON object with `inputs`, got an array"],
    [{ ...good, outputs: [{ name: "logits" }] }, 'unknown output "logits"; the model has "probabilities"'],
  ])("refuses %j with a 400 that says what is wrong", (body, message) => {
    const refused = refusal(() => validateInferRequest(body, SIGNATURE));
    expect(refused.status).toBe(400);
    expect(refused.message).toContain(message);
  });

  it("names a missing input with its datatype and shape", () => {
    const two = {
      inputs: [...SIGNATURE.inputs, { name: "mask", type: "bool", shape: ["N"] }],
      outputs: SIGNATURE.outputs,
    };
    expect(refusal(() => validateInferRequest(good, two)).message).toBe(
      'missing input "mask": expected "mask" BOOL [-1]',
    );
  });
});

describe("request bodies", () => {
  it("refuses JSON nested deeper than the limit before parsing it", () => {
    const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
    expect(jsonDepth(deep, 64)).toBe(65);
    expect(refusal(() => parseJsonBody(deep)).message).toBe(
      "request body nests arrays and objects deeper than 64 levels",
    );
    expect(jsonDepth('{"a": "[[[[", "b": [[1]]}')).toBe(3);
    expect(refusal(() => parseJsonBody("{bad")).message).toMatch(/^request body is not valid JSON: /);
  });
});

describe("the tensors-to-rows mapping", () => {
  const shape = {
    features: ["a", "b"],
    task: "classification" as const,
    classes: ["no", "yes"],
    max: 3.4e38,
  };

  it("puts instances in the signature's column order and labels each row's prediction", () => {
    expect(
      Array.from(
        instancesToMatrix(
          {
            instances: [
              { b: 2, a: 1 },
              { a: 3, b: 4 },
            ],
          },
          shape,
        ),
      ),
    ).toEqual([1, 2, 3, 4]);
    expect(outputToPredictions([0.2, 0.8, 0.9, 0.1], 2, shape)).toEqual([
      { label: "yes", probabilities: { no: 0.2, yes: 0.8 } },
      { label: "no", probabilities: { no: 0.9, yes: 0.1 } },
    ]);
    expect(outputToPredictions([1.5, 2.5], 2, { task: "regression", classes: undefined })).toEqual([
      1.5, 2.5,
    ]);
  });

  it("names a missing, unknown or non-numeric feature", () => {
    expect(refusal(() => instancesToMatrix({ instances: [{ a: 1 }] }, shape)).message).toBe(
      'instances[0]: missing feature "b" (a number)',
    );
    expect(refusal(() => instancesToMatrix({ instances: [{ a: 1, b: 2, c: 3 }] }, shape)).message).toBe(
      'instances[0]: unknown feature "c"; the model takes a, b',
    );
    expect(refusal(() => instancesToMatrix({ instances: [{ a: 1, b: "2" }] }, shape)).message).toBe(
      'instances[0].b must be a number, got "2"',
    );
  });
});

describe("input log lines", () => {
  it("leave excluded columns out and hash the hashed ones", () => {
    const line = makeLogLine(
      {
        time: "2026-01-01T00:00:00.000Z",
        model: "m",
        version: 3,
        inputs: { a: 1, secret: 2, user: "bob" },
        prediction: "yes",
      },
      { exclude: new Set(["secret"]), hash: new Set(["user"]) },
      (value) => `h(${value})`,
    );
    expect(JSON.parse(line)).toEqual({
      time: "2026-01-01T00:00:00.000Z",
      model: "m",
      version: 3,
      inputs: { a: 1, user: "h(bob)" },
      prediction: "yes",
    });
  });
});

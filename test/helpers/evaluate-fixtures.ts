/** Small real ONNX models and data files for `modelci evaluate` tests. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import onnxProto from "onnx-proto";
import {
  encodeLinearRegressionModel,
  encodeSoftmaxRegressionModel,
  type SoftmaxRegressionModel,
} from "../../examples/weather/lib/export-onnx.js";

const { onnx } = onnxProto;

export const FEATURES = ["x1", "x2", "x3"];
export const CLASSES = ["a", "b", "c"];

/** A three-class softmax model over x1..x3 whose logits favour the class of the largest feature. */
export function classifier(overrides: Partial<SoftmaxRegressionModel> = {}): Uint8Array {
  return encodeSoftmaxRegressionModel({
    weights: [
      [2, 0, 0],
      [0, 2, 0],
      [0, 0, 2],
    ],
    bias: [0, 0, 0],
    features: FEATURES,
    classes: CLASSES,
    ...overrides,
  });
}

/** prediction = x1 + 2·x2 − x3 + 0.5. */
export function regressor(features = FEATURES): Uint8Array {
  return encodeLinearRegressionModel({
    weights: features.map((_, i) => [1, 2, -1][i] ?? 0.1),
    bias: 0.5,
    features,
  });
}

/** The model with some metadata_props removed, or its input shape replaced. */
export function editModel(
  bytes: Uint8Array,
  edit: { dropMetadata?: string[]; inputShape?: (number | string)[] },
): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  if (edit.dropMetadata !== undefined) {
    model.metadataProps = model.metadataProps.filter((p) => !edit.dropMetadata?.includes(p.key ?? ""));
  }
  const input = model.graph?.input?.[0];
  if (edit.inputShape !== undefined && input?.type?.tensorType) {
    input.type.tensorType.shape = {
      dim: edit.inputShape.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })),
    };
  }
  return onnx.ModelProto.encode(model).finish();
}

/** Deterministic rows: x1..x3 in [0, 1), the label the class of the largest value (with some noise). */
export function classificationRows(count: number): string[][] {
  const rows: string[][] = [];
  let state = 12345;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  for (let i = 0; i < count; i++) {
    const x = [next(), next(), next()];
    let best = x.indexOf(Math.max(...x));
    if (next() < 0.2) best = (best + 1) % 3;
    rows.push([...x.map((v) => v.toFixed(4)), CLASSES[best] as string]);
  }
  return rows;
}

/** Rows of x1..x3 and a target y = x1 + 2·x2 − x3 + 0.5 + noise. */
export function regressionRows(count: number): string[][] {
  return classificationRows(count).map(([x1, x2, x3], i) => {
    const y = Number(x1) + 2 * Number(x2) - Number(x3) + 0.5 + ((i % 7) - 3) * 0.01;
    return [x1 as string, x2 as string, x3 as string, y.toFixed(4)];
  });
}

export function writeCsv(dir: string, name: string, header: string[], rows: string[][]): string {
  const path = join(dir, name);
  writeFileSync(path, `${[header, ...rows].map((row) => row.join(",")).join("\n")}\n`);
  return path;
}

export function writeModel(dir: string, name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

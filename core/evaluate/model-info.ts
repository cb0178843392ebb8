/** What `modelci evaluate` knows about an ONNX model before it runs it (decoded from the file). */

export type Task = "classification" | "regression";

export const TASKS: readonly Task[] = ["classification", "regression"];

/** One graph input or output. */
export interface TensorInfo {
  name: string;
  /** Element type as onnxruntime names it (`float32`, `int64`, `string`…), or the kind of a non-tensor (`sequence`, `map`). */
  type: string;
  /** Dimensions: numbers, names of symbolic dimensions, or "?" for an unnamed unknown one; undefined when the rank is unknown. */
  shape: (number | string)[] | undefined;
}

export interface ModelInfo {
  /** The path as the user gave it, for messages. */
  path: string;
  bytes: number;
  sha256: string;
  irVersion: number;
  /** Version of the default ("" / ai.onnx) opset; undefined when the model imports none. */
  opset: number | undefined;
  producer: string;
  /** Graph inputs that are not initializers, in graph order. */
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  /** Every metadata_props entry. */
  metadata: Record<string, string>;
  /** `modelci.features`: input column names, in input order. */
  features: string[] | undefined;
  /** `modelci.classes`: class names, in output column order. */
  classes: string[] | undefined;
  /** `modelci.task`. */
  task: Task | undefined;
}

/** `[N, 7]`, `[?]`, or `[unknown rank]`, for messages. */
export function formatShape(shape: TensorInfo["shape"]): string {
  return shape === undefined ? "[unknown rank]" : `[${shape.join(", ")}]`;
}

/** `features` float32 [N, 7], for messages. */
export function describeTensor(tensor: TensorInfo): string {
  return `\`${tensor.name}\` ${tensor.type} ${formatShape(tensor.shape)}`;
}

/**
 * Reads an ONNX file's signature and modelci metadata without running it: the ModelProto decoded
 * with a small protobuf reader (decode-protobuf.ts), checked enough that a text file, a truncated download or some other protobuf is
 * reported as "not an ONNX model" instead of failing later inside onnxruntime.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { UserError } from "../../core/errors.ts";
import { type ModelInfo, TASKS, type Task, type TensorInfo } from "../../core/evaluate/model-info.ts";
import { Message, TruncatedError } from "./decode-protobuf.ts";

/** What is read of a ModelProto (field numbers from onnx.proto). */
interface DecodedModel {
  irVersion: number;
  producer: string;
  hasGraph: boolean;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  opset: number | undefined;
  metadata: Record<string, string>;
}

/** onnxruntime's names for TensorProto.DataType values. */
const ELEMENT_TYPES: Record<number, string> = {
  1: "float32",
  2: "uint8",
  3: "int8",
  4: "uint16",
  5: "int16",
  6: "int32",
  7: "int64",
  8: "string",
  9: "bool",
  10: "float16",
  11: "float64",
  12: "uint32",
  13: "uint64",
  14: "complex64",
  15: "complex128",
  16: "bfloat16",
};

/** The model file's bytes (to hand to onnxruntime) and what they declare. */
export async function readModelInfo(path: string): Promise<{ info: ModelInfo; bytes: Uint8Array }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UserError(`${path}: no such model file`, { cause: error });
    if (code === "EISDIR") throw new UserError(`${path}: is a directory, expected an ONNX file`);
    if (code === "EACCES" || code === "EPERM") throw new UserError(`${path}: permission denied`);
    throw error;
  }
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  return { info: decodeModelInfo(path, bytes, sha256), bytes };
}

/** Decodes and checks a ModelProto; anything that is not a usable ONNX model is a UserError. */
export function decodeModelInfo(path: string, bytes: Uint8Array, sha256: string): ModelInfo {
  const notOnnx = (why: string, cause?: unknown) =>
    new UserError(`${path}: not an ONNX model (${why})`, { cause });
  if (bytes.length === 0) throw notOnnx("the file is empty");
  let model: DecodedModel;
  try {
    model = decodeModel(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw notOnnx(
      error instanceof TruncatedError
        ? "the file ends in the middle of the model: truncated?"
        : `cannot decode it: ${reason}`,
      error,
    );
  }
  const { irVersion, inputs, outputs, metadata } = model;
  if (irVersion < 1 || !model.hasGraph) {
    throw notOnnx(irVersion < 1 ? "no IR version" : "no graph");
  }
  if (outputs.length === 0) throw notOnnx("the graph has no outputs");
  return {
    path,
    bytes: bytes.length,
    sha256,
    irVersion,
    opset: model.opset,
    producer: model.producer,
    inputs,
    outputs,
    metadata,
    features: readNameList(path, metadata, "modelci.features"),
    classes: readNameList(path, metadata, "modelci.classes"),
    task: readTask(path, metadata),
  };
}

/** ModelProto: ir_version 1, producer_name 2, producer_version 3, graph 7, opset_import 8, metadata_props 14. */
function decodeModel(bytes: Uint8Array): DecodedModel {
  const model = new Message(bytes);
  const graph = model.message(7);
  // GraphProto: initializer 5 (TensorProto, name 8), input 11, output 12.
  const initializers = new Set((graph?.messages(5) ?? []).map((t) => t.string(8) ?? ""));
  const inputs = (graph?.messages(11) ?? [])
    .filter((v) => !initializers.has(v.string(1) ?? ""))
    .map(toTensorInfo);
  const outputs = (graph?.messages(12) ?? []).map(toTensorInfo);
  // OperatorSetIdProto: domain 1, version 2.
  const opsetEntry = model.messages(8).find((o) => (o.string(1) ?? "") === "" || o.string(1) === "ai.onnx");
  const metadata: Record<string, string> = {};
  for (const entry of model.messages(14)) {
    const key = entry.string(1);
    if (key) metadata[key] = entry.string(2) ?? "";
  }
  return {
    irVersion: model.int(1) ?? 0,
    producer: [model.string(2), model.string(3)].filter(Boolean).join(" "),
    hasGraph: graph !== undefined,
    inputs,
    outputs,
    opset: opsetEntry === undefined ? undefined : (opsetEntry.int(2) ?? 0),
    metadata,
  };
}

/** ValueInfoProto: name 1, type 2. TypeProto: tensor_type 1, sequence 4, map 5, sparse 8, optional 9. */
function toTensorInfo(value: Message): TensorInfo {
  const name = value.string(1) ?? "";
  const type = value.message(2);
  const tensor = type?.message(1);
  if (tensor === undefined) {
    const kind = type?.has(4)
      ? "sequence"
      : type?.has(5)
        ? "map"
        : type?.has(9)
          ? "optional"
          : type?.has(8)
            ? "sparse-tensor"
            : "unknown";
    return { name, type: kind, shape: undefined };
  }
  // Tensor: elem_type 1, shape 2 (TensorShapeProto: dim 1; Dimension: dim_value 1, dim_param 2).
  const elemType = tensor.int(1) ?? 0;
  const shape = tensor.has(2)
    ? (tensor.message(2)?.messages(1) ?? []).map((dim): number | string => {
        const param = dim.string(2);
        if (param) return param;
        return dim.int(1) ?? "?";
      })
    : undefined;
  return { name, type: ELEMENT_TYPES[elemType] ?? `type-${elemType}`, shape };
}

/** A metadata entry holding a JSON array of distinct, non-empty strings, or undefined when absent. */
function readNameList(path: string, metadata: Record<string, string>, key: string): string[] | undefined {
  const text = metadata[key];
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    value.some((v) => typeof v !== "string" || v === "") ||
    new Set(value).size !== value.length
  ) {
    throw new UserError(
      `${path}: metadata ${key} must be a JSON array of distinct non-empty strings, got ${JSON.stringify(text.slice(0, 200))}`,
    );
  }
  return value as string[];
}

function readTask(path: string, metadata: Record<string, string>): Task | undefined {
  const task = metadata["modelci.task"];
  if (task === undefined) return undefined;
  if (!TASKS.includes(task as Task)) {
    throw new UserError(
      `${path}: metadata modelci.task must be ${TASKS.join(" or ")}, got ${JSON.stringify(task)}`,
    );
  }
  return task as Task;
}

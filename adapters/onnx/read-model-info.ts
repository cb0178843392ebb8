/**
 * Reads an ONNX file's signature and modelci metadata without running it: the ModelProto decoded
 * with onnx-proto, checked enough that a text file, a truncated download or some other protobuf is
 * reported as "not an ONNX model" instead of failing later inside onnxruntime.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { onnx as OnnxTypes } from "onnx-proto";
import onnxProto from "onnx-proto";
import { UserError } from "../../core/errors.ts";
import { type ModelInfo, TASKS, type Task, type TensorInfo } from "../../core/evaluate/model-info.ts";

const { onnx } = onnxProto;

type Long = { toNumber(): number };

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
  let model: OnnxTypes.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const truncated = /index out of range/.test(reason);
    throw notOnnx(
      truncated ? "the file ends in the middle of the model: truncated?" : `cannot decode it: ${reason}`,
      error,
    );
  }
  const irVersion = toNumber(model.irVersion);
  const graph = model.graph;
  if (irVersion < 1 || graph === null || graph === undefined) {
    throw notOnnx(irVersion < 1 ? "no IR version" : "no graph");
  }
  const outputs = (graph.output ?? []).map(toTensorInfo);
  if (outputs.length === 0) throw notOnnx("the graph has no outputs");
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name ?? ""));
  const inputs = (graph.input ?? []).filter((v) => !initializers.has(v.name ?? "")).map(toTensorInfo);
  const opsetEntry = (model.opsetImport ?? []).find((o) => (o.domain ?? "") === "" || o.domain === "ai.onnx");
  const metadata: Record<string, string> = {};
  for (const { key, value } of model.metadataProps ?? []) if (key) metadata[key] = value ?? "";
  return {
    path,
    bytes: bytes.length,
    sha256,
    irVersion,
    opset: opsetEntry === undefined ? undefined : toNumber(opsetEntry.version),
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(" "),
    inputs,
    outputs,
    metadata,
    features: readNameList(path, metadata, "modelci.features"),
    classes: readNameList(path, metadata, "modelci.classes"),
    task: readTask(path, metadata),
  };
}

function toTensorInfo(value: OnnxTypes.IValueInfoProto): TensorInfo {
  const name = value.name ?? "";
  const type = value.type;
  const tensor = type?.tensorType;
  if (tensor === null || tensor === undefined) {
    const kind = type?.sequenceType
      ? "sequence"
      : type?.mapType
        ? "map"
        : type?.optionalType
          ? "optional"
          : type?.sparseTensorType
            ? "sparse-tensor"
            : "unknown";
    return { name, type: kind, shape: undefined };
  }
  const elemType = tensor.elemType ?? 0;
  const shape = tensor.shape
    ? (tensor.shape.dim ?? []).map((dim): number | string =>
        dim.dimParam
          ? dim.dimParam
          : dim.dimValue !== null && dim.dimValue !== undefined
            ? toNumber(dim.dimValue)
            : "?",
      )
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

function toNumber(value: number | Long | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === "number" ? value : value.toNumber();
}

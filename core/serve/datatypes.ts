/** Open Inference Protocol datatypes and the ONNX element types (as onnxruntime names them) they carry. */

export type OipDatatype =
  | "BOOL"
  | "UINT8"
  | "UINT16"
  | "UINT32"
  | "UINT64"
  | "INT8"
  | "INT16"
  | "INT32"
  | "INT64"
  | "FP16"
  | "FP32"
  | "FP64"
  | "BYTES";

const BY_ONNX_TYPE: Record<string, OipDatatype> = {
  bool: "BOOL",
  uint8: "UINT8",
  uint16: "UINT16",
  uint32: "UINT32",
  uint64: "UINT64",
  int8: "INT8",
  int16: "INT16",
  int32: "INT32",
  int64: "INT64",
  float16: "FP16",
  float32: "FP32",
  float64: "FP64",
  string: "BYTES",
};

/** The OIP datatype of an ONNX element type, or undefined for one the protocol cannot carry. */
export function toOipDatatype(onnxType: string): OipDatatype | undefined {
  return BY_ONNX_TYPE[onnxType];
}

/** Shape as OIP metadata writes it: symbolic or unknown dimensions are -1. */
export function toOipShape(shape: readonly (number | string)[] | undefined): number[] {
  return (shape ?? []).map((dim) => (typeof dim === "number" && dim > 0 ? dim : -1));
}

/** The inclusive range of an integer datatype, as JavaScript numbers (64-bit types: the safe integers). */
export const INTEGER_RANGES: Partial<Record<OipDatatype, [number, number]>> = {
  UINT8: [0, 255],
  UINT16: [0, 65535],
  UINT32: [0, 4294967295],
  UINT64: [0, Number.MAX_SAFE_INTEGER],
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
  INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** The largest finite float32 and float16. */
export const FLOAT_MAX: Partial<Record<OipDatatype, number>> = {
  FP32: 3.4028234663852886e38,
  FP16: 65504,
  FP64: Number.MAX_VALUE,
};

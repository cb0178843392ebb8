/**
 * Checks an Open Inference Protocol infer request against a model's signature and decodes each
 * input's data into the typed array onnxruntime takes. Every refusal is a 400 that names the
 * input, what the model expects (datatype and shape) and what the request sent.
 */
import type { TensorInfo } from "../evaluate/model-info.ts";
import { FLOAT_MAX, INTEGER_RANGES, type OipDatatype, toOipDatatype, toOipShape } from "./datatypes.ts";
import { RequestError } from "./request-error.ts";

export type TensorData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | string[];

/** One input, ready for onnxruntime. */
export interface DecodedInput {
  name: string;
  /** ONNX element type (`float32`…). */
  type: string;
  dims: number[];
  data: TensorData;
}

export interface DecodedRequest {
  id: string | undefined;
  inputs: DecodedInput[];
  /** Output names the client asked for; undefined for every output. */
  outputs: string[] | undefined;
}

const bad = (message: string) => new RequestError(400, message);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

const shapeText = (shape: readonly number[]) => `[${shape.join(", ")}]`;

/** The request's inputs checked against the model's inputs and outputs. */
export function validateInferRequest(
  body: unknown,
  signature: { inputs: readonly TensorInfo[]; outputs: readonly TensorInfo[] },
): DecodedRequest {
  if (!isRecord(body)) throw bad(`request body must be a JSON object with \`inputs\`, got ${describe(body)}`);
  const { id, inputs, outputs } = body;
  if (id !== undefined && typeof id !== "string") throw bad(`\`id\` must be a string, got ${describe(id)}`);
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw bad(
      `\`inputs\` must be a non-empty array of {name, shape, datatype, data}, got ${describe(inputs)}; the model takes ${expectedInputs(signature.inputs)}`,
    );
  }
  const byName = new Map(signature.inputs.map((tensor) => [tensor.name, tensor]));
  const decoded = new Map<string, DecodedInput>();
  inputs.forEach((input, index) => {
    if (!isRecord(input)) throw bad(`inputs[${index}] must be an object, got ${describe(input)}`);
    const name = input.name;
    if (typeof name !== "string") throw bad(`inputs[${index}].name must be a string, got ${describe(name)}`);
    const tensor = byName.get(name);
    if (tensor === undefined) {
      throw bad(`unknown input ${JSON.stringify(name)}; the model takes ${expectedInputs(signature.inputs)}`);
    }
    if (decoded.has(name)) throw bad(`input ${JSON.stringify(name)} is given twice`);
    decoded.set(name, decodeInput(input, tensor));
  });
  const missing = signature.inputs.filter((tensor) => !decoded.has(tensor.name));
  if (missing.length > 0) {
    throw bad(
      `missing input ${missing.map((t) => JSON.stringify(t.name)).join(", ")}: expected ${expectedInputs(missing)}`,
    );
  }
  return {
    id,
    inputs: signature.inputs.map((tensor) => decoded.get(tensor.name) as DecodedInput),
    outputs: requestedOutputs(outputs, signature.outputs),
  };
}

function expectedInputs(inputs: readonly TensorInfo[]): string {
  return inputs
    .map(
      (t) => `${JSON.stringify(t.name)} ${toOipDatatype(t.type) ?? t.type} ${shapeText(toOipShape(t.shape))}`,
    )
    .join(", ");
}

function requestedOutputs(outputs: unknown, declared: readonly TensorInfo[]): string[] | undefined {
  if (outputs === undefined) return undefined;
  if (!Array.isArray(outputs)) throw bad(`\`outputs\` must be an array of {name}, got ${describe(outputs)}`);
  const names = declared.map((t) => t.name);
  return outputs.map((output, index) => {
    const name = isRecord(output) ? output.name : undefined;
    if (typeof name !== "string") throw bad(`outputs[${index}].name must be a string`);
    if (!names.includes(name)) {
      throw bad(
        `unknown output ${JSON.stringify(name)}; the model has ${names.map((n) => JSON.stringify(n)).join(", ")}`,
      );
    }
    return name;
  });
}

function decodeInput(input: Record<string, unknown>, tensor: TensorInfo): DecodedInput {
  const label = `input ${JSON.stringify(tensor.name)}`;
  const expectedType = toOipDatatype(tensor.type);
  const expectedShape = toOipShape(tensor.shape);
  const expected = `${expectedType ?? tensor.type} ${shapeText(expectedShape)}`;
  if (expectedType === undefined)
    throw bad(`${label}: the model takes ${tensor.type}, which OIP cannot carry`);
  const { datatype, shape, data } = input;
  if (datatype !== expectedType) {
    throw bad(
      `${label}: expected datatype ${expectedType} (shape ${shapeText(expectedShape)}), got ${describe(datatype)}`,
    );
  }
  if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || (d as number) < 0)) {
    throw bad(
      `${label}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}; expected ${expected}`,
    );
  }
  const dims = shape as number[];
  const fits =
    tensor.shape === undefined ||
    (dims.length === expectedShape.length && expectedShape.every((d, i) => d === -1 || d === dims[i]));
  if (!fits) throw bad(`${label}: shape ${shapeText(dims)} does not match the model's ${expected}`);
  const count = dims.reduce((product, d) => product * d, 1);
  const values = flatten(data, dims.length, label);
  if (values.length !== count) {
    throw bad(
      `${label}: shape ${shapeText(dims)} holds ${count} values, but \`data\` has ${values.length}; expected ${expected}`,
    );
  }
  return { name: tensor.name, type: tensor.type, dims, data: toTypedData(values, expectedType, label) };
}

/** Row-major data, flat or nested at most `rank` levels, as one flat list. */
function flatten(data: unknown, rank: number, label: string): unknown[] {
  if (!Array.isArray(data)) throw bad(`${label}: \`data\` must be an array, got ${describe(data)}`);
  if (!data.some(Array.isArray)) return data;
  const out: unknown[] = [];
  const walk = (value: unknown[], level: number) => {
    if (level > rank) throw bad(`${label}: \`data\` nests deeper than its shape's ${rank} dimensions`);
    for (const item of value) {
      if (Array.isArray(item)) walk(item, level + 1);
      else out.push(item);
    }
  };
  walk(data, 1);
  return out;
}

function toTypedData(values: unknown[], datatype: OipDatatype, label: string): TensorData {
  const at = (i: number) => `${label}: data[${i}]`;
  if (datatype === "BYTES") {
    return values.map((v, i) => {
      if (typeof v !== "string") throw bad(`${at(i)} must be a string (BYTES), got ${describe(v)}`);
      return v;
    });
  }
  if (datatype === "BOOL") {
    const out = new Uint8Array(values.length);
    values.forEach((v, i) => {
      if (typeof v !== "boolean") throw bad(`${at(i)} must be true or false (BOOL), got ${describe(v)}`);
      out[i] = v ? 1 : 0;
    });
    return out;
  }
  const numbers = new Float64Array(values.length);
  const max = FLOAT_MAX[datatype];
  const range = INTEGER_RANGES[datatype];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number") throw bad(`${at(i)} must be a number (${datatype}), got ${describe(v)}`);
    if (max !== undefined && Math.abs(v) > max) {
      throw bad(`${at(i)} is ${v}, outside the ${datatype} range (±${max})`);
    }
    if (range !== undefined && (!Number.isInteger(v) || v < range[0] || v > range[1])) {
      throw bad(`${at(i)} is ${v}; ${datatype} takes integers from ${range[0]} to ${range[1]}`);
    }
    numbers[i] = v;
  }
  switch (datatype) {
    case "FP32":
      return Float32Array.from(numbers);
    case "FP64":
      return numbers;
    case "INT8":
      return Int8Array.from(numbers);
    case "INT16":
      return Int16Array.from(numbers);
    case "INT32":
      return Int32Array.from(numbers);
    case "INT64":
      return BigInt64Array.from(numbers, (n) => BigInt(n));
    case "UINT8":
      return Uint8Array.from(numbers);
    case "UINT16":
      return Uint16Array.from(numbers);
    case "UINT32":
      return Uint32Array.from(numbers);
    case "UINT64":
      return BigUint64Array.from(numbers, (n) => BigInt(n));
    default:
      throw bad(`${label}: datatype ${datatype} is not supported by this server`);
  }
}

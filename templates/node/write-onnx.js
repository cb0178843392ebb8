// Writes a standardised linear model as an ONNX file, with no dependency: the few protobuf
// messages it needs are encoded by hand. The graph follows modelci's contract for tabular models
// (docs/trainers.md in modelci):
//
//   features       float32 [N, F]   the feature columns, in the order of metadata modelci.features
//   probabilities  float32 [N, C]   classification: Softmax(((features - mean) / scale) W + b)
//   prediction     float32 [N, 1]   regression: ((features - mean) / scale) W + b

/** @param {number} value a non-negative integer */
function varint(value) {
  const bytes = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** A varint field. */
const int = (field, value) => Buffer.concat([varint(field * 8), varint(value)]);
/** A length-delimited field: bytes, a string or an embedded message. */
const bytes = (field, value) => {
  const payload = typeof value === "string" ? Buffer.from(value, "utf8") : value;
  return Buffer.concat([varint(field * 8 + 2), varint(payload.length), payload]);
};
const FLOAT = 1;

/** TensorProto: a float32 initializer. */
function tensor(name, dims, values) {
  const raw = Buffer.from(new Float32Array(values).buffer);
  return Buffer.concat([...dims.map((d) => int(1, d)), int(2, FLOAT), bytes(8, name), bytes(9, raw)]);
}

/** ValueInfoProto: a float tensor with dimensions that are numbers or names. */
function valueInfo(name, dims) {
  const dim = (d) => bytes(1, typeof d === "number" ? int(1, d) : bytes(2, d));
  const shape = bytes(2, Buffer.concat(dims.map(dim)));
  return Buffer.concat([bytes(1, name), bytes(2, bytes(1, Buffer.concat([int(1, FLOAT), shape])))]);
}

/** NodeProto. */
function node(op, inputs, outputs) {
  return Buffer.concat([...inputs.map((i) => bytes(1, i)), ...outputs.map((o) => bytes(2, o)), bytes(4, op)]);
}

/**
 * @param {{ weights: number[][], bias: number[], mean: number[], scale: number[], features: string[],
 *   classes?: string[], task: "classification" | "regression" }} model weights: [F][outputs]
 * @returns {Buffer} the ONNX file's bytes
 */
export function encodeLinearModel({ weights, bias, mean, scale, features, classes, task }) {
  const width = bias.length;
  const output = task === "classification" ? "probabilities" : "prediction";
  const nodes = [
    node("Sub", ["features", "mean"], ["centred"]),
    node("Div", ["centred", "scale"], ["standardised"]),
    node("MatMul", ["standardised", "weights"], ["product"]),
    node("Add", ["product", "bias"], [task === "classification" ? "logits" : output]),
  ];
  if (task === "classification") nodes.push(node("Softmax", ["logits"], [output]));
  const graph = Buffer.concat([
    ...nodes.map((n) => bytes(1, n)),
    bytes(2, "linear-model"),
    bytes(5, tensor("mean", [features.length], mean)),
    bytes(5, tensor("scale", [features.length], scale)),
    bytes(5, tensor("weights", [features.length, width], weights.flat())),
    bytes(5, tensor("bias", [width], bias)),
    bytes(11, valueInfo("features", ["N", features.length])),
    bytes(12, valueInfo(output, ["N", width])),
  ]);
  const metadata = { "modelci.task": task, "modelci.features": JSON.stringify(features) };
  if (classes) metadata["modelci.classes"] = JSON.stringify(classes);
  return Buffer.concat([
    int(1, 8), // IR version 8
    bytes(2, "modelci-template"),
    bytes(7, graph),
    bytes(8, Buffer.concat([bytes(1, ""), int(2, 13)])), // opset 13 of the default domain
    ...Object.entries(metadata).map(([key, value]) =>
      bytes(14, Buffer.concat([bytes(1, key), bytes(2, value)])),
    ),
  ]);
}

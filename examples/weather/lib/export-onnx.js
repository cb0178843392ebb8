// Encodes linear models as ONNX (ir_version 8, opset 13) with the metadata modelci reads:
//
//   features [N, F] float32 → Sub(mean) → Div(scale) → MatMul(W [F, K]) → Add(b [K]) → [Softmax] → output
//
// metadata_props: modelci.task, modelci.features (JSON array, input column order) and, for
// classifiers, modelci.classes (JSON array, output column order).

import onnxProto from "onnx-proto";

const { onnx } = onnxProto;

const IR_VERSION = 8;
const OPSET = 13;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT = onnx.AttributeProto.AttributeType.INT;

/**
 * @typedef {object} SoftmaxRegressionModel
 * @property {number[][]} weights one row per class, one column per feature: logit[c] = sum_f weights[c][f] * z[f] + bias[c]
 * @property {number[]} bias one per class
 * @property {number[]} [mean] per feature, subtracted first (default 0)
 * @property {number[]} [scale] per feature, divided by after the mean (default 1): z = (x - mean) / scale
 * @property {string[]} features input column names, in input order
 * @property {string[]} classes class names, in output column order
 * @property {Record<string, string>} [metadata] extra metadata_props (the modelci.* keys set here win)
 */

/**
 * @typedef {object} LinearRegressionModel
 * @property {number[]} weights one per feature: prediction = sum_f weights[f] * z[f] + bias
 * @property {number} bias
 * @property {number[]} [mean] per feature (default 0)
 * @property {number[]} [scale] per feature (default 1): z = (x - mean) / scale
 * @property {string[]} features input column names, in input order
 * @property {Record<string, string>} [metadata] extra metadata_props
 */

/**
 * A classifier: input `features` float32 [N, F], output `probabilities` float32 [N, C], rows summing to 1.
 * @param {SoftmaxRegressionModel} model
 * @returns {Uint8Array} the encoded ModelProto
 */
export function encodeSoftmaxRegressionModel({ weights, bias, mean, scale, features, classes, metadata }) {
  checkNames("features", features, 1);
  checkNames("classes", classes, 2);
  if (!Array.isArray(weights) || weights.length !== classes.length) {
    throw new Error(`weights has ${weights?.length ?? 0} rows, expected one per class (${classes.length})`);
  }
  for (const [c, row] of weights.entries()) checkNumbers(`weights[${c}]`, row, features.length);
  checkNumbers("bias", bias, classes.length);
  return encodeLinearGraph({
    name: "softmax_regression",
    features,
    mean,
    scale,
    // ONNX wants [F, C]: one row per feature.
    matrix: features.map((_, f) => weights.map((row) => row[f] ?? 0)),
    bias,
    output: "probabilities",
    softmax: true,
    metadata: { ...metadata, "modelci.task": "classification", "modelci.classes": JSON.stringify(classes) },
  });
}

/**
 * A regressor: input `features` float32 [N, F], output `prediction` float32 [N, 1].
 * @param {LinearRegressionModel} model
 * @returns {Uint8Array} the encoded ModelProto
 */
export function encodeLinearRegressionModel({ weights, bias, mean, scale, features, metadata }) {
  checkNames("features", features, 1);
  checkNumbers("weights", weights, features.length);
  checkNumbers("bias", [bias], 1);
  return encodeLinearGraph({
    name: "linear_regression",
    features,
    mean,
    scale,
    matrix: weights.map((w) => [w]),
    bias: [bias],
    output: "prediction",
    softmax: false,
    metadata: { ...metadata, "modelci.task": "regression" },
  });
}

/**
 * @param {{
 *   name: string, features: string[], mean?: number[], scale?: number[],
 *   matrix: number[][], bias: number[], output: string, softmax: boolean,
 *   metadata: Record<string, string>,
 * }} spec matrix is [F, K]
 * @returns {Uint8Array}
 */
function encodeLinearGraph({ name, features, mean, scale, matrix, bias, output, softmax, metadata }) {
  const width = features.length;
  const center = mean ?? new Array(width).fill(0);
  const divisor = scale ?? new Array(width).fill(1);
  checkNumbers("mean", center, width);
  checkNumbers("scale", divisor, width);
  if (divisor.some((s) => s === 0)) throw new Error("scale must not contain 0");
  const outputs = bias.length;

  const nodes = [
    node("Sub", ["features", "mean"], ["centered"]),
    node("Div", ["centered", "scale"], ["standardized"]),
    node("MatMul", ["standardized", "weights"], ["weighted"]),
    node("Add", ["weighted", "bias"], [softmax ? "logits" : output]),
  ];
  if (softmax) nodes.push(node("Softmax", ["logits"], [output], [{ name: "axis", i: -1, type: INT }]));

  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: "", version: OPSET }],
    producerName: "modelci-example",
    producerVersion: "1",
    graph: {
      name,
      node: nodes,
      initializer: [
        tensor("mean", [width], center),
        tensor("scale", [width], divisor),
        tensor("weights", [width, outputs], matrix.flat()),
        tensor("bias", [outputs], bias),
      ],
      input: [valueInfo("features", width)],
      output: [valueInfo(output, outputs)],
    },
    metadataProps: Object.entries({ ...metadata, "modelci.features": JSON.stringify(features) }).map(
      ([key, value]) => ({ key, value }),
    ),
  });
  return onnx.ModelProto.encode(model).finish();
}

/**
 * @param {string} opType
 * @param {string[]} input
 * @param {string[]} output
 * @param {object[]} [attribute]
 */
function node(opType, input, output, attribute = []) {
  return { opType, input, output, name: output[0], attribute };
}

/**
 * @param {string} name
 * @param {number[]} dims
 * @param {number[]} values
 */
function tensor(name, dims, values) {
  return { name, dims, dataType: FLOAT, floatData: values };
}

/**
 * A float32 tensor of shape ["N", width].
 * @param {string} name
 * @param {number} width
 */
function valueInfo(name, width) {
  return {
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: "N" }, { dimValue: width }] } } },
  };
}

/**
 * @param {string} what
 * @param {unknown} values
 * @param {number} length
 */
function checkNumbers(what, values, length) {
  if (!Array.isArray(values) || values.length !== length) {
    throw new Error(`${what} must be an array of ${length} numbers`);
  }
  const bad = values.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
  if (bad !== -1) throw new Error(`${what}[${bad}] is not a finite number: ${String(values[bad])}`);
}

/**
 * @param {string} what
 * @param {unknown} names
 * @param {number} min
 */
function checkNames(what, names, min) {
  if (!Array.isArray(names) || names.length < min || names.some((n) => typeof n !== "string" || n === "")) {
    throw new Error(`${what} must be an array of at least ${min} non-empty strings`);
  }
  if (new Set(names).size !== names.length) throw new Error(`${what} must not repeat a name`);
}

// Types for export-onnx.js, so TypeScript tests can build small real models with it.

export interface SoftmaxRegressionModel {
  /** One row per class, one column per feature: logit[c] = sum_f weights[c][f] * z[f] + bias[c]. */
  weights: number[][];
  /** One per class. */
  bias: number[];
  /** Per feature, subtracted first (default 0). */
  mean?: number[];
  /** Per feature, divided by after the mean (default 1): z = (x - mean) / scale. */
  scale?: number[];
  /** Input column names, in input order (metadata `modelci.features`). */
  features: string[];
  /** Class names, in output column order (metadata `modelci.classes`). */
  classes: string[];
  /** Extra metadata_props; the modelci.* keys set by the encoder win. */
  metadata?: Record<string, string>;
}

export interface LinearRegressionModel {
  /** One per feature: prediction = sum_f weights[f] * z[f] + bias. */
  weights: number[];
  bias: number;
  /** Per feature, subtracted first (default 0). */
  mean?: number[];
  /** Per feature, divided by after the mean (default 1). */
  scale?: number[];
  /** Input column names, in input order (metadata `modelci.features`). */
  features: string[];
  /** Extra metadata_props; the modelci.* keys set by the encoder win. */
  metadata?: Record<string, string>;
}

/** Input `features` float32 ["N", F]; output `probabilities` float32 ["N", C]; `modelci.task` = classification. */
export function encodeSoftmaxRegressionModel(model: SoftmaxRegressionModel): Uint8Array;

/** Input `features` float32 ["N", F]; output `prediction` float32 ["N", 1]; `modelci.task` = regression. */
export function encodeLinearRegressionModel(model: LinearRegressionModel): Uint8Array;

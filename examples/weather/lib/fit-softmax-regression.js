// Multinomial logistic regression (softmax) by full-batch gradient descent.
// Deterministic: weights start at zero and every step uses all rows in order.

/**
 * Per-column mean and standard deviation (1 where a column is constant).
 * @param {number[][]} x rows of features
 * @returns {{ mean: number[], scale: number[] }}
 */
export function computeStandardization(x) {
  const featureCount = x[0]?.length ?? 0;
  const mean = new Array(featureCount).fill(0);
  const variance = new Array(featureCount).fill(0);
  for (const row of x) for (let f = 0; f < featureCount; f++) mean[f] += row[f] / x.length;
  for (const row of x)
    for (let f = 0; f < featureCount; f++) variance[f] += (row[f] - mean[f]) ** 2 / x.length;
  return { mean, scale: variance.map((v) => (v > 0 ? Math.sqrt(v) : 1)) };
}

/**
 * Class probabilities for one standardised row.
 * @param {number[][]} weights one row of feature weights per class
 * @param {number[]} bias one per class
 * @param {number[]} row standardised features
 * @returns {number[]}
 */
export function predictProbabilities(weights, bias, row) {
  const logits = weights.map((w, c) => w.reduce((sum, wf, f) => sum + wf * row[f], bias[c]));
  const max = Math.max(...logits);
  const exps = logits.map((z) => Math.exp(z - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

/**
 * Mean cross-entropy and accuracy of a model on standardised rows.
 * @param {{ weights: number[][], bias: number[] }} model
 * @param {number[][]} z standardised rows
 * @param {number[]} y class index per row
 * @returns {{ accuracy: number, logLoss: number }}
 */
export function scoreModel(model, z, y) {
  let logLoss = 0;
  let correct = 0;
  z.forEach((row, i) => {
    const p = predictProbabilities(model.weights, model.bias, row);
    logLoss -= Math.log(Math.max(p[y[i]], 1e-15)) / z.length;
    if (p.indexOf(Math.max(...p)) === y[i]) correct++;
  });
  return { accuracy: correct / z.length, logLoss };
}

/**
 * Fits weights and biases to standardised rows; the loss minimised is the mean
 * cross-entropy plus (l2 / 2) times the sum of squared weights (biases unpenalised).
 * @param {{
 *   z: number[][], y: number[], classCount: number,
 *   lr: number, epochs: number, l2: number,
 *   onEpoch?: (epoch: number, loss: number) => void,
 * }} options standardised rows `z`, class index per row `y`; `onEpoch` gets the loss before each step
 * @returns {{ weights: number[][], bias: number[] }} weights: one row of feature weights per class
 */
export function fitSoftmaxRegression({ z, y, classCount, lr, epochs, l2, onEpoch }) {
  const n = z.length;
  const width = (z[0]?.length ?? 0) + 1; // features, then the bias
  const rows = Float64Array.from(z.flatMap((row) => [...row, 1]));
  const w = new Float64Array(classCount * width);
  const grad = new Float64Array(classCount * width);
  const p = new Float64Array(classCount);

  for (let epoch = 1; epoch <= epochs; epoch++) {
    grad.fill(0);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const offset = i * width;
      let max = -Infinity;
      for (let c = 0; c < classCount; c++) {
        let logit = 0;
        for (let f = 0; f < width; f++) logit += w[c * width + f] * rows[offset + f];
        p[c] = logit;
        if (logit > max) max = logit;
      }
      let total = 0;
      for (let c = 0; c < classCount; c++) {
        p[c] = Math.exp(p[c] - max);
        total += p[c];
      }
      loss -= Math.log(Math.max(p[y[i]] / total, 1e-15)) / n;
      for (let c = 0; c < classCount; c++) {
        const error = (p[c] / total - (c === y[i] ? 1 : 0)) / n;
        for (let f = 0; f < width; f++) grad[c * width + f] += error * rows[offset + f];
      }
    }
    for (let c = 0; c < classCount; c++) {
      for (let f = 0; f < width - 1; f++) {
        const k = c * width + f;
        loss += (l2 / 2) * w[k] ** 2;
        grad[k] += l2 * w[k];
      }
    }
    for (let k = 0; k < w.length; k++) w[k] -= lr * grad[k];
    onEpoch?.(epoch, loss);
  }

  const weights = Array.from({ length: classCount }, (_, c) =>
    Array.from(w.subarray(c * width, (c + 1) * width - 1)),
  );
  const bias = Array.from({ length: classCount }, (_, c) => w[(c + 1) * width - 1]);
  return { weights, bias };
}

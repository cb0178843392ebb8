#!/usr/bin/env node
// Trains a linear model on data/train.csv: softmax regression (classification) or least squares
// (regression) on standardised features, by full-batch gradient descent. Plain Node.js, no
// dependencies. modelci runs it with the experiment's params (experiments/*.yaml):
//
//   node train.js --task classification --lr 0.1 --epochs 300 --label label --out out
//
// Every column but the label is a feature. Writes <out>/model.onnx and <out>/metrics.json.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { encodeLinearModel } from "./write-onnx.js";

const { values: flags } = parseArgs({
  options: {
    task: { type: "string", default: "classification" },
    lr: { type: "string", default: "0.1" },
    epochs: { type: "string", default: "300" },
    label: { type: "string", default: "label" },
    train: { type: "string", default: "data/train.csv" },
    out: { type: "string", default: "out" },
  },
});
const lr = Number(flags.lr);
const epochs = Number(flags.epochs);
if (!(lr > 0) || !Number.isInteger(epochs) || epochs < 1) throw new Error("--lr > 0 and --epochs >= 1");
const classification = flags.task === "classification";

const [header = "", ...lines] = readFileSync(flags.train, "utf8").trim().split("\n");
const columns = header.split(",");
const labelAt = columns.indexOf(flags.label);
if (labelAt < 0) throw new Error(`${flags.train}: no column ${flags.label}`);
const features = columns.filter((_, i) => i !== labelAt);
const rows = lines.map((line) => line.split(","));
const x = rows.map((cells) => cells.filter((_, i) => i !== labelAt).map(Number));
const labels = rows.map((cells) => cells[labelAt] ?? "");
const classes = classification ? [...new Set(labels)].sort() : undefined;
const width = classes ? classes.length : 1;
const targets = labels.map((label) =>
  classes ? classes.map((c) => (c === label ? 1 : 0)) : [Number(label)],
);

const mean = features.map((_, f) => x.reduce((sum, row) => sum + row[f], 0) / x.length);
const scale = features.map((_, f) => {
  const variance = x.reduce((sum, row) => sum + (row[f] - mean[f]) ** 2, 0) / x.length;
  return Math.sqrt(variance) || 1;
});
const z = x.map((row) => row.map((value, f) => (value - mean[f]) / scale[f]));

const weights = features.map(() => new Array(width).fill(0));
const bias = new Array(width).fill(0);
/** The model's outputs for one standardised row. */
function predict(row) {
  const out = bias.map((b, k) => b + row.reduce((sum, value, f) => sum + value * weights[f][k], 0));
  if (!classes) return out;
  const top = Math.max(...out);
  const exp = out.map((v) => Math.exp(v - top));
  const total = exp.reduce((a, b) => a + b, 0);
  return exp.map((v) => v / total);
}
for (let epoch = 0; epoch < epochs; epoch += 1) {
  const gradW = features.map(() => new Array(width).fill(0));
  const gradB = new Array(width).fill(0);
  z.forEach((row, i) => {
    const error = predict(row).map((p, k) => p - targets[i][k]);
    error.forEach((e, k) => {
      gradB[k] += e / z.length;
      row.forEach((value, f) => {
        gradW[f][k] += (e * value) / z.length;
      });
    });
  });
  bias.forEach((_, k) => {
    bias[k] -= lr * gradB[k];
  });
  weights.forEach((w, f) => {
    w.forEach((_, k) => {
      w[k] -= lr * gradW[f][k];
    });
  });
}

const outputs = z.map(predict);
const metrics = classes
  ? {
      train_accuracy:
        outputs.filter((p, i) => classes[p.indexOf(Math.max(...p))] === labels[i]).length / z.length,
    }
  : { train_rmse: Math.sqrt(outputs.reduce((s, p, i) => s + (p[0] - targets[i][0]) ** 2, 0) / z.length) };
mkdirSync(flags.out, { recursive: true });
writeFileSync(
  join(flags.out, "model.onnx"),
  encodeLinearModel({ weights, bias, mean, scale, features, classes, task: flags.task }),
);
writeFileSync(join(flags.out, "metrics.json"), `${JSON.stringify(metrics, null, 2)}\n`);
console.log(`trained on ${z.length} rows: ${JSON.stringify(metrics)}`);

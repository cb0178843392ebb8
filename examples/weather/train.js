#!/usr/bin/env node
// Trains the weather classifier: multinomial logistic regression on standardised features,
// full-batch gradient descent with L2, deterministic (weights start at zero, no sampling).
//
//   node train.js [--lr 1] [--epochs 1000] [--l2 0.001] [--train data/train.csv] [--out out]
//
// Writes <out>/model.onnx (input `features`, output `probabilities`) and <out>/metrics.json.
// Paths are relative to the current directory.

import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { encodeSoftmaxRegressionModel } from "./lib/export-onnx.js";
import { computeStandardization, fitSoftmaxRegression, scoreModel } from "./lib/fit-softmax-regression.js";
import { readCsv } from "./lib/read-csv.js";

/** The model's input columns, in input order. */
const FEATURES = [
  "precipitation",
  "temp_max",
  "temp_min",
  "wind",
  "precipitation_log1p",
  "month_sin",
  "month_cos",
];
const LABEL = "weather";

const USAGE =
  "usage: node train.js [--lr <number>] [--epochs <int>] [--l2 <number>] [--train <path>] [--out <dir>]";

/**
 * @param {string[]} args command-line arguments, without node and the script
 * @returns {{ lr: number, epochs: number, l2: number, train: string, out: string }}
 */
function parseFlags(args) {
  const { values } = parseArgs({
    args,
    options: {
      lr: { type: "string", default: "1" },
      epochs: { type: "string", default: "1000" },
      l2: { type: "string", default: "0.001" },
      train: { type: "string", default: "data/train.csv" },
      out: { type: "string", default: "out" },
    },
    strict: true,
    allowPositionals: false,
  });
  const lr = Number(values.lr);
  if (values.lr.trim() === "" || !Number.isFinite(lr) || lr <= 0) {
    throw new Error(`--lr must be a positive number, got "${values.lr}"`);
  }
  const epochs = Number(values.epochs);
  if (!/^\d+$/.test(values.epochs) || !Number.isSafeInteger(epochs) || epochs < 1) {
    throw new Error(`--epochs must be a positive integer, got "${values.epochs}"`);
  }
  const l2 = Number(values.l2);
  if (values.l2.trim() === "" || !Number.isFinite(l2) || l2 < 0) {
    throw new Error(`--l2 must be a number >= 0, got "${values.l2}"`);
  }
  return { lr, epochs, l2, train: values.train, out: values.out };
}

/**
 * @param {string} path a CSV file with the FEATURES columns and the LABEL column
 * @returns {Promise<{ x: number[][], labels: string[] }>}
 */
async function readTrainingData(path) {
  const text = await readFile(path, "utf8").catch((/** @type {NodeJS.ErrnoException} */ error) => {
    throw new Error(
      error.code === "ENOENT" ? `training data not found: ${path}` : `${path}: ${error.message}`,
    );
  });
  const { columns, rows } = readCsv(text, path);
  const missing = [...FEATURES, LABEL].filter((column) => !columns.includes(column));
  if (missing.length > 0) throw new Error(`${path}: missing column(s) ${missing.join(", ")}`);
  if (rows.length === 0) throw new Error(`${path}: no rows`);
  const x = rows.map((row, i) =>
    FEATURES.map((name) => {
      const value = Number(row[name]);
      if (row[name] === "" || !Number.isFinite(value)) {
        throw new Error(`${path}:${i + 2}: ${name} is not a number: "${row[name]}"`);
      }
      return value;
    }),
  );
  return { x, labels: rows.map((row) => row[LABEL]) };
}

/** @param {number} value */
function round6(value) {
  return Math.round(value * 1e6) / 1e6;
}

async function main() {
  const flags = (() => {
    try {
      return parseFlags(process.argv.slice(2));
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    }
  })();
  const started = performance.now();
  const { x, labels } = await readTrainingData(flags.train);
  const classes = [...new Set(labels)].sort();
  if (classes.length < 2)
    throw new Error(`${flags.train}: need at least 2 classes of ${LABEL}, got ${classes.length}`);
  const y = labels.map((label) => classes.indexOf(label));
  const { mean, scale } = computeStandardization(x);
  const z = x.map((row) => row.map((value, f) => (value - mean[f]) / scale[f]));
  console.log(`training on ${x.length} rows, ${FEATURES.length} features, classes ${classes.join(", ")}`);

  const every = Math.max(1, Math.floor(flags.epochs / 10));
  const model = fitSoftmaxRegression({
    z,
    y,
    classCount: classes.length,
    lr: flags.lr,
    epochs: flags.epochs,
    l2: flags.l2,
    onEpoch: (epoch, loss) => {
      if (epoch === 1 || epoch % every === 0 || epoch === flags.epochs) {
        console.log(`epoch ${epoch}/${flags.epochs} loss ${loss.toFixed(6)}`);
      }
    },
  });
  const score = scoreModel(model, z, y);
  const metrics = { train_accuracy: round6(score.accuracy), train_log_loss: round6(score.logLoss) };

  await mkdir(flags.out, { recursive: true });
  const bytes = encodeSoftmaxRegressionModel({ ...model, mean, scale, features: FEATURES, classes });
  await writeFile(join(flags.out, "model.onnx"), bytes);
  await writeFile(join(flags.out, "metrics.json"), `${JSON.stringify(metrics, null, 2)}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.log(
    `train_accuracy ${metrics.train_accuracy} train_log_loss ${metrics.train_log_loss} (${seconds}s)`,
  );
  console.log(`wrote ${join(flags.out, "model.onnx")} and ${join(flags.out, "metrics.json")}`);
}

main().catch((error) => {
  console.error(`train: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

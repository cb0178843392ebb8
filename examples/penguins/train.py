#!/usr/bin/env python3
"""Trains the penguin species classifier: standardised features, scikit-learn's
LogisticRegression (multinomial, L2 with strength 1/C), exported to ONNX by export_onnx.py.

    python3 train.py [--C 1.0] [--max-iter 500] [--train data/train.csv] [--out out]

Writes <out>/model.onnx (input `features`, output `probabilities`) and <out>/metrics.json
(training metrics). Paths are relative to the current directory: modelci runs this from the
example's root. Deterministic: the same data and parameters give the same model.
"""
import argparse
import csv
import json
import os
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, log_loss

from export_onnx import linear_classifier_to_onnx

FEATURES = [
    "beak_length_mm",
    "beak_depth_mm",
    "flipper_length_mm",
    "body_mass_g",
    "island_biscoe",
    "island_dream",
    "island_torgersen",
    "sex_female",
    "sex_male",
]
LABEL = "species"


def read_table(path):
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    except FileNotFoundError:
        sys.exit(f"training data not found: {path}")
    missing = [c for c in FEATURES + [LABEL] if rows and c not in rows[0]]
    if not rows or missing:
        sys.exit(f"{path}: {'no rows' if not rows else 'missing column(s) ' + ', '.join(missing)}")
    x = np.array([[float(row[c]) for c in FEATURES] for row in rows], dtype=np.float64)
    return x, np.array([row[LABEL] for row in rows])


def main():
    parser = argparse.ArgumentParser(description="Train the penguin species classifier.")
    parser.add_argument("--C", type=float, default=1.0, help="inverse L2 strength (> 0)")
    parser.add_argument("--max-iter", type=int, default=500)
    parser.add_argument("--train", default="data/train.csv")
    parser.add_argument("--out", default="out")
    args = parser.parse_args()
    if not args.C > 0:
        parser.error(f"--C must be a positive number, got {args.C}")

    x, y = read_table(args.train)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=args.C, max_iter=args.max_iter)
    model.fit((x - mean) / scale, y)
    classes = [str(c) for c in model.classes_]

    onnx_model = linear_classifier_to_onnx(
        mean, scale, model.coef_, model.intercept_, FEATURES, classes, {"modelci.trainer": "scikit-learn"}
    )
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "model.onnx"), "wb") as f:
        f.write(onnx_model.SerializeToString())

    probabilities = model.predict_proba((x - mean) / scale)
    predicted = model.classes_[probabilities.argmax(axis=1)]
    metrics = {
        "train_accuracy": accuracy_score(y, predicted),
        "train_f1_macro": f1_score(y, predicted, average="macro"),
        "train_log_loss": log_loss(y, probabilities, labels=model.classes_),
        "iterations": int(np.max(model.n_iter_)),
    }
    with open(os.path.join(args.out, "metrics.json"), "w", encoding="utf-8") as f:
        json.dump(metrics, f, indent=2)
        f.write("\n")
    print(f"trained on {len(y)} rows, classes {classes}: train accuracy {metrics['train_accuracy']:.4f}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Trains a linear model on data/train.csv with scikit-learn: LogisticRegression
(classification) or Ridge (regression) on standardised features, exported to ONNX with the
`onnx` package. modelci runs it with the experiment's params (experiments/*.yaml):

    python3 train.py --task classification --C 1.0 --label label --out out

Every column but the label is a feature. Writes <out>/model.onnx and <out>/metrics.json.
Needs numpy, scikit-learn and onnx: `pip install -r requirements.txt`, or on Debian and Ubuntu
`apt-get install python3-sklearn python3-onnx`. docs/trainers.md in modelci is the contract.
"""
import argparse
import csv
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from sklearn.linear_model import LogisticRegression, Ridge


def to_onnx(mean, scale, weights, bias, features, task, classes):
    """features float32 [N, F] -> probabilities [N, C] (classification) or prediction [N, 1]."""
    output = "probabilities" if task == "classification" else "prediction"
    nodes = [
        helper.make_node("Sub", ["features", "mean"], ["centred"]),
        helper.make_node("Div", ["centred", "scale"], ["standardised"]),
        helper.make_node("MatMul", ["standardised", "weights"], ["product"]),
        helper.make_node("Add", ["product", "bias"], ["logits" if classes else output]),
    ]
    if classes:
        nodes.append(helper.make_node("Softmax", ["logits"], [output], axis=1))
    arrays = {"mean": mean, "scale": scale, "weights": weights, "bias": bias}
    graph = helper.make_graph(
        nodes,
        "linear-model",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", len(features)])],
        [helper.make_tensor_value_info(output, TensorProto.FLOAT, ["N", weights.shape[1]])],
        [numpy_helper.from_array(np.asarray(v, dtype=np.float32), k) for k, v in arrays.items()],
    )
    model = helper.make_model(graph, producer_name="modelci-template", opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    props = {"modelci.task": task, "modelci.features": json.dumps(features)}
    if classes:
        props["modelci.classes"] = json.dumps(classes)
    helper.set_model_props(model, props)
    onnx.checker.check_model(model)
    return model


def main():
    parser = argparse.ArgumentParser(description="Train a linear model.")
    parser.add_argument("--task", choices=["classification", "regression"], default="classification")
    parser.add_argument("--C", type=float, default=1.0, help="inverse L2 strength")
    parser.add_argument("--label", default="label")
    parser.add_argument("--train", default="data/train.csv")
    parser.add_argument("--out", default="out")
    args = parser.parse_args()

    with open(args.train, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    features = [c for c in rows[0] if c != args.label]
    x = np.array([[float(r[c]) for c in features] for r in rows])
    labels = [r[args.label] for r in rows]
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale

    if args.task == "classification":
        model = LogisticRegression(C=args.C, max_iter=1000).fit(z, labels)
        classes = [str(c) for c in model.classes_]
        weights, bias = model.coef_.T, model.intercept_
        if len(classes) == 2:  # scikit-learn keeps one column for two classes: softmax([0, z])
            weights, bias = np.hstack([np.zeros_like(weights), weights]), np.concatenate([[0.0], bias])
        metrics = {"train_accuracy": float(model.score(z, labels))}
    else:
        y = np.array([float(v) for v in labels])
        model = Ridge(alpha=1.0 / args.C).fit(z, y)
        classes = None
        weights, bias = model.coef_.reshape(-1, 1), np.array([model.intercept_])
        metrics = {"train_rmse": float(np.sqrt(np.mean((model.predict(z) - y) ** 2)))}

    os.makedirs(args.out, exist_ok=True)
    onnx.save(to_onnx(mean, scale, weights, bias, features, args.task, classes), os.path.join(args.out, "model.onnx"))
    with open(os.path.join(args.out, "metrics.json"), "w", encoding="utf-8") as f:
        json.dump(metrics, f, indent=2)
        f.write("\n")
    print(f"trained on {len(rows)} rows: {json.dumps(metrics)}")


if __name__ == "__main__":
    main()

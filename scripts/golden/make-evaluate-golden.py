#!/usr/bin/python3
"""Golden fixtures for `modelci evaluate`, computed without any modelci code.

Run with Debian's python (apt-get install python3-onnx python3-sklearn):

    /usr/bin/python3 scripts/golden/make-evaluate-golden.py

Two cases, both on the real weather evaluation data (examples/weather/data/eval.csv):

- classification: the committed test/fixtures/models/weather.onnx (made once with
  `node examples/weather/train.js --epochs 200 --out <tmp>`), its `probabilities` output;
- regression: a linear model of `temp_max` that this script fits on the training data with numpy
  least squares and builds with onnx.helper, writing test/fixtures/models/weather-temp-max.onnx.

Each model runs with onnx.reference.ReferenceEvaluator where the installed onnx has it (1.13+);
Debian bookworm ships onnx 1.12, so otherwise a small numpy interpreter below runs the graph node
by node with the ONNX operator definitions (float32 throughout, as the models declare). The metrics
are scikit-learn's on those predictions, with the definitions core/metrics documents
(labels=range(C), zero_division=0, roc_auc as the macro mean over classes present).

The output, test/fixtures/golden/evaluate-weather.json, is deterministic (sorted keys).
"""

import csv
import hashlib
import json
import pathlib
import warnings

import numpy as np
import onnx
import sklearn
from onnx import helper, numpy_helper
from sklearn import metrics as skm

warnings.filterwarnings("ignore")  # zero_division for the class absent from the eval data

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = "examples/weather/data/eval.csv"
TRAIN = "examples/weather/data/train.csv"
CLASSIFIER = "test/fixtures/models/weather.onnx"
REGRESSOR = "test/fixtures/models/weather-temp-max.onnx"
REGRESSION_FEATURES = ["precipitation", "temp_min", "wind", "month_sin", "month_cos"]
REGRESSION_LABEL = "temp_max"
OUT = ROOT / "test" / "fixtures" / "golden" / "evaluate-weather.json"


def read_rows(path):
    with open(ROOT / path, newline="") as f:
        return list(csv.DictReader(f))


def feature_matrix(rows, features):
    return np.array([[float(row[name]) for name in features] for row in rows], dtype=np.float32)


def run_model(model, feeds):
    """The model's outputs for `feeds`, by the reference evaluator when onnx has one."""
    try:
        from onnx.reference import ReferenceEvaluator
    except ImportError:
        return run_with_numpy(model, feeds), "numpy interpreter (onnx %s has no onnx.reference)" % onnx.__version__
    return dict(zip([o.name for o in model.graph.output], ReferenceEvaluator(model).run(None, feeds))), \
        "onnx.reference.ReferenceEvaluator (onnx %s)" % onnx.__version__


def softmax(x, axis):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


OPS = {
    "Add": lambda node, a, b: a + b,
    "Sub": lambda node, a, b: a - b,
    "Mul": lambda node, a, b: a * b,
    "Div": lambda node, a, b: a / b,
    "MatMul": lambda node, a, b: np.matmul(a, b),
    # opset 13: softmax along `axis` (default -1)
    "Softmax": lambda node, x: softmax(x, attribute(node, "axis", -1)),
}


def attribute(node, name, default):
    for a in node.attribute:
        if a.name == name:
            return helper.get_attribute_value(a)
    return default


def run_with_numpy(model, feeds):
    """Runs a graph of the ops above in node order (ONNX graphs are topologically sorted)."""
    values = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    values.update(feeds)
    for node in model.graph.node:
        if node.domain not in ("", "ai.onnx") or node.op_type not in OPS:
            raise SystemExit(f"no numpy implementation of {node.domain}:{node.op_type}")
        result = OPS[node.op_type](node, *[values[name] for name in node.input])
        values[node.output[0]] = result.astype(np.float32)
    return {o.name: values[o.name] for o in model.graph.output}


def metadata(model):
    return {p.key: p.value for p in model.metadata_props}


def model_facts(path):
    data = (ROOT / path).read_bytes()
    return {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def classification_case():
    model = onnx.load(str(ROOT / CLASSIFIER))
    onnx.checker.check_model(model)
    meta = metadata(model)
    features = json.loads(meta["modelci.features"])
    classes = json.loads(meta["modelci.classes"])
    rows = read_rows(DATA)
    outputs, engine = run_model(model, {"features": feature_matrix(rows, features)})
    proba32 = outputs["probabilities"]
    proba = proba32.astype(np.float64)
    labels = np.array([classes.index(row["weather"]) for row in rows])
    predicted = np.argmax(proba32, axis=1)
    all_labels = list(range(len(classes)))
    prf = {"labels": all_labels, "zero_division": 0}
    per_class_auc = [
        skm.roc_auc_score(labels == k, proba[:, k]) for k in all_labels if 0 < np.sum(labels == k) < len(labels)
    ]
    return {
        "engine": engine,
        "model": model_facts(CLASSIFIER),
        "data": DATA,
        "label": "weather",
        "task": "classification",
        "features": features,
        "classes": classes,
        "rows": len(rows),
        "metrics": {
            "accuracy": skm.accuracy_score(labels, predicted),
            "balanced_accuracy": skm.balanced_accuracy_score(labels, predicted),
            "precision_macro": skm.precision_score(labels, predicted, average="macro", **prf),
            "recall_macro": skm.recall_score(labels, predicted, average="macro", **prf),
            "f1_macro": skm.f1_score(labels, predicted, average="macro", **prf),
            "f1_weighted": skm.f1_score(labels, predicted, average="weighted", **prf),
            "log_loss": skm.log_loss(labels, proba, labels=all_labels),
            "roc_auc": float(np.mean(per_class_auc)),
        },
        "confusion-matrix": skm.confusion_matrix(labels, predicted, labels=all_labels).tolist(),
        "support": {name: int(np.sum(labels == k)) for k, name in enumerate(classes)},
    }


def build_regressor():
    """Least squares of temp_max on the training data, as a float32 MatMul + Add graph."""
    rows = read_rows(TRAIN)
    x = feature_matrix(rows, REGRESSION_FEATURES).astype(np.float64)
    y = np.array([float(row[REGRESSION_LABEL]) for row in rows])
    design = np.hstack([x, np.ones((len(rows), 1))])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    weights = np.round(coef[:-1], 6).astype(np.float32).reshape(-1, 1)
    bias = np.round(coef[-1:], 6).astype(np.float32)
    width = len(REGRESSION_FEATURES)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["features", "weights"], ["weighted"]),
         helper.make_node("Add", ["weighted", "bias"], ["prediction"])],
        "linear_regression",
        [helper.make_tensor_value_info("features", onnx.TensorProto.FLOAT, ["N", width])],
        [helper.make_tensor_value_info("prediction", onnx.TensorProto.FLOAT, ["N", 1])],
        [numpy_helper.from_array(weights, "weights"), numpy_helper.from_array(bias, "bias")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="make-evaluate-golden")
    model.ir_version = 8
    helper.set_model_props(model, {
        "modelci.task": "regression",
        "modelci.features": json.dumps(REGRESSION_FEATURES),
    })
    onnx.checker.check_model(model)
    (ROOT / REGRESSOR).write_bytes(model.SerializeToString())


def regression_case():
    model = onnx.load(str(ROOT / REGRESSOR))
    rows = read_rows(DATA)
    outputs, engine = run_model(model, {"features": feature_matrix(rows, REGRESSION_FEATURES)})
    yhat = outputs["prediction"].reshape(-1).astype(np.float64)
    y = np.array([float(row[REGRESSION_LABEL]) for row in rows])
    return {
        "engine": engine,
        "model": model_facts(REGRESSOR),
        "data": DATA,
        "label": REGRESSION_LABEL,
        "task": "regression",
        "features": REGRESSION_FEATURES,
        "rows": len(rows),
        "metrics": {
            "rmse": skm.mean_squared_error(y, yhat, squared=False),
            "mae": skm.mean_absolute_error(y, yhat),
            "r2": skm.r2_score(y, yhat),
            "mape": skm.mean_absolute_percentage_error(y, yhat),
        },
    }


def main():
    build_regressor()
    golden = {
        "generator": "scripts/golden/make-evaluate-golden.py",
        "versions": {"numpy": np.__version__, "onnx": onnx.__version__, "sklearn": sklearn.__version__},
        "cases": [classification_case(), regression_case()],
    }
    OUT.write_text(json.dumps(golden, indent=2, sort_keys=True) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)} and {REGRESSOR}")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Golden fixtures for core/metrics, computed with scikit-learn and numpy.

Run with Debian's python (apt-get install python3-sklearn python3-scipy):

    /usr/bin/python3 scripts/golden/make-metrics-golden.py

It writes test/fixtures/golden/metrics.json deterministically (fixed seeds, sorted keys), so
rerunning it reproduces the same file. Probabilities are float32 and written as their shortest
float32 repr; the tests read them back into a Float32Array (exact round trip), and sklearn scores
the same float32 values widened to float64.
"""

import json
import pathlib
import sys
import warnings

import numpy as np
import sklearn
from sklearn import metrics as skm

warnings.filterwarnings("ignore")  # zero_division and "y_pred contains classes not in y_true"

OUT = pathlib.Path(__file__).resolve().parents[2] / "test" / "fixtures" / "golden" / "metrics.json"


def float32_list(values):
    """Shortest repr that round-trips through float32 (JSON number -> Math.fround = same value)."""
    return [float(str(v)) for v in np.asarray(values, dtype=np.float32).ravel()]


def softmax_probabilities(rng, labels, n_classes, skill, decimals=None):
    logits = rng.normal(size=(len(labels), n_classes))
    logits[np.arange(len(labels)), labels] += skill
    p = np.exp(logits)
    p /= p.sum(axis=1, keepdims=True)
    if decimals is not None:  # coarse grid: many tied scores and tied argmax
        p = np.round(p, decimals)
        p[:, -1] = np.round(1 - p[:, :-1].sum(axis=1), decimals)
        p = np.clip(p, 0, 1)
    return p.astype(np.float32)


def classification_expected(labels, proba32, n_classes, weights=None):
    proba = proba32.astype(np.float64)
    predicted = np.argmax(proba32, axis=1)
    all_labels = list(range(n_classes))
    kw = {"sample_weight": weights}
    prf = {"labels": all_labels, "zero_division": "warn", **kw}
    if n_classes == 2:
        auc = skm.roc_auc_score(labels, proba[:, 1], **kw) if len(np.unique(labels)) == 2 else None
    else:
        # sklearn refuses a class absent from y_true; the macro mean over the classes present is what
        # _average_binary_score computes per column. When all classes are present, check it agrees.
        per_class = [
            skm.roc_auc_score(labels == k, proba[:, k], **kw)
            for k in all_labels
            if 0 < np.sum(labels == k) < len(labels)
        ]
        auc = float(np.mean(per_class)) if per_class else None
        if len(np.unique(labels)) == n_classes:
            direct = skm.roc_auc_score(labels, proba, multi_class="ovr", average="macro", labels=all_labels, **kw)
            assert abs(direct - auc) < 1e-12, (direct, auc)
    return {
        "metrics": {
            "accuracy": skm.accuracy_score(labels, predicted, **kw),
            "balanced_accuracy": skm.balanced_accuracy_score(labels, predicted, **kw),
            "precision_macro": skm.precision_score(labels, predicted, average="macro", **prf),
            "recall_macro": skm.recall_score(labels, predicted, average="macro", **prf),
            "f1_macro": skm.f1_score(labels, predicted, average="macro", **prf),
            "f1_weighted": skm.f1_score(labels, predicted, average="weighted", **prf),
            "log_loss": skm.log_loss(labels, proba, labels=all_labels, **kw),
            "roc_auc": auc,
        },
        "confusion_matrix": skm.confusion_matrix(labels, predicted, labels=all_labels, **kw).tolist(),
    }


def classification_case(name, labels, proba32, n_classes, weights=None):
    labels = np.asarray(labels)
    case = {
        "name": name,
        "classes": [f"class_{k}" for k in range(n_classes)],
        "labels": labels.tolist(),
        "probabilities": float32_list(proba32),
        "expected": classification_expected(labels, proba32, n_classes),
    }
    if weights is not None:
        case["weights"] = np.asarray(weights).tolist()
        case["expected_weighted"] = classification_expected(labels, proba32, n_classes, weights)
    return case


def regression_expected(y, yhat, weights=None):
    kw = {"sample_weight": weights}
    return {
        "rmse": skm.mean_squared_error(y, yhat, squared=False, **kw),
        "mae": skm.mean_absolute_error(y, yhat, **kw),
        "r2": skm.r2_score(y, yhat, **kw),
        "mape": skm.mean_absolute_percentage_error(y, yhat, **kw),
    }


def regression_case(name, y, yhat, weights=None):
    y = np.asarray(y, dtype=np.float64)
    yhat = np.asarray(yhat, dtype=np.float64)
    case = {"name": name, "y": y.tolist(), "yhat": yhat.tolist(), "expected": regression_expected(y, yhat)}
    if weights is not None:
        case["weights"] = np.asarray(weights).tolist()
        case["expected_weighted"] = regression_expected(y, yhat, weights)
    return case


def percentile_case(name, values, qs=(0, 2.5, 25, 50, 95, 97.5, 99, 100)):
    values = np.asarray(values, dtype=np.float64)
    return {
        "name": name,
        "values": values.tolist(),
        "percentiles": [[q, float(np.percentile(values, q))] for q in qs],
    }


def main():
    rng = np.random.default_rng(20240601)
    classification = []

    labels = rng.integers(0, 2, size=40)
    classification.append(
        classification_case("binary", labels, softmax_probabilities(rng, labels, 2, 1.0), 2,
                            weights=rng.integers(0, 4, size=40))
    )

    labels = rng.integers(0, 3, size=300)
    classification.append(
        classification_case("three_classes", labels, softmax_probabilities(rng, labels, 3, 1.5), 3,
                            weights=rng.poisson(1.0, size=300))
    )

    labels = rng.choice([0, 1, 2, 4], size=250, p=[0.4, 0.3, 0.2, 0.1])  # class 3 absent from truth
    proba = softmax_probabilities(rng, labels, 5, 2.0)
    proba[:, 3] = 0  # and never predicted
    proba = (proba / proba.sum(axis=1, keepdims=True)).astype(np.float32)
    classification.append(classification_case("five_classes_one_absent", labels, proba, 5))

    labels = rng.choice([0, 1, 2, 4], size=120)  # class 3 absent from truth but predicted sometimes
    classification.append(
        classification_case("five_classes_absent_but_predicted", labels,
                            softmax_probabilities(rng, labels, 5, 0.5), 5)
    )

    labels = rng.integers(0, 3, size=200)
    classification.append(
        classification_case("ties_three_classes", labels, softmax_probabilities(rng, labels, 3, 1.0, decimals=1), 3,
                            weights=rng.integers(0, 3, size=200))
    )

    labels = rng.integers(0, 2, size=150)
    classification.append(
        classification_case("ties_binary", labels, softmax_probabilities(rng, labels, 2, 1.0, decimals=1), 2)
    )

    labels = rng.integers(0, 2, size=30)
    classification.append(
        classification_case("perfect_binary", labels, np.eye(2, dtype=np.float32)[labels], 2)
    )

    labels = rng.integers(0, 4, size=60)
    classification.append(
        classification_case("perfect_four_classes", labels, np.eye(4, dtype=np.float32)[labels], 4)
    )

    labels = np.zeros(12, dtype=np.int64)  # one class only: roc_auc is undefined (sklearn raises)
    classification.append(
        classification_case("binary_one_class", labels, softmax_probabilities(rng, labels, 2, 1.0), 2)
    )

    proba = np.full((8, 3), 1 / 3, dtype=np.float32)  # every row tied: argmax is class 0
    classification.append(classification_case("all_tied", [0, 1, 2, 0, 1, 2, 0, 1], proba, 3))

    labels = rng.integers(0, 4, size=2000)
    classification.append(
        classification_case("large_four_classes", labels, softmax_probabilities(rng, labels, 4, 1.2), 4,
                            weights=rng.poisson(1.0, size=2000))
    )

    labels = rng.integers(0, 2, size=2000)
    classification.append(
        classification_case("large_binary", labels, softmax_probabilities(rng, labels, 2, 0.8), 2)
    )

    regression = []
    y = np.round(rng.normal(10, 5, size=50), 3)
    y[[3, 17]] = 0.0  # mape uses eps for zero targets
    regression.append(regression_case("with_zero_targets", y, y + rng.normal(0, 2, size=50),
                                      weights=rng.integers(0, 4, size=50)))
    y = rng.normal(100, 30, size=2000)
    regression.append(regression_case("large", y, y + rng.normal(0, 10, size=2000),
                                      weights=rng.poisson(1.0, size=2000)))
    y = rng.normal(0, 1, size=20)
    regression.append(regression_case("perfect", y, y))
    regression.append(regression_case("constant_target", np.full(10, 3.0), np.arange(10) / 3))
    regression.append(regression_case("constant_target_tenths", np.full(10, 0.1), np.full(10, 0.2)))
    regression.append(regression_case("constant_target_perfect", np.full(5, 3.0), np.full(5, 3.0)))
    y = rng.normal(0, 1, size=100)
    regression.append(regression_case("worse_than_mean", y, -y))

    percentiles = [
        percentile_case("single", [12.5]),
        percentile_case("two", [3.0, 1.0]),
        percentile_case("latency_100", np.round(rng.lognormal(2, 0.5, size=100), 3)),
        percentile_case("latency_1001", rng.lognormal(1, 1, size=1001)),
        percentile_case("with_ties", [5, 5, 5, 1, 1, 9, 9, 9, 9, 2]),
    ]

    golden = {
        "generator": "scripts/golden/make-metrics-golden.py",
        "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__},
        "classification": classification,
        "regression": regression,
        "percentiles": percentiles,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(golden, sort_keys=True, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()

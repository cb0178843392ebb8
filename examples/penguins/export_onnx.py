"""Exports a standardised linear classifier (scikit-learn's LogisticRegression) to ONNX with the
`onnx` package alone: no skl2onnx needed, so Debian's python3-onnx is enough.

The graph follows modelci's contract for tabular classification (docs/trainers.md):

    features      float32 [N, F]   the feature columns, in the order of modelci.features
    probabilities float32 [N, C]   one probability per class, in the order of modelci.classes

    probabilities = Softmax((features - mean) / scale @ W + b)
"""
import json

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def linear_classifier_to_onnx(mean, scale, coef, intercept, features, classes, metadata=None):
    """An ONNX ModelProto. coef: [C, F] (or [1, F] for two classes, as scikit-learn stores it)."""
    coef = np.asarray(coef, dtype=np.float32)
    intercept = np.asarray(intercept, dtype=np.float32)
    if coef.shape[0] == 1 and len(classes) == 2:
        # Binary logistic regression: p(class 1) = sigmoid(z) = softmax([0, z])[1].
        coef = np.vstack([np.zeros_like(coef), coef])
        intercept = np.concatenate([np.zeros(1, dtype=np.float32), intercept])
    if coef.shape != (len(classes), len(features)):
        raise ValueError(f"coef has shape {coef.shape}, expected {(len(classes), len(features))}")
    initializers = [
        numpy_helper.from_array(np.asarray(mean, dtype=np.float32), "mean"),
        numpy_helper.from_array(np.asarray(scale, dtype=np.float32), "scale"),
        numpy_helper.from_array(coef.T.copy(), "weights"),
        numpy_helper.from_array(intercept, "bias"),
    ]
    nodes = [
        helper.make_node("Sub", ["features", "mean"], ["centred"]),
        helper.make_node("Div", ["centred", "scale"], ["standardised"]),
        helper.make_node("MatMul", ["standardised", "weights"], ["product"]),
        helper.make_node("Add", ["product", "bias"], ["logits"]),
        helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1),
    ]
    graph = helper.make_graph(
        nodes,
        "linear-classifier",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", len(features)])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", len(classes)])],
        initializers,
    )
    model = helper.make_model(
        graph, producer_name="examples/penguins", opset_imports=[helper.make_opsetid("", 13)]
    )
    model.ir_version = 8
    props = {
        **(metadata or {}),
        "modelci.task": "classification",
        "modelci.features": json.dumps(list(features)),
        "modelci.classes": json.dumps([str(c) for c in classes]),
    }
    helper.set_model_props(model, props)
    onnx.checker.check_model(model)
    return model

#!/usr/bin/env python3
"""The PyTorch version of train.py: the same data, features, outputs and ONNX contract, trained
with PyTorch (on CUDA when there is a GPU) and exported with torch.onnx.export.

    python3 train_torch.py [--lr 0.05] [--epochs 300] [--weight-decay 0.0001] [--hidden 0]
                           [--train data/train.csv] [--out out]

--hidden 0 is multinomial logistic regression; --hidden H adds one ReLU layer of H units.
To use it, set the experiment's command to
`python3 train_torch.py --lr ${{ params.lr }} --out out` (and `inputs` to train_torch.py).
PyTorch comes from Debian (`apt-get install python3-torch`, CPU only) or pip (`pip install torch`).
"""
import argparse
import json
import os

import torch
from torch import nn

from train import FEATURES, read_table


class Classifier(nn.Module):
    """Standardises its input inside the model, so the ONNX file takes the raw feature columns."""

    def __init__(self, mean, scale, classes, hidden):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32))
        self.register_buffer("scale", torch.tensor(scale, dtype=torch.float32))
        width = len(mean)
        layers = [nn.Linear(width, hidden), nn.ReLU(), nn.Linear(hidden, classes)] if hidden else [
            nn.Linear(width, classes)
        ]
        self.net = nn.Sequential(*layers)

    def forward(self, features):  # logits; the exported graph adds the softmax
        return self.net((features - self.mean) / self.scale)


class WithSoftmax(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, features):
        return torch.softmax(self.model(features), dim=1)


def main():
    parser = argparse.ArgumentParser(description="Train the penguin species classifier with PyTorch.")
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--weight-decay", type=float, default=1e-4)
    parser.add_argument("--hidden", type=int, default=0)
    parser.add_argument("--train", default="data/train.csv")
    parser.add_argument("--out", default="out")
    args = parser.parse_args()

    torch.manual_seed(0)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    x, labels = read_table(args.train)
    classes = sorted(set(labels.tolist()))
    y = torch.tensor([classes.index(label) for label in labels], device=device)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = Classifier(mean, scale, len(classes), args.hidden).to(device)
    inputs = torch.tensor(x, dtype=torch.float32, device=device)
    optimiser = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    loss_fn = nn.CrossEntropyLoss()
    for _ in range(args.epochs):  # full batch: the data set is small
        optimiser.zero_grad()
        loss = loss_fn(model(inputs), y)
        loss.backward()
        optimiser.step()

    model.eval()
    with torch.no_grad():
        logits = model(inputs)
        accuracy = (logits.argmax(dim=1) == y).float().mean().item()
        final_loss = loss_fn(logits, y).item()

    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "model.onnx")
    exported = WithSoftmax(model).to("cpu")
    torch.onnx.export(
        exported,
        torch.zeros(1, len(FEATURES)),
        path,
        input_names=["features"],
        output_names=["probabilities"],
        dynamic_axes={"features": {0: "N"}, "probabilities": {0: "N"}},
        opset_version=13,
    )
    add_metadata(path, classes)
    with open(os.path.join(args.out, "metrics.json"), "w", encoding="utf-8") as f:
        json.dump({"train_accuracy": accuracy, "train_log_loss": final_loss}, f, indent=2)
        f.write("\n")
    print(f"trained on {len(y)} rows on {device}, classes {classes}: train accuracy {accuracy:.4f}")


def add_metadata(path, classes):
    """modelci.task, modelci.features and modelci.classes: what modelci evaluate reads."""
    import onnx

    model = onnx.load(path)
    props = {
        "modelci.task": "classification",
        "modelci.features": json.dumps(FEATURES),
        "modelci.classes": json.dumps(classes),
        "modelci.trainer": f"pytorch {torch.__version__}",
    }
    onnx.helper.set_model_props(model, props)
    onnx.save(model, path)


if __name__ == "__main__":
    main()

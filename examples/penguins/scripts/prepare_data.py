#!/usr/bin/env python3
"""Writes data/train.csv and data/eval.csv from vega-datasets' penguins.json.

    python3 scripts/prepare_data.py [--source PATH] [--out DIR]

The source is the `penguins.json` of the vega-datasets npm package (by default
../../node_modules/vega-datasets/data/penguins.json, from this repository's `npm ci`). The
categorical columns become one-hot columns, since modelci feeds a model one float tensor:
Island -> island_biscoe, island_dream, island_torgersen; Sex -> sex_female, sex_male (both 0 when
the sex was not recorded). Rows without measurements are dropped. Every fourth row goes to
eval.csv, the rest to train.csv. The output is deterministic; the files in data/ are generated.
"""
import argparse
import csv
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
NUMERIC = {
    "beak_length_mm": "Beak Length (mm)",
    "beak_depth_mm": "Beak Depth (mm)",
    "flipper_length_mm": "Flipper Length (mm)",
    "body_mass_g": "Body Mass (g)",
}
ISLANDS = ["Biscoe", "Dream", "Torgersen"]
SEXES = ["FEMALE", "MALE"]
FEATURES = (
    list(NUMERIC)
    + [f"island_{i.lower()}" for i in ISLANDS]
    + [f"sex_{s.lower()}" for s in SEXES]
)
LABEL = "species"


def encode(record):
    """One output row, or None when a measurement is missing."""
    if any(record.get(source) is None for source in NUMERIC.values()):
        return None
    row = {name: record[source] for name, source in NUMERIC.items()}
    for island in ISLANDS:
        row[f"island_{island.lower()}"] = int(record["Island"] == island)
    for sex in SEXES:
        row[f"sex_{sex.lower()}"] = int(record.get("Sex") == sex)
    row[LABEL] = record["Species"]
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_source = os.path.join(HERE, "..", "..", "..", "node_modules", "vega-datasets", "data", "penguins.json")
    parser.add_argument("--source", default=default_source)
    parser.add_argument("--out", default=os.path.join(HERE, "..", "data"))
    args = parser.parse_args()
    with open(args.source, encoding="utf-8") as f:
        rows = [row for row in map(encode, json.load(f)) if row is not None]
    os.makedirs(args.out, exist_ok=True)
    splits = {"train.csv": [r for i, r in enumerate(rows) if i % 4 != 3], "eval.csv": rows[3::4]}
    for name, split in splits.items():
        with open(os.path.join(args.out, name), "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=FEATURES + [LABEL], lineterminator="\n")
            writer.writeheader()
            writer.writerows(split)
        print(f"wrote {os.path.join(args.out, name)} ({len(split)} rows)")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Golden fixtures for core/drift, computed with Debian's scipy and numpy.

Run with Debian's python (apt-get install python3-scipy python3-numpy):

    /usr/bin/python3 scripts/golden/make-drift-golden.py

It writes, deterministically (fixed seeds, sorted keys):

- test/fixtures/drift/<case>-reference.csv and <case>-current.csv: small committed inputs;
- test/fixtures/drift/golden.json: for each case, what `modelci drift --json --stats all` must
  report per feature (every statistic, the auto method), computed here with scipy exactly as
  docs/drift.md defines them; and tables of scipy's kstwo.sf, smirnov, chi2.sf and ndtr over
  grids that reach every branch of their algorithms.
"""

import csv
import json
import math
import pathlib

import numpy as np
import scipy
from scipy import special, stats
from scipy.spatial import distance

OUT = pathlib.Path(__file__).resolve().parents[2] / "test" / "fixtures" / "drift"
MISSING = {"", "NA", "NaN", "null"}


def write_csv(path, columns):
    names = list(columns)
    rows = len(next(iter(columns.values())))
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(names)
        for i in range(rows):
            w.writerow([columns[n][i] for n in names])


def cell(v):
    if isinstance(v, str):
        return v
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    return str(v)


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    return {name: [r[i] for r in body] for i, name in enumerate(header)}, len(body)


def is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def column_sample(cells):
    present = [c for c in cells if c.strip() not in MISSING]
    return present, len(cells) - len(present)


def fill(shares):
    shares = shares.copy()
    nonzero = shares[shares != 0]
    m = nonzero.min()
    np.place(shares, shares == 0, m / 10**6 if m <= 0.0001 else 0.0001)
    return shares


def psi(ref, cur):
    r, c = fill(ref), fill(cur)
    return float(np.sum((r - c) * np.log(r / c)))


def numeric_stats(ref, cur):
    ref = np.array(ref, dtype=float)
    cur = np.array(cur, dtype=float)
    ks = stats.ks_2samp(ref, cur)
    edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
    r = np.histogram(ref, edges)[0] / len(ref)
    c = np.histogram(cur, edges)[0] / len(cur)
    return {
        "ks_statistic": float(ks.statistic),
        "ks_p_value": float(ks.pvalue),
        "wasserstein_normed": float(stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)),
        "psi": psi(r, c),
        "jensenshannon": float(distance.jensenshannon(r, c)),
    }


def category_counts(ref, cur):
    keys = sorted(set(ref) | set(cur))
    r = np.array([ref.count(k) for k in keys], dtype=float)
    c = np.array([cur.count(k) for k in keys], dtype=float)
    return keys, r, c


def z_test(keys, r, c):
    if len(keys) == 1:
        return 1.0
    n1, n2 = r.sum(), c.sum()
    p1, p2 = r[0] / n1, c[0] / n2
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2))
    return float(2 * (1 - stats.norm.cdf(np.abs(z))))


def categorical_stats(ref, cur):
    keys, r, c = category_counts(ref, cur)
    out = {}
    if len(keys) >= 2:
        with np.errstate(divide="ignore", invalid="ignore"):
            p = stats.chisquare(c, r / r.sum() * c.sum()).pvalue
        out["chisquare_p_value"] = float(p)
    if len(keys) <= 2:
        out["z_p_value"] = z_test(keys, r, c)
    rs, cs = r / r.sum(), c / c.sum()
    out["psi"] = psi(rs, cs)
    out["jensenshannon"] = float(distance.jensenshannon(rs, cs))
    return out


def auto_method(ref, cur, numeric):
    unique = len(set(float(v) for v in ref + cur)) if numeric else len(set(ref + cur))
    if len(ref) <= 1000:
        if numeric and unique > 5:
            return "ks"
        return "chi-squared" if unique > 2 else "z-test"
    if numeric and unique > 5:
        return "wasserstein"
    return "jensen-shannon"


def golden_case(name):
    ref_cols, ref_rows = read_csv(OUT / f"{name}-reference.csv")
    cur_cols, cur_rows = read_csv(OUT / f"{name}-current.csv")
    features = {}
    for column in ref_cols:
        ref, ref_missing = column_sample(ref_cols[column])
        cur, cur_missing = column_sample(cur_cols[column])
        numeric = all(is_number(v) for v in ref + cur)
        stats_all = numeric_stats(ref, cur) if numeric else categorical_stats(ref, cur)
        method = auto_method(ref, cur, numeric)
        if numeric and method in ("chi-squared", "z-test", "jensen-shannon"):
            # few distinct numbers: auto compares them as categories
            as_text = [repr(float(v)) for v in ref], [repr(float(v)) for v in cur]
            extra = categorical_stats(*as_text)
            key = {"chi-squared": "chisquare_p_value", "z-test": "z_p_value", "jensen-shannon": "jensenshannon"}[method]
            stats_all[key] = extra[key]
        features[column] = {
            "method": method,
            "statistics": {k: v for k, v in stats_all.items() if not math.isnan(v)},
            "rows": {"reference": len(ref), "current": len(cur)},
            "missing": {
                "reference": ref_missing / len(ref_cols[column]),
                "current": cur_missing / len(cur_cols[column]),
            },
        }
    return {"rows": {"reference": ref_rows, "current": cur_rows}, "features": features}


def make_inputs():
    rng = np.random.default_rng(13)
    # small: exact KS p-values (equal and unequal sizes), categories, missing values, a constant
    n_ref, n_cur = 60, 45
    write_csv(OUT / "small-reference.csv", {
        "x": [cell(v) for v in np.round(rng.normal(0, 1, n_ref), 3)],
        "y": [cell(v) for v in np.round(rng.gamma(2, 2, n_ref), 2)],
        "color": list(rng.choice(["red", "green", "blue"], n_ref, p=[0.5, 0.3, 0.2])),
        "flag": list(rng.choice(["yes", "no"], n_ref)),
        "constant": ["7"] * n_ref,
        "sparse": [cell(v) if i % 4 else "NA" for i, v in enumerate(np.round(rng.uniform(0, 10, n_ref), 2))],
    })
    write_csv(OUT / "small-current.csv", {
        "x": [cell(v) for v in np.round(rng.normal(0.8, 1, n_cur), 3)],
        "y": [cell(v) for v in np.round(rng.gamma(2, 2, n_cur), 2)],
        "color": list(rng.choice(["red", "green", "blue", "violet"], n_cur, p=[0.3, 0.3, 0.2, 0.2])),
        "flag": list(rng.choice(["yes", "no"], n_cur, p=[0.8, 0.2])),
        "constant": ["7"] * n_cur,
        "sparse": [cell(v) if i % 2 else "" for i, v in enumerate(np.round(rng.uniform(0, 10, n_cur), 2))],
    })
    # equal sizes: the exact path for n1 == n2
    write_csv(OUT / "equal-reference.csv", {"v": [cell(v) for v in np.round(rng.normal(0, 1, 80), 2)]})
    write_csv(OUT / "equal-current.csv", {"v": [cell(v) for v in np.round(rng.normal(0.3, 1, 80), 2)]})
    # large: asymptotic KS (> 10,000 values), Wasserstein and Jensen-Shannon under auto
    n_ref, n_cur = 12000, 10500
    write_csv(OUT / "large-reference.csv", {
        "a": [cell(v) for v in np.round(rng.normal(10, 2, n_ref), 2)],
        "b": [cell(v) for v in np.round(rng.exponential(3, n_ref), 2)],
        "c": list(rng.choice(["p", "q", "r", "s"], n_ref, p=[0.4, 0.3, 0.2, 0.1])),
    })
    write_csv(OUT / "large-current.csv", {
        "a": [cell(v) for v in np.round(rng.normal(10.03, 2, n_cur), 2)],
        "b": [cell(v) for v in np.round(rng.exponential(3.6, n_cur), 2)],
        "c": list(rng.choice(["p", "q", "r"], n_cur, p=[0.45, 0.3, 0.25])),
    })


def distribution_tables():
    kstwo = []
    for n in [1, 2, 5, 10, 37, 100, 140, 141, 500, 5000, 60000, 100000, 150000, 2000000]:
        for x in [0.3 / n, 0.7 / n, 1.5 / n, 0.01, 0.03, 0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.9,
                  0.5 / math.sqrt(n), 0.8 / math.sqrt(n), 1.2 / math.sqrt(n), 1.6 / math.sqrt(n),
                  2.5 / math.sqrt(n), 4 / math.sqrt(n), 10 / math.sqrt(n)]:
            if 0 < x < 1:
                kstwo.append([n, x, float(stats.kstwo.sf(x, n))])
    smirnov = [[n, x, float(special.smirnov(n, x))]
               for n in [2, 10, 100, 1012, 1013, 5000, 200000, 2000000]
               for x in [0.001, 0.01, 0.05, 0.1, 0.3, 0.7, 0.99] if n * x * x * 2 < 700]
    chi2 = [[x, df, float(stats.chi2.sf(x, df))] for df in [1, 2, 3, 7, 30]
            for x in [0.01, 0.5, 1, 3, 10, 40, 100]]
    ndtr = [[z, float(special.ndtr(z))] for z in [-8, -3.3, -1.2, -0.4, 0, 0.3, 0.9, 1.7, 4, 7.5]]
    return {"kstwo_sf": kstwo, "smirnov": smirnov, "chi2_sf": chi2, "ndtr": ndtr}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    make_inputs()
    golden = {
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "cases": {name: golden_case(name) for name in ["small", "equal", "large"]},
        "distributions": distribution_tables(),
    }
    (OUT / "golden.json").write_text(json.dumps(golden, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""A well-tuned online logistic regression in scikit-learn, the peer of `riptide replay` on any CSV
with a binary label (bench/run_generalize.sh). Records are replayed in file order, test-then-train:
each record is scored by the current model (predict_proba) and then learned
(SGDClassifier(loss="log_loss").partial_fit on that one record). Features as a streaming user
would build them: text columns one-hot with a dictionary that grows as values appear, numeric
columns standardised with the running mean / std of the records before (Welford). The learning
rate schedule and L2 penalty are tuned: every configuration of the grid is run and the best
prequential accuracy is reported, with its configuration.
Usage: online_lr_peer.py IN.csv LABEL POSITIVE [IGNORE,COLS]"""
import json
import math
import sys
import warnings

import numpy as np
import pandas as pd
from sklearn.linear_model import SGDClassifier

GRID = [dict(learning_rate=lr, eta0=eta0, alpha=alpha)
        for lr, eta0 in (("optimal", 0.0), ("constant", 0.01), ("constant", 0.05),
                         ("invscaling", 0.5), ("adaptive", 0.1))
        for alpha in (1e-5, 1e-4, 1e-3)]


def features(df, label, ignore):
    cols = [c for c in df.columns if c != label and c not in ignore]
    numeric = []
    for c in cols:
        v = pd.to_numeric(df[c].replace("", np.nan), errors="coerce")
        if v.notna().sum() == df[c].replace("", np.nan).notna().sum():
            numeric.append(c)
    return cols, numeric


def encode(df, cols, numeric):
    """Row-wise vectors as the stream sees them: running statistics and dictionaries."""
    slots, n, mean, m2, rows = {}, 0, {}, {}, []
    for c in numeric:
        slots[c] = len(slots)
        mean[c] = m2[c] = 0.0
    records = df[cols].to_dict("records")
    for r in records:
        idx, val = [], []
        for c in cols:
            v = r[c]
            if c in numeric:
                if v == "" or v is None:
                    continue
                x = float(v)
                sd = math.sqrt(m2[c] / (n - 1)) if n > 1 else 0.0
                z = (x - mean[c]) / sd if sd > 0 else 0.0
                idx.append(slots[c]); val.append(z)
            else:
                key = (c, v)
                if key in slots:
                    idx.append(slots[key]); val.append(1.0)
        rows.append((idx, val))
        n += 1
        for c in cols:
            v = r[c]
            if c in numeric:
                if v == "" or v is None:
                    continue
                x = float(v)
                d = x - mean[c]
                mean[c] += d / n
                m2[c] += d * (x - mean[c])
            elif (c, v) not in slots:
                slots[(c, v)] = len(slots)
    return rows, len(slots)


def run(rows, dim, y, cfg):
    model = SGDClassifier(loss="log_loss", random_state=0, **cfg)
    correct = 0
    x = np.zeros((1, dim))
    for (idx, val), label in zip(rows, y):
        x[:] = 0.0
        x[0, idx] = val
        if hasattr(model, "coef_"):
            correct += int((model.predict_proba(x)[0, 1] > 0.5) == label)
        else:
            correct += int(label is False)  # the untrained model says negative
        model.partial_fit(x, [label], classes=[False, True])
    return correct / len(y)


def main():
    path, label, positive = sys.argv[1], sys.argv[2], sys.argv[3]
    ignore = sys.argv[4].split(",") if len(sys.argv) > 4 and sys.argv[4] else []
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    y = [v.strip().lower() == positive.lower() for v in df[label]]
    cols, numeric = features(df, label, ignore)
    rows, dim = encode(df, cols, numeric)
    warnings.filterwarnings("ignore")
    results = [(run(rows, dim, y, cfg), cfg) for cfg in GRID]
    best = max(results, key=lambda t: t[0])
    print(json.dumps({"records": len(y), "best_accuracy": best[0], "best_config": best[1],
                      "grid": [{"accuracy": a, **c} for a, c in results]}))


if __name__ == "__main__":
    main()

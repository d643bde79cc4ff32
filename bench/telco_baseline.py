#!/usr/bin/python3
"""Batch baseline for `riptide replay --preset telco --holdout-every K`: scikit-learn's
LogisticRegression on the same split and the same features, holdout ROC AUC as JSON.

The cleansing is the telco preset's (issue 5): nulls (None, NULL, empty, a lone space, NaN) drop
the row; 'No internet service' / 'No phone service' -> 'No'; tenure_group from tenure; churn
lower-cased. Clean record i (0-based) is held out when i % K == K - 1. Features as riptide's
encoder builds them: one-hot of every text column (tenure_group included), standardised numbers
(senior_citizen, tenure, monthly_charges, total_charges); customer_id is not a feature."""
import csv
import json
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss, roc_auc_score
from sklearn.preprocessing import OneHotEncoder, StandardScaler

NULLS = {"None", "NULL", "", " ", "NaN"}
NUMERIC = ["SeniorCitizen", "tenure", "MonthlyCharges", "TotalCharges"]


def tenure_group(t):
    if t <= 12:
        return "Tenure_0-12"
    if t <= 24:
        return "Tenure_12-24"
    if t <= 48:
        return "Tenure_24-48"
    if t <= 60:
        return "Tenure_48-60"
    return "Tenure_gt_60"


def load(path):
    rows = []
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            if any(v in NULLS for v in r.values()):
                continue
            r = {k: ("No" if v in ("No internet service", "No phone service") else v)
                 for k, v in r.items()}
            r["tenure_group"] = tenure_group(int(r["tenure"]))
            rows.append(r)
    return rows


def main():
    path = sys.argv[1]
    every = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    rows = load(path)
    text = [k for k in rows[0] if k not in NUMERIC + ["customerID", "Churn"]]
    cat = np.array([[r[k] for k in text] for r in rows])
    num = np.array([[float(r[k]) for k in NUMERIC] for r in rows])
    y = np.array([r["Churn"].lower() == "yes" for r in rows], dtype=int)
    hold = np.array([i % every == every - 1 for i in range(len(rows))])
    train = ~hold
    enc = OneHotEncoder(handle_unknown="ignore").fit(cat[train])
    sc = StandardScaler().fit(num[train])
    def feats(mask):
        return np.hstack([enc.transform(cat[mask]).toarray(), sc.transform(num[mask])])
    model = LogisticRegression(max_iter=5000).fit(feats(train), y[train])
    p = model.predict_proba(feats(hold))[:, 1]
    print(json.dumps({
        "records": len(rows),
        "holdout": {"n": int(hold.sum()), "auc": roc_auc_score(y[hold], p),
                    "logloss": log_loss(y[hold], p),
                    "accuracy": accuracy_score(y[hold], p > 0.5)},
        "model": "sklearn.linear_model.LogisticRegression(max_iter=5000) (C=1.0, lbfgs)",
    }))


if __name__ == "__main__":
    main()

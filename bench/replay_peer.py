#!/usr/bin/python3
"""The peer of `riptide replay --preset telco` in bench/run_learn.sh: the same streaming job written
idiomatically with pandas + scikit-learn. The file is read in chunks (pandas.read_csv chunksize);
each chunk is cleansed as the telco preset does (bench/clean_pandas.py's steps), one-hot encoded
(OneHotEncoder fit on the first chunk, unknown values ignored), its numbers standardised with a
running StandardScaler (partial_fit), scored by the current model (test-then-train: predict_proba
before learning) and learned with SGDClassifier(loss="log_loss").partial_fit.
Usage: replay_peer.py IN.csv [CHUNK_ROWS]; prints JSON with records/s and the prequential AUC."""
import json
import sys
import time

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from clean_pandas import cleanse  # bench/clean_pandas.py: the telco preset in pandas

NUMERIC = ["senior_citizen", "tenure", "monthly_charges", "total_charges"]


def main():
    path = sys.argv[1]
    chunk_rows = int(sys.argv[2]) if len(sys.argv) > 2 else 50000
    start = time.perf_counter()
    cpu_start = time.process_time()
    enc = scaler = None
    model = SGDClassifier(loss="log_loss", learning_rate="optimal", random_state=0)
    rows_in = 0
    scores, labels = [], []
    for chunk in pd.read_csv(path, dtype=str, keep_default_na=False, chunksize=chunk_rows):
        rows_in += len(chunk)
        df = cleanse(chunk)
        text = [c for c in df.columns if c not in NUMERIC + ["customer_id", "churn"]]
        if enc is None:
            enc = OneHotEncoder(handle_unknown="ignore").fit(df[text])
            scaler = StandardScaler()
        numbers = df[NUMERIC].astype(float)
        scaler.partial_fit(numbers)
        x = sparse.hstack([enc.transform(df[text]),
                           sparse.csr_matrix(scaler.transform(numbers))]).tocsr()
        y = (df["churn"] == "yes").to_numpy()
        if hasattr(model, "coef_"):
            scores.append(model.predict_proba(x)[:, 1])
            labels.append(y)
        model.partial_fit(x, y, classes=[False, True])
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    auc = roc_auc_score(np.concatenate(labels), np.concatenate(scores)) if scores else None
    print(json.dumps({"records": rows_in, "seconds": seconds, "records_per_s": rows_in / seconds,
                      "cpu_seconds": cpu_seconds, "cpu_records_per_s": rows_in / cpu_seconds,
                      "prequential_auc": auc, "chunk_rows": chunk_rows,
                      "job": "pandas read_csv(chunksize) + telco cleansing + OneHotEncoder + "
                             "StandardScaler.partial_fit + SGDClassifier(log_loss).partial_fit, "
                             "test-then-train per chunk"}))


if __name__ == "__main__":
    main()

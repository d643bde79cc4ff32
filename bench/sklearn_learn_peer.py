#!/usr/bin/python3
"""Python peer of bench/learn_bench.cpp: scikit-learn's SGDClassifier(loss='log_loss').partial_fit
on the same sparse vectors (read from learn_bench --dump), timed; prints updates/s as JSON.

Two timings: partial_fit over the whole array in one call (sklearn's fastest path: the Cython
loop runs over all rows) and partial_fit one record at a time (what a stream consumer does)."""
import json
import sys
import time

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import SGDClassifier


def load(path):
    with open(path, "rb") as f:
        n, nnz = np.frombuffer(f.read(16), dtype="<u8")
        offsets = np.frombuffer(f.read(4 * (int(n) + 1)), dtype="<u4").astype(np.int64)
        indices = np.frombuffer(f.read(4 * int(nnz)), dtype="<u4").astype(np.int32)
        values = np.frombuffer(f.read(4 * int(nnz)), dtype="<f4").astype(np.float64)
        labels = np.frombuffer(f.read(int(n)), dtype=np.uint8).astype(np.int64)
    x = sp.csr_matrix((values, indices, offsets), shape=(int(n), int(indices.max()) + 1))
    return x, labels


def main():
    x, y = load(sys.argv[1])
    n = x.shape[0]
    model = SGDClassifier(loss="log_loss", learning_rate="constant", eta0=0.05, alpha=1e-9)
    model.partial_fit(x[:1000], y[:1000], classes=[0, 1])  # warm up
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        model.partial_fit(x, y)
        best = min(best, time.perf_counter() - t0)
    per_record_n = 20000
    rows = [x[i] for i in range(per_record_n)]
    t0 = time.perf_counter()
    for i in range(per_record_n):
        model.partial_fit(rows[i], y[i : i + 1])
    per_record = time.perf_counter() - t0
    print(json.dumps({
        "records": n,
        "active_features": x.nnz / n,
        "partial_fit_whole_array_updates_per_s": n / best,
        "partial_fit_per_record_updates_per_s": per_record_n / per_record,
    }))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Drift handling end to end: `riptide replay` with and without `--drift DETECTOR` on streams
written by `riptide synth` with known drift points (same learner, same stream, same seed).

For each stream family and seed: prequential accuracy without drift handling and with each
detector, the detection delay of the first drift the detector signals after each drift point
(within `tolerance` records and before the next point), false alarms per 10k records (drift
signals that are not such a first detection), and replay throughput with and without.

usage: drift_adapt.py RIPTIDE DATA_DIR [--quick] [--race]
The learner is replay's logistic regression with AdaGrad at a fixed rate (--lr 0.05), whose
decaying steps are the case for drift handling; --race uses replay's default instead (a race of
1x, 4x, 16x the rate, which re-adapts faster on its own).
"""
import json
import os
import statistics
import subprocess
import sys

riptide, data_dir = sys.argv[1], sys.argv[2]
quick = "--quick" in sys.argv
learner = [] if "--race" in sys.argv else ["--lr", "0.05"]
os.makedirs(data_dir, exist_ok=True)
seeds = [1, 2, 3] if quick else [1, 2, 3, 4, 5]
detectors = ["adwin", "page-hinkley", "kswin", "ddm", "eddm", "hddm-a", "hddm-w"]
telco = "data/telco_customer_churn_train_data.csv"

# name, synth arguments, drift points, label column, positive value, extra replay arguments
streams = [
    ("SEA 200k", ["sea", "--n", "200000"], [50000, 100000, 150000], "label", "1", []),
    ("SEA 200k noise 0.1", ["sea", "--n", "200000", "--noise", "0.1"],
     [50000, 100000, 150000], "label", "1", []),
    ("telco-shift 100k", ["telco-shift", "--n", "100000", "--data", telco],
     [25000, 50000, 75000], "Churn", "Yes", ["--id", "customerID"]),
    ("hyperplane 200k", ["hyperplane", "--n", "200000"], [50000, 100000, 150000], "label", "1",
     []),
    ("SEA 1M", ["sea", "--n", "1000000"], [200000, 400000, 600000, 800000], "label", "1", []),
    ("SEA 200k noise 0.1, no drift", ["sea", "--n", "200000", "--noise", "0.1"], [], "label",
     "1", []),
]
if quick:
    streams = [s for s in streams if "1M" not in s[0]]
tolerance = 2500


def synth(args, points, seed):
    name = "_".join(a.replace("/", "-") for a in args if not a.startswith("data"))
    path = os.path.join(data_dir, f"{name}_at{'-'.join(map(str, points))}_s{seed}.csv")
    if not os.path.exists(path):
        cmd = [riptide, "synth", *args, "--seed", str(seed), "--out", path + ".tmp"]
        if points:
            cmd += ["--drift-at", ",".join(map(str, points))]
        subprocess.run(cmd, check=True)
        os.replace(path + ".tmp", path)
    return path


def replay(path, label, positive, extra, detector):
    report = path + f".{detector or 'none'}.json"
    cmd = [riptide, "replay", path, "--label", label, "--positive", positive, "--report", report,
           "--curve-every", "0", *learner, *extra]
    if detector:
        cmd += ["--drift", detector, "--no-feature-drift"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    with open(report) as f:
        r = json.load(f)
    os.remove(report)
    return r


def score(events, points, n):
    """(delays of detected drift points, number detected, false alarms)."""
    signals = [e["index"] for e in events if e["drift"]]
    used, delays = set(), []
    for k, p in enumerate(points):
        end = min(p + tolerance, points[k + 1] if k + 1 < len(points) else n)
        for i, s in enumerate(signals):
            if p <= s < end:
                used.add(i)
                delays.append(s - p)
                break
    return delays, len(signals) - len(used)


print(f"riptide replay, logistic regression + AdaGrad {' '.join(learner) or '(rate race)'}, "
      f"test-then-train; "
      f"{len(seeds)} seeds per stream; drift handling: riptide::drift::retrainer with River's "
      f"default detector parameters.")
print(f"delay: records from a drift point to the first drift signal within {tolerance} records "
      f"(mean over detected points); false alarms: other drift signals, per 10k records.\n")
for title, args, points, label, positive, extra in streams:
    acc = {d: [] for d in [None] + detectors}
    speed = {d: [] for d in [None] + detectors}
    delays = {d: [] for d in detectors}
    detected = {d: 0 for d in detectors}
    false_alarms = {d: 0 for d in detectors}
    actions = {d: {} for d in detectors}
    records = 0
    for seed in seeds:
        path = synth(args, points, seed)
        for d in [None] + detectors:
            r = replay(path, label, positive, extra, d)
            acc[d].append(r["prequential"]["accuracy"])
            speed[d].append(r["throughput"]["records_per_s"])
            if d:
                dl, fa = score(r["drift"]["events"], points, r["records"]["in"])
                delays[d] += dl
                detected[d] += len(dl)
                false_alarms[d] += fa
                for e in r["drift"]["events"]:
                    actions[d][e["action"]] = actions[d].get(e["action"], 0) + 1
        records += r["records"]["in"]
    base = statistics.mean(acc[None])
    print(f"### {title}: drift at {', '.join(map(str, points)) or 'none'}")
    print("| detector | accuracy | vs none (mean) | vs none (min over seeds) | detected | "
          "mean delay | false alarms / 10k | replay speed vs none | actions |")
    print("|---|---|---|---|---|---|---|---|---|")
    print(f"| none | {100 * base:.2f}% | | | | | | 1.00 ({statistics.median(speed[None]) / 1e3:.0f}"
          f" k records/s) | |")
    for d in detectors:
        gain = [100 * (a - b) for a, b in zip(acc[d], acc[None])]
        delay = f"{statistics.mean(delays[d]):.0f}" if delays[d] else "-"
        ratio = statistics.median(speed[d]) / statistics.median(speed[None])
        acts = ", ".join(f"{k} {v}" for k, v in sorted(actions[d].items()))
        print(f"| {d} | {100 * statistics.mean(acc[d]):.2f}% | {statistics.mean(gain):+.2f} | "
              f"{min(gain):+.2f} | {detected[d]}/{len(points) * len(seeds)} | {delay} | "
              f"{1e4 * false_alarms[d] / records:.2f} | {ratio:.2f} | {acts} |")
    print()

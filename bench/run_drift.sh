#!/usr/bin/env bash
# Drift detectors: updates/s per detector on one core, beside a running mean over the same stream
# (the floor any detector pays) measured in the same run, as ratios to that baseline and to the
# 20 M updates/s target; then the detection table (delay, false alarms per 10k) on SEA and on a
# mean-shift stream with known drift points; then drift handling end to end (bench/drift_adapt.py):
# `riptide replay` with and without --drift DETECTOR on riptide synth streams (SEA, telco-shift,
# hyperplane, a 1M-record SEA, a stationary SEA) with known drift points, 5 seeds each: prequential
# accuracy, detection delay, false alarms per 10k and replay speed. RIPTIDE_DRIFT_QUICK=1: 3 seeds,
# no 1M stream.
set -euo pipefail
build=${1:-build-bench}
bin="$build/bin/drift_bench"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
taskset -c 0 "$bin" --benchmark_min_time=0.5 --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true --benchmark_format=json >"$out" 2>/dev/null ||
  "$bin" --benchmark_min_time=0.5 --benchmark_repetitions=3 \
    --benchmark_report_aggregates_only=true --benchmark_format=json >"$out"
python3 - "$out" <<'PY'
import json, sys
runs = [b for b in json.load(open(sys.argv[1]))["benchmarks"] if b.get("aggregate_name") == "median"]
rate = {b["run_name"].removeprefix("BM_"): b["items_per_second"] for b in runs}
base = rate.pop("baseline_running_mean")
print(f"baseline running mean: {base / 1e6:.1f} M updates/s (median of 3, one core)")
print(f"{'detector':<14} {'M updates/s':>12} {'x target 20M':>13} {'/ baseline':>11}")
for name, r in rate.items():
    target = "(exempt)" if name == "kswin" else f"{r / 20e6:.2f}"
    print(f"{name:<14} {r / 1e6:>12.1f} {target:>13} {r / base:>11.3f}")
PY
echo
"$bin" --table
echo
python3 bench/drift_adapt.py "$build/bin/riptide" bench/data/drift ${RIPTIDE_DRIFT_QUICK:+--quick}

#!/usr/bin/env bash
# Snapshots and prediction, each beside its baseline in the same run:
#  1. bench/snapshot_bench.cpp: one raw Telco record's latency from a loaded snapshot (p50/p99
#     over 10^6 calls) beside the in-process pipeline; save/load of the Telco model and of 2^22
#     weights beside plain write/read of the same bytes;
#  2. `riptide predict` over the replicated Telco file (bench/make_data.sh) beside `riptide
#     replay` on the same file: records per second of CPU time (user + sys, best of three
#     interleaved runs), and the ratio.
# Usage: bench/run_snapshot.sh [BUILD] [MIN_MB]   (defaults build-bench, 200)
set -euo pipefail
build=${1:-build-bench}
min_mb=${2:-200}
cd "$(dirname "$0")/.."
"$build/bin/snapshot_bench" 1000000
bench/make_data.sh "$min_mb" >/dev/null
big=bench/data/telco_big.csv
records=$(($(wc -l < "$big") - 1))
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cpu_of() {  # CPU seconds (user + sys) of a command
  /usr/bin/time -f '%U %S' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
  awk '{ print $1 + $2 }' "$tmp/time"
}
# best of three, interleaved: CPU time on a shared machine still varies by a few tens of percent
replay_s=999999
predict_s=999999
"$build/bin/riptide" replay "$big" --preset telco --lr 0.05 --save "$tmp/m.rts" >/dev/null
for _ in 1 2 3; do
  r=$(cpu_of "$build/bin/riptide" replay "$big" --preset telco --lr 0.05)
  p=$(cpu_of "$build/bin/riptide" predict --model "$tmp/m.rts" "$big" --out "$tmp/p.csv")
  replay_s=$(awk -v a="$replay_s" -v b="$r" 'BEGIN { print (b < a ? b : a) }')
  predict_s=$(awk -v a="$predict_s" -v b="$p" 'BEGIN { print (b < a ? b : a) }')
done
awk -v n="$records" -v r="$replay_s" -v p="$predict_s" 'BEGIN {
  printf "replicated Telco, %d records: riptide replay %.0f records/s CPU, riptide predict %.0f records/s CPU, ratio predict/replay %.2f\n",
    n, n / r, n / p, (n / p) / (n / r) }'

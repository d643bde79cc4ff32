#!/usr/bin/env bash
# Cleansing: (1) records/s of the telco chain beside the bare CSV parse of the same file in the same
# run (clean_bench, Google Benchmark, one core); (2) `riptide clean --preset telco` end to end
# beside the same cleansing written idiomatically in pandas (bench/clean_pandas.py) on the same
# file, rows/s and the ratio (target >= 20x pandas on one core).
set -euo pipefail
build=${1:-build-bench}
cd "$(dirname "$0")/.."
data=bench/data/telco_clean_bench.csv
replicas=${RIPTIDE_CLEAN_REPLICAS:-100}
mkdir -p bench/data
if [ ! -f "$data" ] || [ "$(($(wc -l < "$data") - 1))" -ne $((replicas * 7043)) ]; then
  # The bundled export replicated (unique ids per replica; the 11 blank TotalCharges rows too).
  awk -F, -v OFS=, -v replicas="$replicas" '
    NR == 1 { header = $0; next }
    { rows[++n] = $0 }
    END {
      print header
      for (r = 1; r <= replicas; ++r)
        for (i = 1; i <= n; ++i) { line = rows[i]; sub(/,/, "-r" r ",", line); print line }
    }' data/telco_customer_churn_train_data.csv > "$data.tmp"
  mv "$data.tmp" "$data"
fi
records=$(($(wc -l < "$data") - 1))
echo "input: $data ($records records, $(du -m "$data" | cut -f1) MB)"

out=$(mktemp)
trap 'rm -f "$out" "$out.csv"' EXIT
pin=""
command -v taskset >/dev/null && pin="taskset -c 0"
RIPTIDE_CLEAN_BENCH_FILE=$data $pin "$build/bin/clean_bench" --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true --benchmark_format=json >"$out"
python3 - "$out" <<'PY'
import json, sys
runs = [b for b in json.load(open(sys.argv[1]))["benchmarks"] if b.get("aggregate_name") == "median"]
rate = {b["run_name"]: b["items_per_second"] for b in runs}
parse, telco = rate["csv_parse"], rate["csv_parse_telco"]
print(f"csv parse only      {parse / 1e6:8.2f} M records/s (baseline, median of 3)")
print(f"parse + telco clean {telco / 1e6:8.2f} M records/s  = {telco / parse:.2f} x the bare parse")
PY

now() { date +%s.%N; }
t0=$(now)
$pin "$build/bin/riptide" clean "$data" --preset telco --out "$out.csv" 2>/dev/null
t1=$(now)
rows_riptide=$(($(wc -l < "$out.csv") - 1))
if python3 -c 'import pandas' 2>/dev/null; then
  t2=$(now)
  $pin python3 bench/clean_pandas.py "$data" "$out.csv" 2>/dev/null
  t3=$(now)
  rows_pandas=$(($(wc -l < "$out.csv") - 1))
  python3 - "$records" "$rows_riptide" "$rows_pandas" "$t0" "$t1" "$t2" "$t3" <<'PY'
import sys
n, rr, rp = map(int, sys.argv[1:4])
t0, t1, t2, t3 = map(float, sys.argv[4:8])
r, p = n / (t1 - t0), n / (t3 - t2)
print(f"riptide clean --preset telco: {r / 1e6:6.2f} M records/s ({t1 - t0:.2f} s, {rr} rows out)")
print(f"pandas (bench/clean_pandas.py): {p / 1e6:6.2f} M records/s ({t3 - t2:.2f} s, {rp} rows out)")
print(f"ratio: {r / p:.1f}x pandas (target >= 20x)" + ("" if rr == rp else "  ROW COUNTS DIFFER"))
PY
else
  echo "riptide clean --preset telco: $records records in $(python3 -c "print(f'{$t1 - $t0:.2f}')") s; pandas not installed (make deps-bench)"
fi

#!/usr/bin/env bash
# Cleansing, on the replicated Telco file of bench/make_data.sh (>= 500 MB, ~3.8 M records):
#  (1) clean_bench (Google Benchmark, one core, median of 3): records/s of the telco chain over the
#      file beside the bare CSV parse of the same file, and of the chain alone over records held
#      in memory beside merely walking them;
#  (2) `riptide clean --preset telco` end to end (read, cleanse, write CSV) beside the same
#      cleansing written idiomatically in pandas (bench/clean_pandas.py, Debian python3-pandas) on
#      the same file: rows/s and the ratio (target >= 20x pandas on one core). Both outputs are
#      compared: same rows, same values.
# RIPTIDE_CLEAN_BENCH_MB (default 500) sizes the input.
set -euo pipefail
build=${1:-build-bench}
cd "$(dirname "$0")/.."
py=/usr/bin/python3  # Debian's python3 with python3-pandas (not a virtualenv's)
bash bench/make_data.sh "${RIPTIDE_CLEAN_BENCH_MB:-500}" 2>/dev/null
data=bench/data/telco_big.csv
records=$(($(wc -l < "$data") - 1))
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
echo "input: $data ($records records, $(du -m "$data" | cut -f1) MB)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pin=""
command -v taskset >/dev/null && pin="taskset -c 0"
RIPTIDE_CLEAN_BENCH_FILE=$data $pin "$build/bin/clean_bench" --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true --benchmark_format=json >"$work/bench.json"
$py - "$work/bench.json" <<'PY'
import json, sys
runs = [b for b in json.load(open(sys.argv[1]))["benchmarks"] if b.get("aggregate_name") == "median"]
rate = {b["run_name"]: b["items_per_second"] for b in runs}
parse, telco = rate["csv_parse"], rate["csv_parse_telco"]
touch, chain = rate["touch_memory"], rate["telco_chain_memory"]
print("clean_bench (CPU time, median of 3):")
print(f"  csv parse only              {parse / 1e6:7.2f} M records/s (baseline)")
print(f"  csv parse + telco chain     {telco / 1e6:7.2f} M records/s = {telco / parse:.2f} x the bare parse")
print(f"  in memory: walk fields      {touch / 1e6:7.2f} M records/s (floor)")
print(f"  in memory: telco chain      {chain / 1e6:7.2f} M records/s "
      f"({1e9 / chain:.0f} ns/record; parse + chain predicted "
      f"{1 / (1 / parse + 1 / chain) / 1e6:.2f} M/s)")
PY

# End to end, each run timed by wall clock and by its CPU time (user + system, from wait4): on a
# shared machine the CPU time is the fairer one-core figure; both are printed.
if ! $py -c 'import pandas' 2>/dev/null; then
  echo "pandas not installed (make deps-bench): end-to-end comparison skipped"
  exit 0
fi
$py - "$records" "$build/bin/riptide" "$data" "$work" "$pin" <<'PY'
import os, subprocess, sys, time
n, riptide, data, work, pin = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
def run(cmd):
    t0 = time.monotonic()
    p = subprocess.Popen(pin.split() + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    if status != 0:
        sys.exit(f"failed: {' '.join(cmd)}")
    return time.monotonic() - t0, usage.ru_utime + usage.ru_stime
def rows(path):
    with open(path, "rb") as f:
        return sum(1 for _ in f) - 1
rw, rc = run([riptide, "clean", data, "--preset", "telco", "--out", f"{work}/riptide.csv"])
pw, pc = run(["/usr/bin/python3", "bench/clean_pandas.py", data, f"{work}/pandas.csv"])
rr, rp = rows(f"{work}/riptide.csv"), rows(f"{work}/pandas.csv")
print("end to end (read + cleanse + write CSV, one core):")
for name, w, c, r in (("riptide clean --preset telco  ", rw, rc, rr),
                      ("pandas (bench/clean_pandas.py)", pw, pc, rp)):
    print(f"  {name} {n / c / 1e6:6.2f} M records/s by CPU time ({c:.2f} s), "
          f"{n / w / 1e6:6.2f} M/s by wall clock ({w:.2f} s), {r} rows out")
print(f"  ratio: {pc / rc:.1f}x pandas by CPU time, {pw / rw:.1f}x by wall clock (target >= 20x)"
      + ("" if rr == rp else "  ROW COUNTS DIFFER"))
PY
# Same output? Compare row by row (numbers to 1e-9 relative): a ratio means nothing otherwise.
$py - "$work/riptide.csv" "$work/pandas.csv" <<'PY'
import csv, sys
with open(sys.argv[1], newline="") as a, open(sys.argv[2], newline="") as b:
    ra, rb = csv.reader(a), csv.reader(b)
    ha, hb = next(ra), next(rb)
    if ha != hb:
        sys.exit(f"  OUTPUTS DIFFER: headers {ha} vs {hb}")
    n = 0
    for x, y in zip(ra, rb):
        n += 1
        for u, v in zip(x, y):
            if u == v:
                continue
            try:
                same = abs(float(u) - float(v)) <= 1e-9 * max(abs(float(u)), abs(float(v)))
            except ValueError:
                same = False
            if not same:
                sys.exit(f"  OUTPUTS DIFFER at row {n}: {x} vs {y}")
print(f"  outputs agree ({n} rows compared)")
PY

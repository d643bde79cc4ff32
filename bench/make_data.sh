#!/usr/bin/env bash
# Generates the large Telco-like inputs the benchmarks read (not committed; bench/data/ is
# gitignored): the bundled train CSV replicated to >= 500 MB, and the same records as JSON Lines.
#   bench/data/telco_big.csv    header once, then every replica's rows; customerID gets "-rN"
#                               appended so that ids stay unique across replicas
#   bench/data/telco_big.jsonl  one object per row, numbers typed (tenure, SeniorCitizen as
#                               integers, charges as reals, a blank TotalCharges as null)
# Usage: bench/make_data.sh [MIN_MB]   (default 500; files are reused when already big enough)
set -euo pipefail
cd "$(dirname "$0")/.."
min_mb=${1:-500}
src=data/telco_customer_churn_train_data.csv
out=bench/data
mkdir -p "$out"
src_bytes=$(wc -c < "$src")
replicas=$(( (min_mb * 1024 * 1024) / src_bytes + 1 ))

big_enough() { [ -f "$1" ] && [ "$(wc -c < "$1")" -ge $(( min_mb * 1024 * 1024 )) ]; }

if ! big_enough "$out/telco_big.csv"; then
  echo "make_data: writing $out/telco_big.csv ($replicas replicas)" >&2
  # The source has no quoted fields, so splitting on commas is exact; a missing final newline
  # is supplied.
  awk -F, -v OFS=, -v replicas="$replicas" '
    NR == 1 { header = $0; next }
    { rows[++n] = $0 }
    END {
      print header
      for (r = 1; r <= replicas; ++r)
        for (i = 1; i <= n; ++i) {
          line = rows[i]
          sub(/,/, "-r" r ",", line)
          print line
        }
    }' "$src" > "$out/telco_big.csv.tmp"
  mv "$out/telco_big.csv.tmp" "$out/telco_big.csv"
fi

if ! big_enough "$out/telco_big.jsonl"; then
  echo "make_data: writing $out/telco_big.jsonl" >&2
  python3 - "$src" "$min_mb" > "$out/telco_big.jsonl.tmp" <<'PY'
import csv, json, sys
src, min_bytes = sys.argv[1], int(sys.argv[2]) * 1024 * 1024
ints = {"SeniorCitizen", "tenure"}
reals = {"MonthlyCharges", "TotalCharges"}
with open(src, newline="") as f:
    rows = list(csv.DictReader(f))
def typed(row):
    out = {}
    for k, v in row.items():
        if k in ints:
            out[k] = int(v)
        elif k in reals:
            out[k] = float(v) if v.strip() else None
        else:
            out[k] = v
    return out
base = [typed(r) for r in rows]
base_bytes = sum(len(json.dumps(r, separators=(",", ":"))) + 1 for r in base)
replicas = min_bytes // base_bytes + 1
w = sys.stdout.write
for r in range(1, replicas + 1):
    suffix = "-r%d" % r
    for row in base:
        row = dict(row)
        row["customerID"] += suffix
        w(json.dumps(row, separators=(",", ":")))
        w("\n")
PY
  mv "$out/telco_big.jsonl.tmp" "$out/telco_big.jsonl"
fi
ls -l "$out"/telco_big.csv "$out"/telco_big.jsonl >&2

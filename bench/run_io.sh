#!/usr/bin/env bash
# Ingestion benchmarks (bench/io_bench.cpp) on >= 500 MB Telco-like files (bench/make_data.sh),
# each beside its baseline measured in the same run; prints MB/s, records/s and the ratios the
# targets are stated in. Rates are per CPU second of the benchmark thread (one core).
# Usage: bench/run_io.sh [BUILD_DIR]   (env IO_BENCH_REPS, default 5: the median is reported)
set -euo pipefail
build=${1:-build-bench}
cd "$(dirname "$0")/.."
bash bench/make_data.sh >/dev/null 2>&1 || bash bench/make_data.sh
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# Repetitions of all benchmarks are interleaved at random, so that a ratio's two sides see the same
# moments of a shared machine.
"$build/bin/io_bench" --benchmark_repetitions="${IO_BENCH_REPS:-5}" \
  --benchmark_enable_random_interleaving=true --benchmark_report_aggregates_only=true --benchmark_out="$out" --benchmark_out_format=json \
  >/dev/null
python3 - "$out" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["benchmarks"]
med = {r["run_name"]: r for r in runs if r.get("aggregate_name") == "median"}
def rate(name):
    r = med[name]
    return r["bytes_per_second"] / 1e6, r["items_per_second"]
print("%-26s %10s %14s" % ("benchmark", "MB/s", "records/s"))
for name in med:
    mb, items = rate(name)
    print("%-26s %10.0f %14.0f" % (name, mb, items))
csv, nl = rate("csv_parse")[0], rate("newline_count/csv")[0]
scalar = rate("csv_parse_scalar")[0]
jl, sj = rate("jsonl_parse")[0], rate("simdjson_parse_many")[0]
print()
print("CSV parse: %.0f MB/s (target >= 1000): %s" % (csv, "met" if csv >= 1000 else "NOT met"))
print("CSV parse / memchr newline count: %.1f%% (target >= 40%%): %s"
      % (100 * csv / nl, "met" if csv >= 0.4 * nl else "NOT met"))
for kernel in ("avx2", "avx512"):
    if "csv_parse_" + kernel in med:
        print("CSV %s / scalar kernel: %.2fx" % (kernel, rate("csv_parse_" + kernel)[0] / scalar))
print("JSONL parse / simdjson parse_many: %.1f%% (target >= 80%%): %s"
      % (100 * jl / sj, "met" if jl >= 0.8 * sj else "NOT met"))
dom = rate("jsonl_parse_dom")[0]
print("JSONL On-Demand (default) / DOM parser only: %.2fx" % (jl / dom))
print("JSONL On-Demand in batches / line by line: %.2fx" % (jl / rate("jsonl_parse_line_by_line")[0]))
print("JSONL DOM in batches / line by line: %.2fx" % (dom / rate("jsonl_parse_dom_line_by_line")[0]))
print("JSONL DOM tape walk / dom::element walk: %.2fx" % (dom / rate("jsonl_parse_element_walk")[0]))
PY

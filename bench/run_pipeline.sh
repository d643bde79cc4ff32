#!/usr/bin/env bash
# riptide::pipeline beside its stages run by hand (bench/pipeline_bench.cpp), in the same run:
# the price of the one-object API, as ratios pipeline / by hand (per-record CPU time).
set -euo pipefail
build=${1:-build-bench}
cd "$(dirname "$0")/.."
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$build/bin/pipeline_bench" --benchmark_min_time=1 --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true --benchmark_format=json >"$out"
cpu() { jq -r --arg n "$1_median" '.benchmarks[] | select(.name == $n) | .cpu_time' "$out"; }
ratio() { awk -v a="$(cpu "$1")" -v b="$(cpu "$2")" -v l="$3" \
  'BEGIN { printf "%-44s %8.0f ns vs %8.0f ns   ratio %.3f\n", l, a, b, a / b }'; }
ratio BM_pipeline_predict BM_stages_predict_by_hand "predict (scratch) / stages by hand"
ratio BM_pipeline_predict_then_learn BM_stages_learn_by_hand "predict_then_learn / stages by hand"
ratio BM_pipeline_predict_fresh_scratch BM_pipeline_predict "predict (fresh scratch) / with scratch"

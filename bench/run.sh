#!/usr/bin/env bash
# `make bench`: runs every bench/run_*.sh (one per area) with the bench build directory.
# Each prints its figures beside the baseline measured in the same run, as ratios.
set -euo pipefail
build=${1:-build-bench}
cd "$(dirname "$0")/.."
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
shopt -s nullglob
scripts=(bench/run_*.sh)
if [ ${#scripts[@]} -eq 0 ]; then
  echo "no benchmarks yet"
  exit 0
fi
for script in "${scripts[@]}"; do
  echo "== $script"
  bash "$script" "$build"
done

#!/usr/bin/env bash
# Speed unchanged? Runs two riptide binaries on the replicated Telco files (bench/make_data.sh),
# interleaved, REPS times each, and prints the median CPU throughput of each side and NEW/OLD:
#   replay (telco preset, CSV and JSON Lines): the report's cpu_records_per_s (first pass)
#   clean (telco preset, CSV): records / user+sys CPU seconds of the whole command
#   bench/ab_speed.sh OLD_BIN NEW_BIN [REPS=5] [MIN_MB=500]
set -euo pipefail
cd "$(dirname "$0")/.."
old=$(realpath "$1")
new=$(realpath "$2")
reps=${3:-5}
bench/make_data.sh "${4:-500}" >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

replay_rate() {  # bin input
  "$1" replay "$2" --preset telco --report "$work/r.json" >/dev/null
  jq '.throughput.cpu_records_per_s' "$work/r.json"
}
clean_rate() {  # bin input
  local t records
  t=$( { /usr/bin/time -f '%U %S' "$1" clean "$2" --preset telco --out /dev/null 2>&1 >/dev/null |
         tail -1; } )
  records=$(($(wc -l < "$2") - 1))
  awk -v r="$records" -v t="$t" 'BEGIN { split(t, a, " "); print r / (a[1] + a[2]) }'
}

for job in "replay bench/data/telco_big.csv" "replay bench/data/telco_big.jsonl" \
           "clean bench/data/telco_big.csv"; do
  read -r kind input <<<"$job"
  : >"$work/old"; : >"$work/new"
  for ((i = 0; i < reps; ++i)); do
    for side in old new; do  # interleaved: both sides see the same moments of a shared machine
      bin=$old; [ $side = new ] && bin=$new
      "${kind}_rate" "$bin" "$input" >>"$work/$side"
    done
  done
  o=$(median <"$work/old"); n=$(median <"$work/new")
  awk -v k="$kind $(basename "$input")" -v o="$o" -v n="$n" \
    'BEGIN { printf "%-28s old %12.0f  new %12.0f  records/CPU-s   new/old %.3f\n", k, o, n, n / o }'
done

#!/usr/bin/env bash
# Behaviour unchanged? Runs two riptide binaries on the same inputs and compares every output byte
# for byte, apart from timing fields (replay's "throughput" object and its console line, profile's
# and clean's timings). Inputs: the bundled train and score data, three messified exports (CSV seed
# 1, JSON Lines seed 2, CSV seed 3, made by OLD), and the replicated file when given.
#   bench/ab_outputs.sh OLD_BIN NEW_BIN [REPLICATED.csv]
# Prints one line per output compared and exits 1 when any differs.
set -euo pipefail
cd "$(dirname "$0")/.."
old=$(realpath "$1")
new=$(realpath "$2")
big=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

train=data/telco_customer_churn_train_data.csv
score=data/telco_customer_churn_score_data.csv
"$old" messify "$train" --seed 1 --out "$work/messy1.csv" >/dev/null
"$old" messify "$train" --seed 2 --format jsonl --out "$work/messy2.jsonl" >/dev/null
"$old" messify "$train" --seed 3 --out "$work/messy3.csv" >/dev/null
inputs=("$train" "$score" "$work/messy1.csv" "$work/messy2.jsonl" "$work/messy3.csv")
# the preset's rules without the label binding (keys an older binary may not know)
jq 'del(.label, .positive, .id)' data/presets/telco.json > "$work/rules.json"
[ -n "$big" ] && inputs+=("$big")

# Timing fields out: JSON objects lose "throughput" and "seconds"-like keys; console lines that
# print a rate lose their numbers.
strip_json() {
  [ -f "$1" ] || { echo "(absent)"; return; }
  jq -S 'walk(if type == "object" then del(.throughput, .elapsed_seconds, .seconds) else . end)' \
    "$1" 2>/dev/null || cat "$1"
}
strip_text() { [ -f "$1" ] || { echo "(absent)"; return; }; sed -E 's/[0-9]+ records\/s.*$/RATE/; s/[0-9.]+ s\b/T s/g' "$1"; }

failed=0
compare() {  # name, file-old, file-new, kind
  local a=$2 b=$3
  [ -f "$a" ] || { echo "(absent)" > "$work/a.abs"; a=$work/a.abs; }
  [ -f "$b" ] || { echo "(absent)" > "$work/b.abs"; b=$work/b.abs; }
  if [ "$4" = json ]; then
    strip_json "$2" > "$work/a.norm"; strip_json "$3" > "$work/b.norm"; a=$work/a.norm; b=$work/b.norm
  elif [ "$4" = text ]; then
    strip_text "$2" > "$work/a.norm"; strip_text "$3" > "$work/b.norm"; a=$work/a.norm; b=$work/b.norm
  fi
  if cmp -s "$a" "$b"; then
    echo "same    $1"
  else
    echo "DIFFERS $1"; diff "$a" "$b" | head -5 || true
    failed=1
  fi
}

run_both() {  # name, kinds-of-files (space separated "file:kind"), then the arguments with @OUT@
  local name=$1 files=$2; shift 2
  for side in old new; do
    local bin=$old; [ $side = new ] && bin=$new
    mkdir -p "$work/$side"; rm -f "$work/$side"/*
    local args=("${@//@OUT@/$work/$side}")
    set +e
    "$bin" "${args[@]}" <"${ab_stdin:-/dev/null}" >"$work/$side/stdout" 2>"$work/$side/stderr"
    echo $? >"$work/$side/rc"
    set -e
  done
  compare "$name [exit]" "$work/old/rc" "$work/new/rc" bytes
  compare "$name [stdout]" "$work/old/stdout" "$work/new/stdout" text
  compare "$name [stderr]" "$work/old/stderr" "$work/new/stderr" text
  for f in $files; do
    compare "$name [${f%%:*}]" "$work/old/${f%%:*}" "$work/new/${f%%:*}" "${f##*:}"
  done
}

for in in "${inputs[@]}"; do
  b=$(basename "$in")
  files="out.csv:bytes q.jsonl:bytes r.json:json"
  run_both "clean preset $b" "$files" clean "$in" --preset telco --out @OUT@/out.csv \
    --quarantine @OUT@/q.jsonl --report @OUT@/r.json
  run_both "clean rules $b" "$files" clean "$in" --rules "$work/rules.json" \
    --out @OUT@/out.csv --quarantine @OUT@/q.jsonl --report @OUT@/r.json
  run_both "clean inferred $b" "$files" clean "$in" --out @OUT@/out.csv \
    --quarantine @OUT@/q.jsonl --report @OUT@/r.json
  run_both "profile $b" "" profile "$in"
  run_both "replay preset $b" "r.json:json" replay "$in" --preset telco --holdout-every 5 \
    --report @OUT@/r.json
  case $b in *score*) continue ;; esac  # the score data has no label
  run_both "replay generic $b" "r.json:json" replay "$in" --label Churn --positive Yes \
    --id customerID --holdout-every 5 --report @OUT@/r.json
  run_both "replay drift $b" "r.json:json" replay "$in" --preset telco --drift adwin \
    --holdout-every 5 --report @OUT@/r.json
  run_both "replay passes $b" "r.json:json" replay "$in" --preset telco --passes 3 \
    --holdout-every 5 --report @OUT@/r.json
  [ "$in" = "$train" ] || continue
  for opt in sgd adagrad ftrl adaptive; do
    run_both "replay $opt $b" "r.json:json" replay "$in" --preset telco --optimizer "$opt" \
      --holdout-every 5 --passes 2 --refine sgd --report @OUT@/r.json
    run_both "replay $opt lr $b" "r.json:json" replay "$in" --preset telco --optimizer "$opt" \
      --lr 0.1 --learner svm --report @OUT@/r.json
  done
  run_both "replay drift params kswin $b" "r.json:json" replay "$in" --preset telco \
    --drift kswin --drift-param alpha=0.01 --drift-param seed=3 --report @OUT@/r.json
  run_both "replay drift params hddm-w $b" "r.json:json" replay "$in" --preset telco \
    --drift hddm-w --drift-param lambda=0.1 --drift-param two_sided_test=true \
    --feature-drift-window 500 --report @OUT@/r.json
  ab_stdin=$in run_both "replay stdin $b" "r.json:json" replay - --preset telco --holdout-every 4 \
    --passes 2 --report @OUT@/r.json
  for det in page-hinkley kswin ddm eddm hddm-a hddm-w; do
    run_both "replay drift $det $b" "r.json:json" replay "$in" --preset telco --drift "$det" \
      --report @OUT@/r.json
  done
done
exit $failed

#!/usr/bin/env bash
# Generalisation: prequential accuracy of `riptide replay` with its defaults (no tuning) beside a
# grid-tuned scikit-learn online logistic regression (bench/online_lr_peer.py: the best of 15
# learning-rate / L2 configurations, chosen in hindsight) on the same streams, in the same run.
# Streams: River's synthetic concepts from `riptide synth` (always), and any real CSV streams given
# as FILE:LABEL:POSITIVE arguments or in $RIPTIDE_GENERALIZE (space separated), e.g. the
# electricity, weather and phishing streams of the scikit-multiflow streaming-datasets
# repository: RIPTIDE_GENERALIZE="elec.csv:class:1 weather.csv:target:1 phishing.csv:target:1".
# Target: riptide within 1 accuracy point of the peer on every stream.
set -euo pipefail
build=${1:-build-bench}
cd "$(dirname "$0")/.."
py=/usr/bin/python3  # Debian's python3 with python3-sklearn (not a virtualenv's)
dir=bench/data/generalize
mkdir -p "$dir"
riptide="$build/bin/riptide"

"$riptide" synth sea --n 5000 --seed 1 -o "$dir/sea.csv" > /dev/null
"$riptide" synth hyperplane --n 10000 --seed 2 -o "$dir/hyperplane.csv" > /dev/null
"$riptide" synth stagger --n 10000 --seed 3 -o "$dir/stagger.csv" > /dev/null
"$riptide" synth stagger --n 12000 --drift-at 2000,4000,6000,8000,10000 --seed 5 \
  -o "$dir/stagger_drifting.csv" > /dev/null
streams=("$dir/sea.csv:label:1" "$dir/hyperplane.csv:label:1" "$dir/stagger.csv:label:1"
         "$dir/stagger_drifting.csv:label:1")
for s in ${RIPTIDE_GENERALIZE:-} "$@"; do
  [ "$s" = "$build" ] && continue
  streams+=("$s")
done

echo "-- prequential accuracy: riptide replay (defaults) vs grid-tuned sklearn online LR"
printf '%-28s %9s %9s %8s  %s\n' stream riptide peer diff "riptide's choice / peer's best"
for s in "${streams[@]}"; do
  IFS=: read -r file label positive <<< "$s"
  name=$(basename "$file" .csv)
  "$riptide" replay "$file" --label "$label" --positive "$positive" \
    --report "$dir/$name.riptide.json" > /dev/null
  "$py" bench/online_lr_peer.py "$file" "$label" "$positive" > "$dir/$name.peer.json"
  "$py" - "$dir/$name.riptide.json" "$dir/$name.peer.json" "$name" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
p = json.load(open(sys.argv[2]))
a, b = r["prequential"]["accuracy"], p["best_accuracy"]
lr = r["config"]["learning_rate"]
choice = f'{lr.get("chosen_optimizer", r["config"]["optimizer"])} {lr.get("chosen", lr)}'
best = p["best_config"]
print(f'{sys.argv[3]:<28} {a:9.4f} {b:9.4f} {100 * (a - b):+7.2f}pt  {choice} / '
      f'{best["learning_rate"]} eta0={best["eta0"]} alpha={best["alpha"]}')
PY
done

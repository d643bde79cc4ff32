#!/usr/bin/env bash
# The main job on the bundled Telco data; `make demo` runs it after building.
set -euo pipefail
riptide=${1:-build/bin/riptide}
train=data/telco_customer_churn_train_data.csv
score=data/telco_customer_churn_score_data.csv

echo "== riptide demo =="
"$riptide" info
echo
echo "== summary =="
echo "train: $train ($(awk 'END { print NR - 1 }' "$train") records)"
echo "score: $score ($(awk 'END { print NR - 1 }' "$score") records)"

echo
echo "== clean: the telco preset (the seed's Spark Lab 1 job) =="
clean_dir=$(mktemp -d)
"$riptide" clean "$train" --preset telco --out "$clean_dir/train.csv" \
  --quarantine "$clean_dir/quarantine.jsonl" --report "$clean_dir/report.json"
echo "quarantined: $(wc -l < "$clean_dir/quarantine.jsonl") ($(head -c 120 "$clean_dir/quarantine.jsonl")...)"
head -3 "$clean_dir/train.csv"
echo "messy export: riptide messify (seed 7), then the same preset:"
"$riptide" messify "$train" --seed 7 --out "$clean_dir/messy.csv" --truth "$clean_dir/truth.json"
"$riptide" clean "$clean_dir/messy.csv" --preset telco --out "$clean_dir/messy_clean.csv" \
  --report "$clean_dir/messy_report.json"
echo "the same as a messy JSON Lines export (seed 8), then the same preset:"
"$riptide" messify "$train" --seed 8 --format jsonl --out "$clean_dir/messy.jsonl"
"$riptide" clean "$clean_dir/messy.jsonl" --preset telco --out "$clean_dir/messy_jsonl_clean.csv"
rm -rf "$clean_dir"

echo
echo "== drift: SEA stream, concept changes at records 10000 and 20000, ADWIN on its labels =="
sea=$(mktemp)
"$riptide" synth sea --n 30000 --drift-at 10000,20000 --seed 7 -o "$sea"
tail -n +2 "$sea" | cut -d, -f4 | "$riptide" drift --detector adwin |
  sed 's/^/drift detected after record /'
rm -f "$sea"

pipeline=$(dirname "$riptide")/churn_pipeline
if [ -x "$pipeline" ]; then
  echo
  echo "== the same pipe through the library: examples/pipeline/churn_pipeline.cpp =="
  "$pipeline"
fi

echo
echo "== profile (train): riptide profile $train =="
profile_json=$("$riptide" profile "$train")
echo "$profile_json" | grep -o '"records":[0-9]*,"good":[0-9]*,"errors":[0-9]*'
echo "$profile_json" | grep -o '{"name":"TotalCharges"[^}]*}[^}]*}'

echo
echo "== replay: the Telco file as a stream, clean -> encode -> learn, test-then-train =="
echo "   (every 5th clean record held out and scored by the final model)"
"$riptide" replay "$train" --preset telco --holdout-every 5

echo
echo "== replay --drift adwin: telco-shift, the contract's effect on churn inverted at record 10000 and back at 20000 =="
shifted=$(mktemp)
"$riptide" synth telco-shift --n 30000 --drift-at 10000,20000 --seed 7 -o "$shifted"
echo "without drift handling:"
"$riptide" replay "$shifted" --label Churn --positive Yes --id customerID | grep '^prequential'
echo "with --drift adwin (a drift resets the model, the old one on trial in the background):"
"$riptide" replay "$shifted" --label Churn --positive Yes --id customerID --drift adwin \
  --report "$shifted.json" | grep -E '^(prequential|drift)'
echo "drift.events in the report:"
tr -d ' \n' < "$shifted.json" | grep -o '"events":\[[^]]*\]' | head -c 600
echo
rm -f "$shifted" "$shifted.json"

echo
echo "== the seed's Labs 2-3: train into a registry, promote the champion through the gate (holdout AUC >= 0.6), score =="
registry=$(mktemp -d)
"$riptide" replay "$train" --preset telco --registry "$registry/reg" --snapshot-every 2000 2>&1 |
  grep -E '^(registry|holdout)'
tail -n 1 "$registry/reg/decisions.jsonl" | head -c 400
echo
echo "champion: $(cat "$registry/reg/champion")"
"$riptide" predict --registry "$registry/reg" "$score" --out "$registry/predictions.csv" \
  --quarantine "$registry/quarantine.jsonl"
echo "first predictions (id,probability,label):"
head -n 6 "$registry/predictions.csv"
echo "predictions: $(($(wc -l < "$registry/predictions.csv") - 1)) of $(awk 'END { print NR - 1 }' "$score") customers"
champion=$(sed -n 's/.*"snapshot":"\([^"]*\)".*/\1/p' "$registry/reg/champion")
echo "riptide inspect $champion: the largest weights"
"$riptide" inspect "$registry/reg/$champion" --top 5 |
  tr -d '\n' | tr -s ' ' | grep -o '"top_weights":\[[^]]*\]' | head -c 500
echo
rm -rf "$registry"

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
echo "train: $train ($(($(wc -l < "$train") - 1)) records)"
echo "score: $score ($(($(wc -l < "$score") - 1)) records)"

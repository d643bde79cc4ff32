#!/usr/bin/env bash
# Learning benchmarks, each beside its baseline in the same run:
#  1. learn step (learn_one) on Telco-sized sparse vectors (~20 active features) vs
#     scikit-learn's SGDClassifier.partial_fit on the same vectors (ratio of updates/s);
#  2. Telco holdout AUC of `riptide replay --preset telco --holdout-every 5` (1 and 5 passes) vs
#     scikit-learn's batch LogisticRegression on the same split and features;
#  3. full replay throughput (parse + clean + encode + learn + prequential metrics) on the
#     replicated Telco file from bench/make_data.sh, beside the same streaming job in pandas +
#     scikit-learn (bench/replay_peer.py).
set -euo pipefail
build=${1:-build-bench}
cd "$(dirname "$0")/.."
py=/usr/bin/python3  # Debian's python3 with python3-sklearn (not a virtualenv's)
mkdir -p bench/data

echo "-- learn step: riptide learn_one vs sklearn SGDClassifier.partial_fit (one core)"
"$build/bin/learn_bench" --dump=bench/data/learn_vectors.bin
"$build/bin/learn_bench" --benchmark_format=json --benchmark_min_time=1 \
  > bench/data/learn_bench.json
"$py" bench/sklearn_learn_peer.py bench/data/learn_vectors.bin > bench/data/learn_peer.json
"$py" - <<'PY'
import json
b = json.load(open("bench/data/learn_bench.json"))
peer = json.load(open("bench/data/learn_peer.json"))
base = peer["partial_fit_whole_array_updates_per_s"]
one = peer["partial_fit_per_record_updates_per_s"]
print(f"vectors: {peer['records']} records, {peer['active_features']:.1f} active features each")
print(f"sklearn SGDClassifier.partial_fit, whole array in one call: {base / 1e6:8.2f} M updates/s")
print(f"sklearn SGDClassifier.partial_fit, one record per call:     {one / 1e6:8.4f} M updates/s")
for r in b["benchmarks"]:
    ips = r["items_per_second"]
    print(f"{r['name']:32s} {ips / 1e6:8.2f} M/s   x{ips / base:6.1f} vs whole-array partial_fit"
          f"   x{ips / one:8.0f} vs per-record partial_fit")
PY

riptide="$build/bin/riptide"
if [ ! -x "$riptide" ] || ! "$riptide" replay --help > /dev/null 2>&1; then
  echo "-- riptide replay not built: skipping the Telco accuracy and replay throughput runs"
  exit 0
fi

echo "-- Telco holdout (clean records with i % 5 == 4): riptide replay vs sklearn LogisticRegression"
train=data/telco_customer_churn_train_data.csv
"$py" bench/telco_baseline.py "$train" 5 > bench/data/telco_baseline.json
"$riptide" replay "$train" --preset telco --holdout-every 5 --report bench/data/replay1.json \
  > /dev/null
"$riptide" replay "$train" --preset telco --holdout-every 5 --passes 5 \
  --report bench/data/replay5.json > /dev/null
"$py" - <<'PY'
import json
base = json.load(open("bench/data/telco_baseline.json"))["holdout"]
print(f"sklearn LogisticRegression (batch):      holdout AUC {base['auc']:.4f}  "
      f"logloss {base['logloss']:.4f}  accuracy {base['accuracy']:.4f}  n {base['n']}")
for passes in (1, 5):
    r = json.load(open(f"bench/data/replay{passes}.json"))
    h = r["holdout"]
    print(f"riptide replay --passes {passes} (online):   holdout AUC {h['auc']:.4f}  "
          f"logloss {h['logloss']:.4f}  accuracy {h['accuracy']:.4f}  n {h['n']}  "
          f"(AUC - sklearn: {h['auc'] - base['auc']:+.4f}; prequential AUC "
          f"{r['prequential']['auc']:.4f})")
PY

echo "-- full replay throughput on the replicated Telco file, beside pandas + scikit-learn"
bash bench/make_data.sh > /dev/null
big=bench/data/telco_big.csv
"$riptide" replay "$big" --preset telco --report bench/data/replay_big.json > /dev/null
"$py" bench/replay_peer.py "$big" > bench/data/replay_peer.json
"$py" - <<'PY'
import json
r = json.load(open("bench/data/replay_big.json"))
p = json.load(open("bench/data/replay_peer.json"))
t = r["throughput"]
rate, cpu_rate = t["records_per_s"], t["cpu_records_per_s"]
print(f"riptide replay --preset telco: {r['records']['in']} records, {rate / 1e6:.2f} M records/s "
      f"wall ({t['seconds']:.2f} s), {cpu_rate / 1e6:.2f} M records/s CPU ({t['cpu_seconds']:.2f} s); "
      f"prequential AUC {r['prequential']['auc']:.4f}; target >= 1 M records/s")
print(f"pandas + sklearn partial_fit peer: {p['records']} records, "
      f"{p['records_per_s'] / 1e6:.3f} M records/s wall ({p['seconds']:.1f} s), "
      f"{p['cpu_records_per_s'] / 1e6:.3f} M records/s CPU ({p['cpu_seconds']:.1f} s); "
      f"prequential AUC {p['prequential_auc']:.4f}")
print(f"ratio riptide / peer: x{rate / p['records_per_s']:.1f} wall, "
      f"x{cpu_rate / p['cpu_records_per_s']:.1f} CPU")
PY

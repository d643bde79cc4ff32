// riptide::pipeline against its stages run by hand, on the bundled Telco records (one core):
//   predict (a scratch per thread)      vs chain.process + encoder.transform + predict_proba
//   predict (a fresh scratch per call)  the convenience overload: what making a scratch costs
//   predict_then_learn                  vs chain + encoder.learn_one + predict_then_learn + metric
// The ratios (pipeline / by hand) are the price of the pipeline's one-object API; run from the
// repository root: build-bench/bench/pipeline_bench (make bench builds it).
#include <benchmark/benchmark.h>

#include <cstddef>
#include <memory>
#include <vector>

#include "riptide/clean/preset.hpp"
#include "riptide/features/encoder.hpp"
#include "riptide/io/csv.hpp"
#include "riptide/learn/make_classifier.hpp"
#include "riptide/metrics/prequential.hpp"
#include "riptide/pipeline.hpp"

namespace {

const char* const train = "data/telco_customer_churn_train_data.csv";

struct records {
  std::unique_ptr<riptide::io::csv_reader> reader;  // owns the records' schema
  std::vector<riptide::io::record> all;
};

const records& telco() {
  static const records r = [] {
    records out{std::make_unique<riptide::io::csv_reader>(riptide::io::read_csv(train)), {}};
    for (const auto& rec : *out.reader) out.all.emplace_back(rec);
    return out;
  }();
  return r;
}

const riptide::pipeline_config config{.preset = "telco",
                                      .model = {.optimizer = "adagrad", .lr = 0.05}};

const riptide::pipeline& trained() {
  static const riptide::pipeline p = [] {
    riptide::pipeline q{config};
    for (const auto& r : telco().all) q.predict_then_learn(r.view());
    return q;
  }();
  return p;
}

void BM_pipeline_predict(benchmark::State& state) {
  const auto& p = trained();
  auto scratch = p.make_scratch();
  const auto& all = telco().all;
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(p.predict(all[i].view(), scratch).probability);
    if (++i == all.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_stages_predict_by_hand(benchmark::State& state) {
  // the same trained state, driven stage by stage as before the pipeline existed
  riptide::pipeline p = [] {
    riptide::pipeline q{config};
    for (const auto& r : telco().all) q.predict_then_learn(r.view());
    return q;
  }();
  auto chain = riptide::clean::preset("telco").without("dedup");
  riptide::features::sparse_vector x;
  const auto& all = telco().all;
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& row = chain.process(all[i].view());
    if (row.status == riptide::clean::disposition::clean ||
        row.status == riptide::clean::disposition::repaired) {
      p.encoder().transform(row, x);
      benchmark::DoNotOptimize(p.served().predict_proba(x));
    }
    if (++i == all.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_pipeline_predict_fresh_scratch(benchmark::State& state) {
  const auto& p = trained();
  const auto& all = telco().all;
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(p.predict(all[i].view()).probability);
    if (++i == all.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

// Learning cycles through the records again and again: without dedup, or the second cycle would
// be all duplicates.
void BM_pipeline_predict_then_learn(benchmark::State& state) {
  riptide::pipeline p{riptide::clean::preset("telco").without("dedup"), config};
  const auto& all = telco().all;
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(p.predict_then_learn(all[i].view()).probability);
    if (++i == all.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_stages_learn_by_hand(benchmark::State& state) {
  auto chain = riptide::clean::preset("telco").without("dedup");
  riptide::features::encoder enc{{.label = "churn", .positive = "yes", .id = "customer_id"}};
  auto model = riptide::learn::make_classifier(config.model);
  riptide::metrics::prequential eval{{.window = 1000, .curve_every = 500}};
  riptide::features::sparse_vector x;
  const auto& all = telco().all;
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& row = chain.process(all[i].view());
    if (row.status == riptide::clean::disposition::clean ||
        row.status == riptide::clean::disposition::repaired) {
      enc.learn_one(row, x);
      if (const auto y = enc.label_of(row)) eval.update(*y, model.predict_then_learn(x, *y));
    }
    if (++i == all.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

BENCHMARK(BM_pipeline_predict);
BENCHMARK(BM_stages_predict_by_hand);
BENCHMARK(BM_pipeline_predict_fresh_scratch);
BENCHMARK(BM_pipeline_predict_then_learn);
BENCHMARK(BM_stages_learn_by_hand);

BENCHMARK_MAIN();

// Learn step throughput on Telco-sized sparse vectors (~20 active features: 16 one-hot columns
// and 4 standardised numbers), one core. bench/run_learn.sh runs it beside scikit-learn's
// SGDClassifier.partial_fit on the same vectors (dumped with --dump=PATH) and prints the ratio.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "riptide/learn/adagrad.hpp"
#include "riptide/learn/adaptive.hpp"
#include "riptide/learn/ftrl.hpp"
#include "riptide/learn/logistic.hpp"
#include "riptide/learn/sgd.hpp"
#include "riptide/learn/svm.hpp"

namespace {
using riptide::features::entry;
using riptide::features::sparse_view;

struct dataset {
  std::vector<entry> entries;
  std::vector<std::uint32_t> offsets{0};
  std::vector<bool> labels;
  std::size_t size() const { return labels.size(); }
  sparse_view operator[](std::size_t i) const {
    return {entries.data() + offsets[i], offsets[i + 1] - offsets[i]};
  }
};

const dataset& data() {
  static const dataset d = [] {
    constexpr std::size_t n = 1 << 20;
    constexpr int categorical = 16, numeric = 4;
    std::mt19937_64 rng(2024);
    std::normal_distribution<float> gauss(0.0f, 1.0f);
    std::uniform_real_distribution<float> unif(0.0f, 1.0f);
    std::vector<int> levels(categorical);
    std::vector<std::uint32_t> base(categorical);
    std::uint32_t dim = 0;
    for (int c = 0; c < categorical; ++c) {
      levels[c] = 2 + static_cast<int>(rng() % 3);
      base[c] = dim;
      dim += static_cast<std::uint32_t>(levels[c]);
    }
    std::vector<float> truth(dim + numeric);
    for (auto& w : truth) w = gauss(rng) * 0.7f;
    dataset d;
    for (std::size_t i = 0; i < n; ++i) {
      float m = -1.0f;
      for (int c = 0; c < categorical; ++c) {
        const std::uint32_t k = base[c] + static_cast<std::uint32_t>(rng() % levels[c]);
        d.entries.push_back({k, 1.0f});
        m += truth[k];
      }
      for (int j = 0; j < numeric; ++j) {
        const float v = gauss(rng);
        d.entries.push_back({dim + static_cast<std::uint32_t>(j), v});
        m += truth[dim + j] * v;
      }
      d.offsets.push_back(static_cast<std::uint32_t>(d.entries.size()));
      d.labels.push_back(unif(rng) < 1.0f / (1.0f + std::exp(-m)));
    }
    return d;
  }();
  return d;
}

// Raw little-endian arrays for the Python peer: n, nnz (u64), offsets (u32 x n+1),
// indices (u32 x nnz), values (f32 x nnz), labels (u8 x n).
void dump(const std::string& path) {
  const auto& d = data();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) {
    std::perror(path.c_str());
    std::exit(2);
  }
  const std::uint64_t n = d.size(), nnz = d.entries.size();
  std::fwrite(&n, 8, 1, f);
  std::fwrite(&nnz, 8, 1, f);
  std::fwrite(d.offsets.data(), 4, d.offsets.size(), f);
  for (const auto& e : d.entries) std::fwrite(&e.index, 4, 1, f);
  for (const auto& e : d.entries) std::fwrite(&e.value, 4, 1, f);
  for (bool y : d.labels) std::fputc(y ? 1 : 0, f);
  std::fclose(f);
}

template <class Model>
void run_learn(benchmark::State& state, Model model) {
  const auto& d = data();
  for (std::size_t i = 0; i < d.size(); ++i) model.learn_one(d[i], d.labels[i]);  // warm
  std::size_t i = 0;
  for (auto _ : state) {
    model.learn_one(d[i], d.labels[i]);
    if (++i == d.size()) i = 0;
  }
  benchmark::DoNotOptimize(model.bias());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["active_features"] =
      static_cast<double>(d.entries.size()) / static_cast<double>(d.size());
}

namespace l = riptide::learn;
void BM_learn_logistic_sgd(benchmark::State& s) {
  run_learn(s, l::logistic{l::sgd{.lr = 0.05f}});
}
void BM_learn_logistic_adagrad(benchmark::State& s) {
  run_learn(s, l::logistic{l::adagrad{.lr = 0.05f}});
}
void BM_learn_logistic_ftrl(benchmark::State& s) {
  run_learn(s, l::logistic{l::ftrl{.lr = 0.1f}});
}
void BM_learn_logistic_adaptive(benchmark::State& s) {
  run_learn(s, l::logistic{l::adaptive{.lr = 0.5f}});
}
void BM_learn_svm_sgd(benchmark::State& s) {
  run_learn(s, l::svm{l::sgd{.lr = 0.05f}});
}

void BM_predict_proba(benchmark::State& state) {
  const auto& d = data();
  auto model = l::logistic{l::adagrad{.lr = 0.05f}};
  for (std::size_t i = 0; i < d.size(); ++i) model.learn_one(d[i], d.labels[i]);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(model.predict_proba(d[i]));
    if (++i == d.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

BENCHMARK(BM_learn_logistic_sgd);
BENCHMARK(BM_learn_logistic_adagrad);
BENCHMARK(BM_learn_logistic_ftrl);
BENCHMARK(BM_learn_logistic_adaptive);
BENCHMARK(BM_learn_svm_sgd);
BENCHMARK(BM_predict_proba);
}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (std::strncmp(argv[i], "--dump=", 7) == 0) {
      dump(argv[i] + 7);
      return 0;
    }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

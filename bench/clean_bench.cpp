// Cleansing throughput: the telco preset over the replicated Telco CSV, beside the bare CSV parse
// of the same bytes measured in the same run (bench/run_clean.sh prints the ratio):
//   csv_parse         riptide::io::read_csv to record_views, nothing else (the baseline);
//   csv_parse_telco   the same records through riptide::clean::apply(preset("telco"));
// Both report records/s. RIPTIDE_CLEAN_BENCH_FILE names the input (default
// bench/data/telco_clean_bench.csv, written by bench/run_clean.sh).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <riptide/clean/apply.hpp>
#include <riptide/clean/preset.hpp>
#include <riptide/io/csv.hpp>
#include <string>

namespace {

std::string input() {
  const char* path = std::getenv("RIPTIDE_CLEAN_BENCH_FILE");
  return path != nullptr ? path : "bench/data/telco_clean_bench.csv";
}

void csv_parse(benchmark::State& state) {
  std::uint64_t records = 0;
  for (auto _ : state) {
    records = 0;
    for (const riptide::io::record_view& r : riptide::io::read_csv(input())) records += r.ok();
    benchmark::DoNotOptimize(records);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * records));
}

void csv_parse_telco(benchmark::State& state) {
  std::uint64_t records = 0, rows = 0;
  for (auto _ : state) {
    auto chain = riptide::clean::preset("telco");
    rows = 0;
    for (const auto& row : riptide::io::read_csv(input()) | riptide::clean::apply(chain))
      rows += row.values.size() > 0;
    records = chain.report().in;
    benchmark::DoNotOptimize(rows);
  }
  state.counters["rows_out"] = static_cast<double>(rows);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * records));
}

}  // namespace

BENCHMARK(csv_parse)->Unit(benchmark::kMillisecond);
BENCHMARK(csv_parse_telco)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();

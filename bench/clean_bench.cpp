// Cleansing throughput: the telco preset over the replicated Telco CSV, beside the bare CSV parse
// of the same bytes measured in the same run (bench/run_clean.sh prints the ratios):
//   csv_parse            riptide::io::read_csv to record_views, nothing else (the baseline);
//   csv_parse_telco      the same records through riptide::clean::apply(preset("telco"));
//   telco_chain_memory   the telco chain alone over records already parsed and held in memory
//                        (the first RIPTIDE_CLEAN_BENCH_MEMORY records, default 200000): the cost
//                        of cleansing without the reader;
//   touch_memory         the same in-memory records only walked (every field's bytes summed): the
//                        floor telco_chain_memory is compared against.
// All report records/s. RIPTIDE_CLEAN_BENCH_FILE names the input (default
// bench/data/telco_big.csv, written by bench/make_data.sh).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <riptide/clean/apply.hpp>
#include <riptide/clean/preset.hpp>
#include <riptide/io/csv.hpp>
#include <string>
#include <vector>

namespace {

std::string input() {
  const char* path = std::getenv("RIPTIDE_CLEAN_BENCH_FILE");
  return path != nullptr ? path : "bench/data/telco_big.csv";
}

// Parsed records held in memory: one text arena, the fields, and views onto them.
struct held_records {
  riptide::io::schema columns;
  std::string arena;
  std::vector<riptide::io::field> fields;
  std::vector<riptide::io::record_view> records;
};

const held_records& memory_records() {
  static const held_records held = [] {
    held_records h;
    std::size_t limit = 200000;
    if (const char* n = std::getenv("RIPTIDE_CLEAN_BENCH_MEMORY"))
      limit = std::strtoull(n, nullptr, 10);
    struct span_of {
      std::size_t offset, size;
      riptide::io::field_kind kind;
    };
    std::vector<span_of> spans;
    std::vector<std::pair<std::size_t, std::size_t>> per_record;  // first span, count
    std::vector<riptide::io::location> where;
    for (const riptide::io::record_view& r : riptide::io::read_csv(input())) {
      if (per_record.size() >= limit) break;
      if (!r.ok()) continue;
      if (h.columns.size() == 0)
        for (const auto& n : r.columns->names()) h.columns.add(n);
      per_record.emplace_back(spans.size(), r.fields.size());
      for (const auto& f : r.fields) {
        spans.push_back({h.arena.size(), f.text.size(), f.kind});
        h.arena.append(f.text);
      }
      where.push_back(r.where);
      where.back().source = {};
    }
    for (const auto& s : spans)
      h.fields.push_back({std::string_view(h.arena).substr(s.offset, s.size), s.kind});
    for (std::size_t i = 0; i < per_record.size(); ++i) {
      riptide::io::record_view v;
      v.columns = &h.columns;
      v.fields = {h.fields.data() + per_record[i].first, per_record[i].second};
      v.where = where[i];
      h.records.push_back(v);
    }
    return h;
  }();
  return held;
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

void touch_memory(benchmark::State& state) {
  const auto& held = memory_records();
  for (auto _ : state) {
    std::uint64_t sum = 0;
    for (const auto& r : held.records)
      for (const auto& f : r.fields)
        for (const char c : f.text) sum += static_cast<unsigned char>(c);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * held.records.size()));
}

void telco_chain_memory(benchmark::State& state) {
  const auto& held = memory_records();
  std::uint64_t rows = 0;
  for (auto _ : state) {
    auto chain = riptide::clean::preset("telco");  // fresh: dedup must not see the last pass
    rows = 0;
    for (const auto& row : held.records | riptide::clean::apply(chain))
      rows += row.values.size() > 0;
    benchmark::DoNotOptimize(rows);
  }
  state.counters["rows_out"] = static_cast<double>(rows);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * held.records.size()));
}

}  // namespace

BENCHMARK(csv_parse)->Unit(benchmark::kMillisecond);
BENCHMARK(csv_parse_telco)->Unit(benchmark::kMillisecond);
BENCHMARK(touch_memory)->Unit(benchmark::kMillisecond);
BENCHMARK(telco_chain_memory)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();

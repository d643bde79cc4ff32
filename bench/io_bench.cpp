// Ingestion throughput on the large Telco-like files (bench/make_data.sh), with the baselines
// measured in the same run:
//   newline_count      memchr over the mapped CSV bytes: the practical bandwidth limit;
//   csv_parse          riptide::io::read_csv to record_views (the kernel the CPU gets: AVX-512,
//                      AVX2 or scalar);
//   csv_parse_scalar, csv_parse_avx2, csv_parse_avx512   the same with that kernel (the SIMD
//                      ones only where the CPU has them);
//   csv_read_file      read_csv(path) end to end (open, map, page in, parse);
//   newline_count/jsonl, jsonl_parse   the same for the JSON Lines file and read_jsonl with its
//                      defaults (On-Demand first; every field read: a string's text, a number's
//                      value);
//   jsonl_parse_line_by_line  read_jsonl with batch_bytes = 0 (On-Demand, each line alone);
//   jsonl_parse_dom    read_jsonl with its DOM parser only (jsonl_options::on_demand off:
//                      parse_many batches, the tape read directly; the same records);
//   jsonl_parse_dom_line_by_line  the same with batch_bytes = 0 (each line parsed alone);
//   jsonl_parse_element_walk  read_jsonl reading simdjson's DOM documents through dom::element
//                        (jsonl_options::element_walk; the same records);
//   simdjson_parse_many  simdjson's own parse_many (DOM, single-threaded) over the JSONL bytes,
//                        visiting every field of every object: the JSONL baseline.
//   simdjson_parse_lines, simdjson_ondemand_lines  diagnostics: simdjson's DOM parser and its
//                        On-Demand API one line at a time, every field visited.
// Each reports bytes/s and records/s; bench/run_io.sh prints the ratios.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <cstring>
#include <riptide/io/csv.hpp>
#include <riptide/io/jsonl.hpp>
#include <string>

namespace io = riptide::io;

namespace {

std::string data_path(const char* name) {
  const char* dir = std::getenv("RIPTIDE_BENCH_DATA");
  return std::string(dir != nullptr ? dir : "bench/data") + "/" + name;
}

// Touches every page of a mapping so that no timed loop pays its first page faults.
void page_in(std::string_view bytes) {
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < bytes.size(); i += 4096) sum += static_cast<unsigned char>(bytes[i]);
  benchmark::DoNotOptimize(sum);
}

void newline_count(benchmark::State& state, const std::string& path) {
  io::mapped_file file(path);
  const std::string_view bytes = *file.contiguous();
  page_in(bytes);
  std::uint64_t lines = 0;
  for (auto _ : state) {
    lines = 0;
    const char* p = bytes.data();
    const char* const end = p + bytes.size();
    while (p < end) {
      const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
      if (nl == nullptr) break;
      ++lines;
      p = static_cast<const char*>(nl) + 1;
    }
    benchmark::DoNotOptimize(lines);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * lines));
}

// Parses the file's bytes, already mapped and in memory (as the newline count reads them), or
// (from_file) opening and mapping the file each time as read_csv(path) does.
void csv_parse(benchmark::State& state, const std::string& path, io::scan_mode mode,
               bool from_file) {
  io::mapped_file file(path);
  const std::string_view text = *file.contiguous();
  page_in(text);
  std::uint64_t bytes = 0, records = 0;
  for (auto _ : state) {
    io::csv_options opts;
    opts.scan = mode;
    auto reader = from_file ? io::read_csv(path, opts)
                            : io::read_csv(io::memory_source::borrow(text, path), opts);
    std::uint64_t fields = 0;
    for (const auto& r : reader) fields += r.fields.size() + r.fields[0].text.size();
    benchmark::DoNotOptimize(fields);
    bytes += reader.stats().bytes;
    records += reader.stats().records;
    if (reader.stats().errors != 0) state.SkipWithError("unexpected error records");
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(records));
}

void jsonl_parse(benchmark::State& state, const std::string& path, io::jsonl_options options) {
  io::mapped_file file(path);
  const std::string_view text = *file.contiguous();
  page_in(text);
  std::uint64_t bytes = 0, records = 0;
  for (auto _ : state) {
    auto reader = io::read_jsonl(io::memory_source::borrow(text, path), options);
    std::uint64_t sum = 0;
    for (const auto& r : reader)  // every field's value read: its text, or a number's payload
      for (const auto& f : r.fields)
        sum += (f.has_number ? f.number_bits : f.text.size()) + static_cast<unsigned>(f.kind);
    benchmark::DoNotOptimize(sum);
    bytes += reader.stats().bytes;
    records += reader.stats().records;
    if (reader.stats().errors != 0) state.SkipWithError("unexpected error records");
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(records));
}

// simdjson's parse_many, every field of every object visited (key and value read).
void simdjson_parse_many(benchmark::State& state, const std::string& path) {
  io::mapped_file file(path);
  const std::string_view text = *file.contiguous();
  const simdjson::padded_string padded(text);
  simdjson::dom::parser parser;
  parser.threaded = false;  // one core, as the reader
  std::uint64_t records = 0;
  for (auto _ : state) {
    simdjson::dom::document_stream stream;
    if (parser.parse_many(padded).get(stream)) state.SkipWithError("parse_many failed");
    std::uint64_t sum = 0, docs = 0;
    for (auto doc : stream) {
      simdjson::dom::object obj;
      if (doc.get_object().get(obj)) state.SkipWithError("not an object");
      for (const auto field : obj) {
        sum += field.key.size();
        switch (field.value.type()) {
          case simdjson::dom::element_type::STRING:
            sum += std::string_view(field.value).size();
            break;
          case simdjson::dom::element_type::INT64:
            sum += static_cast<std::uint64_t>(std::int64_t(field.value));
            break;
          case simdjson::dom::element_type::DOUBLE:
            sum += static_cast<std::uint64_t>(double(field.value));
            break;
          default:
            ++sum;
        }
      }
      ++docs;
    }
    benchmark::DoNotOptimize(sum);
    records += docs;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(records));
}

// Calls f(line, length) for each newline-terminated line of `text` (and an unterminated last).
template <class F>
void for_each_line(const simdjson::padded_string& text, F f) {
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end) {
    const char* nl =
        static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    if (nl == nullptr) nl = end;
    f(p, static_cast<std::size_t>(nl - p));
    p = nl + 1;
  }
}

// Diagnostic: simdjson's DOM parser one line at a time (what read_jsonl runs with on_demand off
// and batch_bytes = 0), fields visited.
void simdjson_parse_lines(benchmark::State& state, const std::string& path) {
  io::mapped_file file(path);
  const std::string_view text = *file.contiguous();
  const simdjson::padded_string padded(text);
  simdjson::dom::parser parser;
  std::uint64_t records = 0;
  for (auto _ : state) {
    std::uint64_t sum = 0;
    for_each_line(padded, [&](const char* p, std::size_t len) {
      simdjson::dom::element doc;
      if (parser.parse(p, len, false).get(doc)) state.SkipWithError("parse failed");
      for (const auto field : simdjson::dom::object(doc)) sum += field.key.size();
      ++records;
    });
    benchmark::DoNotOptimize(sum);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(records));
}

// Diagnostic: simdjson's On-Demand API one line at a time, every field visited as
// simdjson_parse_many visits it: the ceiling of read_jsonl line by line (jsonl_parse_line_by_line).
void simdjson_ondemand_lines(benchmark::State& state, const std::string& path) {
  io::mapped_file file(path);
  const std::string_view text = *file.contiguous();
  const simdjson::padded_string padded(text);
  simdjson::ondemand::parser parser;
  std::uint64_t records = 0;
  for (auto _ : state) {
    std::uint64_t sum = 0;
    for_each_line(padded, [&](const char* p, std::size_t len) {
      simdjson::ondemand::document doc;
      simdjson::ondemand::object obj;
      if (parser.iterate(p, len, len + simdjson::SIMDJSON_PADDING).get(doc) ||
          doc.get_object().get(obj))
        state.SkipWithError("iterate failed");
      for (auto member : obj) {
        simdjson::ondemand::field field;
        simdjson::ondemand::json_type type = simdjson::ondemand::json_type::null;
        std::string_view key, string;
        simdjson::ondemand::number number;
        bool b = false;
        if (std::move(member).get(field) || field.unescaped_key().get(key) ||
            field.value().type().get(type))
          state.SkipWithError("bad member");
        sum += key.size();
        switch (type) {
          case simdjson::ondemand::json_type::string:
            if (field.value().get_string().get(string)) state.SkipWithError("bad string");
            sum += string.size();
            break;
          case simdjson::ondemand::json_type::number:
            if (field.value().get_number().get(number)) state.SkipWithError("bad number");
            sum += number.is_int64() ? static_cast<std::uint64_t>(number.get_int64())
                                     : static_cast<std::uint64_t>(number.as_double());
            break;
          case simdjson::ondemand::json_type::boolean:
            if (field.value().get_bool().get(b)) state.SkipWithError("bad literal");
            ++sum;
            break;
          default:
            ++sum;
        }
      }
      ++records;
    });
    benchmark::DoNotOptimize(sum);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(records));
}

}  // namespace

int main(int argc, char** argv) {
  const std::string csv = data_path("telco_big.csv");
  benchmark::RegisterBenchmark("newline_count/csv", newline_count, csv)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("csv_parse", csv_parse, csv, io::scan_mode::automatic, false)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("csv_parse_scalar", csv_parse, csv, io::scan_mode::scalar, false)
      ->Unit(benchmark::kMillisecond);
  if (io::detail::cpu_has_avx2())
    benchmark::RegisterBenchmark("csv_parse_avx2", csv_parse, csv, io::scan_mode::avx2, false)
        ->Unit(benchmark::kMillisecond);
  if (io::detail::cpu_has_avx512())
    benchmark::RegisterBenchmark("csv_parse_avx512", csv_parse, csv, io::scan_mode::avx512, false)
        ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("csv_read_file", csv_parse, csv, io::scan_mode::automatic, true)
      ->Unit(benchmark::kMillisecond);
  const std::string jsonl = data_path("telco_big.jsonl");
  benchmark::RegisterBenchmark("newline_count/jsonl", newline_count, jsonl)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("jsonl_parse", jsonl_parse, jsonl, io::jsonl_options{})
      ->Unit(benchmark::kMillisecond);
  io::jsonl_options lines;
  lines.batch_bytes = 0;
  benchmark::RegisterBenchmark("jsonl_parse_line_by_line", jsonl_parse, jsonl, lines)
      ->Unit(benchmark::kMillisecond);
  io::jsonl_options dom;
  dom.on_demand = false;
  benchmark::RegisterBenchmark("jsonl_parse_dom", jsonl_parse, jsonl, dom)
      ->Unit(benchmark::kMillisecond);
  dom.batch_bytes = 0;
  benchmark::RegisterBenchmark("jsonl_parse_dom_line_by_line", jsonl_parse, jsonl, dom)
      ->Unit(benchmark::kMillisecond);
  io::jsonl_options elements;
  elements.element_walk = true;
  benchmark::RegisterBenchmark("jsonl_parse_element_walk", jsonl_parse, jsonl, elements)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("simdjson_parse_many", simdjson_parse_many, jsonl)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("simdjson_parse_lines", simdjson_parse_lines, jsonl)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("simdjson_ondemand_lines", simdjson_ondemand_lines, jsonl)
      ->Unit(benchmark::kMillisecond);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

// riptide synth: synthetic streams with known drift points, written as CSV with a `label`
// column (telco-shift keeps the Telco columns and its `Churn` label), for tests, benchmarks and
// demos of drift handling.
#include <fmt/core.h>
#include <riptide/io/csv_writer.hpp>
#include <riptide/io/output_file.hpp>
#include <riptide/synth/drift_schedule.hpp>
#include <riptide/synth/hyperplane.hpp>
#include <riptide/synth/sea.hpp>
#include <riptide/synth/stagger.hpp>
#include <riptide/synth/telco_shift.hpp>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli_io.hpp"
#include "commands.hpp"

namespace riptide::cli {

namespace {

struct synth_args {
  std::string generator;
  std::uint64_t n = 0;  // 0: generator default
  std::string drift_at;
  double width = 1.0;
  std::int64_t seed = 42;
  std::string out = "-";
  double noise = -1.0;  // < 0: generator default
  int variant = 0, function = 0, features = 10, drift_features = 2;
  bool balance_classes = false;
  double mag_change = 0.001, sigma = 0.1;
  std::string data = "data/telco_customer_churn_train_data.csv";
};

std::vector<std::uint64_t> parse_drift_points(const std::string& text, std::uint64_t n) {
  std::vector<std::uint64_t> points;
  if (text.empty()) return points;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string_view item(text.data() + start, comma - start);
    std::uint64_t p = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), p);
    if (item.empty() || ec != std::errc{} || end != item.data() + item.size())
      throw usage_error(fmt::format("--drift-at: '{}' is not a record index", item));
    if (!points.empty() && p <= points.back())
      throw usage_error("--drift-at: drift points must be increasing");
    if (p >= n)
      throw usage_error(fmt::format("--drift-at: {} is past the end of the stream (--n {})", p, n));
    points.push_back(p);
    start = comma + 1;
  }
  return points;
}

// Synthetic fields are written as they are: no quotes for edge spaces (telco-shift's " " values
// stay bare, as they were before riptide/io/csv_writer.hpp).
constexpr io::csv_write_options csv_format{.quote_edge_spaces = false};

void run_sea(const synth_args& a, io::output_file& out) {
  const std::uint64_t n = a.n ? a.n : 10'000;
  synth::drift_schedule schedule(parse_drift_points(a.drift_at, n), a.width, a.seed + 1);
  synth::sea stream{{.variant = a.variant, .noise = a.noise < 0 ? 0.0 : a.noise, .seed = a.seed}};
  out.buffer() += "x0,x1,x2,label\n";
  for (std::uint64_t i = 0; i < n; ++i) {
    const auto s = stream.next(schedule.concept_at(i));
    fmt::format_to(std::back_inserter(out.buffer()), "{},{},{},{}\n", s.x[0], s.x[1], s.x[2],
                   s.y ? 1 : 0);
    out.maybe_flush();
  }
}

void run_stagger(const synth_args& a, io::output_file& out) {
  const std::uint64_t n = a.n ? a.n : 10'000;
  synth::drift_schedule schedule(parse_drift_points(a.drift_at, n), a.width, a.seed + 1);
  synth::stagger stream{{.classification_function = a.function,
                         .seed = a.seed,
                         .balance_classes = a.balance_classes}};
  out.buffer() += "size,color,shape,label\n";
  for (std::uint64_t i = 0; i < n; ++i) {
    const auto s = stream.next(schedule.concept_at(i));
    fmt::format_to(std::back_inserter(out.buffer()), "{},{},{},{}\n",
                   synth::stagger::size_names[s.size], synth::stagger::color_names[s.color],
                   synth::stagger::shape_names[s.shape], s.y ? 1 : 0);
    out.maybe_flush();
  }
}

void run_hyperplane(const synth_args& a, io::output_file& out) {
  const std::uint64_t n = a.n ? a.n : 10'000;
  synth::drift_schedule schedule(parse_drift_points(a.drift_at, n), a.width, a.seed + 1);
  synth::hyperplane stream{{.n_features = a.features,
                            .n_drift_features = a.drift_features,
                            .mag_change = a.mag_change,
                            .noise_percentage = a.noise < 0 ? 0.05 : a.noise,
                            .sigma = a.sigma,
                            .seed = a.seed}};
  for (int i = 0; i < a.features; ++i) fmt::format_to(std::back_inserter(out.buffer()), "x{},", i);
  out.buffer() += "label\n";
  synth::hyperplane::sample s;
  for (std::uint64_t i = 0; i < n; ++i) {
    stream.next(s, schedule.concept_at(i));
    for (double x : s.x) fmt::format_to(std::back_inserter(out.buffer()), "{},", x);
    out.buffer() += s.y ? "1\n" : "0\n";
    out.maybe_flush();
  }
}

// Telco records replayed (shuffled per pass with the seed), the contract's effect on churn
// inverted in odd concepts (riptide/synth/telco_shift.hpp).
void run_telco_shift(const synth_args& a, io::output_file& out) {
  synth::telco_shift stream{{.path = a.data, .seed = a.seed}};
  if (stream.unreadable())
    fmt::print(stderr, "riptide synth: skipped {} unreadable records of {}\n", stream.unreadable(),
               a.data);
  const std::uint64_t n = a.n ? a.n : stream.records();
  synth::drift_schedule schedule(parse_drift_points(a.drift_at, n), a.width, a.seed + 1);
  io::append_csv_row(out.buffer(), stream.header(), csv_format);
  for (std::uint64_t t = 0; t < n; ++t) {
    io::append_csv_row(out.buffer(), stream.next(schedule.concept_at(t)), csv_format);
    out.maybe_flush();
  }
}

}  // namespace

void add_synth_command(CLI::App& app) {
  auto args = std::make_shared<synth_args>();
  auto* cmd = app.add_subcommand(
      "synth", "Write a synthetic stream with known drift points as CSV (label column last)");
  cmd->add_option("generator", args->generator, "sea, stagger, hyperplane or telco-shift")
      ->required()
      ->check(CLI::IsMember({"sea", "stagger", "hyperplane", "telco-shift"}));
  cmd->add_option("--n", args->n, "Records (10000; telco-shift: the data's record count)");
  cmd->add_option("--drift-at", args->drift_at,
                  "0-based record indices where the concept changes, comma separated");
  cmd->add_option("--width", args->width,
                  "Transition width in records (1: abrupt; wider: River's sigmoid mix)");
  cmd->add_option("--seed", args->seed, "random.Random(seed) as River (42)");
  cmd->add_option("-o,--out", args->out, "Output file, - for stdout (default)");
  cmd->add_option("--noise", args->noise,
                  "sea: label noise (0); hyperplane: noise_percentage (0.05)");
  cmd->add_option("--variant", args->variant, "sea: first variant 0-3 (0)");
  cmd->add_option("--function", args->function, "stagger: first classification function 0-2 (0)");
  cmd->add_flag("--balance-classes", args->balance_classes, "stagger: alternate labels");
  cmd->add_option("--features", args->features, "hyperplane: n_features (10)");
  cmd->add_option("--drift-features", args->drift_features, "hyperplane: n_drift_features (2)");
  cmd->add_option("--mag-change", args->mag_change,
                  "hyperplane: rotation per record (0.001; River's default is 0, no rotation)");
  cmd->add_option("--sigma", args->sigma, "hyperplane: probability of reversing (0.1)");
  cmd->add_option("--data", args->data, "telco-shift: the Telco CSV to replay");
  cmd->callback([args] {
    check_outputs({args->generator == "telco-shift" ? args->data : ""}, {args->out});
    io::output_file out = open_output(args->out);
    try {
      if (args->generator == "sea")
        run_sea(*args, out);
      else if (args->generator == "stagger")
        run_stagger(*args, out);
      else if (args->generator == "hyperplane")
        run_hyperplane(*args, out);
      else
        run_telco_shift(*args, out);
    } catch (const std::invalid_argument& e) {
      throw usage_error(e.what());
    } catch (const std::system_error& e) {
      throw usage_error(e.what());
    }
    out.commit();
  });
}

}  // namespace riptide::cli

// riptide drift: runs one drift detector over a stream of numbers (one per line) and prints the
// 0-based index of every input after whose update drift was detected (`w INDEX` lines for
// warnings with --warnings). Parameters are River's, dashed (--min-window-length for
// min_window_length); each applies only to the detectors that have it.
#include <fmt/core.h>
#include <riptide/drift/adwin.hpp>
#include <riptide/drift/ddm.hpp>
#include <riptide/drift/detector.hpp>
#include <riptide/drift/eddm.hpp>
#include <riptide/drift/hddm_a.hpp>
#include <riptide/drift/hddm_w.hpp>
#include <riptide/drift/kswin.hpp>
#include <riptide/drift/number_line.hpp>
#include <riptide/drift/page_hinkley.hpp>

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "commands.hpp"

namespace riptide::cli {

namespace {

struct drift_args {
  std::string detector;
  std::string input = "-";
  bool warnings = false;
  // Every parameter, unset unless given; `given` names those on the command line.
  std::optional<double> delta, threshold, alpha, beta, drift_threshold, warning_threshold,
      drift_confidence, warning_confidence, lambda;
  std::optional<int> clock, max_buckets, min_window_length, grace_period, min_instances, warm_start;
  std::optional<std::size_t> window_size, stat_size;
  std::optional<std::int64_t> seed;
  std::optional<std::string> mode;
  bool two_sided_test = false;
};

// Which parameters each detector takes (River's, dashed).
const std::map<std::string, std::set<std::string>>& detector_parameters() {
  static const std::map<std::string, std::set<std::string>> table{
      {"adwin", {"--delta", "--clock", "--max-buckets", "--min-window-length", "--grace-period"}},
      {"page-hinkley", {"--min-instances", "--delta", "--threshold", "--alpha", "--mode"}},
      {"kswin", {"--alpha", "--window-size", "--stat-size", "--seed"}},
      {"ddm", {"--warm-start", "--warning-threshold", "--drift-threshold"}},
      {"eddm", {"--warm-start", "--alpha", "--beta"}},
      {"hddm-a", {"--drift-confidence", "--warning-confidence", "--two-sided-test"}},
      {"hddm-w", {"--drift-confidence", "--warning-confidence", "--lambda", "--two-sided-test"}},
  };
  return table;
}

// Reads one number per line from `in`; calls on_value(index, x). Bad lines throw usage_error
// naming the source and the line.
template <class F>
void read_numbers(std::FILE* in, const std::string& name, F&& on_value) {
  char buffer[1 << 16];
  std::uint64_t line_number = 0;
  std::string pending;
  auto handle = [&](std::string_view text) {
    ++line_number;
    const auto x = drift::parse_number_line(text);
    if (!x)
      throw usage_error(fmt::format("{}:{}: expected a finite number, got '{}'", name, line_number,
                                    text.substr(0, 40)));
    on_value(line_number - 1, *x);
  };
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, in)) > 0) {
    std::string_view chunk(buffer, got);
    std::size_t start = 0;
    for (std::size_t nl = chunk.find('\n'); nl != std::string_view::npos;
         nl = chunk.find('\n', start)) {
      if (pending.empty()) {
        handle(chunk.substr(start, nl - start));
      } else {
        pending.append(chunk.substr(start, nl - start));
        handle(pending);
        pending.clear();
      }
      start = nl + 1;
    }
    pending.append(chunk.substr(start));
  }
  if (std::ferror(in)) throw std::runtime_error(name + ": read error");
  if (!pending.empty()) handle(pending);  // last line without a newline
}

template <drift::detector D>
void run_detector(D detector, const drift_args& args) {
  std::FILE* in = stdin;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(nullptr, &std::fclose);
  std::string name = "<stdin>";
  if (args.input != "-") {
    file.reset(std::fopen(args.input.c_str(), "rb"));
    if (!file) throw usage_error(fmt::format("cannot open '{}'", args.input));
    in = file.get();
    name = args.input;
  }
  std::string out;
  auto flush = [&out] {
    std::fwrite(out.data(), 1, out.size(), stdout);
    out.clear();
  };
  read_numbers(in, name, [&](std::uint64_t index, double x) {
    detector.update(x);
    if constexpr (drift::warning_detector<D>) {
      if (args.warnings && detector.warning_detected())
        fmt::format_to(std::back_inserter(out), "w {}\n", index);
    }
    if (detector.drift_detected()) fmt::format_to(std::back_inserter(out), "{}\n", index);
    if (out.size() > (1 << 15)) flush();
  });
  flush();
  std::fflush(stdout);
}

void run_drift(const drift_args& args, const std::set<std::string>& given) {
  const auto& table = detector_parameters();
  const auto it = table.find(args.detector);
  if (it == table.end())
    throw usage_error(
        fmt::format("unknown detector '{}' (adwin, page-hinkley, kswin, ddm, eddm, hddm-a, hddm-w)",
                    args.detector));
  for (const auto& option : given)
    if (!it->second.count(option))
      throw usage_error(fmt::format("{} does not apply to --detector {}", option, args.detector));
  if (args.warnings &&
      (args.detector == "adwin" || args.detector == "page-hinkley" || args.detector == "kswin"))
    throw usage_error(fmt::format("--detector {} has no warning zone", args.detector));

  try {
    if (args.detector == "adwin") {
      drift::adwin_options o;
      if (args.delta) o.delta = *args.delta;
      if (args.clock) o.clock = *args.clock;
      if (args.max_buckets) o.max_buckets = *args.max_buckets;
      if (args.min_window_length) o.min_window_length = *args.min_window_length;
      if (args.grace_period) o.grace_period = *args.grace_period;
      return run_detector(drift::adwin{o}, args);
    }
    if (args.detector == "page-hinkley") {
      drift::page_hinkley_options o;
      if (args.min_instances) o.min_instances = *args.min_instances;
      if (args.delta) o.delta = *args.delta;
      if (args.threshold) o.threshold = *args.threshold;
      if (args.alpha) o.alpha = *args.alpha;
      if (args.mode) {
        using dir = drift::page_hinkley::direction;
        if (*args.mode == "up")
          o.mode = dir::up;
        else if (*args.mode == "down")
          o.mode = dir::down;
        else if (*args.mode == "both")
          o.mode = dir::both;
        else
          throw usage_error(fmt::format("--mode must be up, down or both, not '{}'", *args.mode));
      }
      return run_detector(drift::page_hinkley{o}, args);
    }
    if (args.detector == "kswin") {
      drift::kswin_options o;
      if (args.alpha) o.alpha = *args.alpha;
      if (args.window_size) o.window_size = *args.window_size;
      if (args.stat_size) o.stat_size = *args.stat_size;
      if (args.seed) o.seed = *args.seed;
      return run_detector(drift::kswin{o}, args);
    }
    if (args.detector == "ddm") {
      drift::ddm_options o;
      if (args.warm_start) o.warm_start = *args.warm_start;
      if (args.warning_threshold) o.warning_threshold = *args.warning_threshold;
      if (args.drift_threshold) o.drift_threshold = *args.drift_threshold;
      return run_detector(drift::ddm{o}, args);
    }
    if (args.detector == "eddm") {
      drift::eddm_options o;
      if (args.warm_start) o.warm_start = *args.warm_start;
      if (args.alpha) o.alpha = *args.alpha;
      if (args.beta) o.beta = *args.beta;
      return run_detector(drift::eddm{o}, args);
    }
    if (args.detector == "hddm-a") {
      drift::hddm_a_options o;
      if (args.drift_confidence) o.drift_confidence = *args.drift_confidence;
      if (args.warning_confidence) o.warning_confidence = *args.warning_confidence;
      o.two_sided_test = args.two_sided_test;
      return run_detector(drift::hddm_a{o}, args);
    }
    drift::hddm_w_options o;
    if (args.drift_confidence) o.drift_confidence = *args.drift_confidence;
    if (args.warning_confidence) o.warning_confidence = *args.warning_confidence;
    if (args.lambda) o.lambda = *args.lambda;
    o.two_sided_test = args.two_sided_test;
    return run_detector(drift::hddm_w{o}, args);
  } catch (const std::invalid_argument& e) {
    throw usage_error(e.what());  // a detector refused its configuration
  }
}

}  // namespace

void add_drift_command(CLI::App& app) {
  auto args = std::make_shared<drift_args>();
  auto* cmd = app.add_subcommand(
      "drift",
      "Run a drift detector over numbers (one per line); print the 0-based index of each input "
      "after which drift was detected");
  cmd->add_option("--detector", args->detector,
                  "adwin, page-hinkley, kswin (any numbers); ddm, eddm, hddm-a, hddm-w (0/1 "
                  "errors, 1 = wrong)")
      ->required();
  cmd->add_option("input", args->input, "Input file, or - for stdin (default)");
  cmd->add_flag("--warnings", args->warnings, "Also print 'w INDEX' for inputs in a warning zone");
  cmd->add_option("--delta", args->delta, "adwin (0.002), page-hinkley (0.005)");
  cmd->add_option("--clock", args->clock, "adwin: check every N updates (32)");
  cmd->add_option("--max-buckets", args->max_buckets, "adwin (5)");
  cmd->add_option("--min-window-length", args->min_window_length, "adwin (5)");
  cmd->add_option("--grace-period", args->grace_period, "adwin (10)");
  cmd->add_option("--min-instances", args->min_instances, "page-hinkley (30)");
  cmd->add_option("--threshold", args->threshold, "page-hinkley: lambda (50)");
  cmd->add_option("--alpha", args->alpha,
                  "page-hinkley: forgetting factor (0.9999); kswin: significance (0.005); eddm: "
                  "warning level (0.95)");
  cmd->add_option("--mode", args->mode, "page-hinkley: up, down or both (both)");
  cmd->add_option("--window-size", args->window_size, "kswin (100)");
  cmd->add_option("--stat-size", args->stat_size, "kswin (30)");
  cmd->add_option("--seed", args->seed, "kswin: random.Random(seed) as River (0)");
  cmd->add_option("--warm-start", args->warm_start, "ddm, eddm (30)");
  cmd->add_option("--warning-threshold", args->warning_threshold, "ddm (2.0)");
  cmd->add_option("--drift-threshold", args->drift_threshold, "ddm (3.0)");
  cmd->add_option("--beta", args->beta, "eddm: drift level (0.9)");
  cmd->add_option("--drift-confidence", args->drift_confidence, "hddm-a, hddm-w (0.001)");
  cmd->add_option("--warning-confidence", args->warning_confidence, "hddm-a, hddm-w (0.005)");
  cmd->add_option("--lambda,--lambda-val", args->lambda, "hddm-w: EWMA weight (0.05)");
  cmd->add_flag("--two-sided-test", args->two_sided_test,
                "hddm-a, hddm-w: also detect a falling error rate");
  cmd->callback([cmd, args] {
    std::set<std::string> given;
    for (const auto* option : cmd->get_options()) {
      const std::string name = option->get_name();
      if (option->count() > 0 && name.rfind("--", 0) == 0 && name != "--detector" &&
          name != "--warnings" && name != "--help")
        given.insert(name);
    }
    run_drift(*args, given);
  });
}

}  // namespace riptide::cli

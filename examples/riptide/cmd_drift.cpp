// riptide drift: runs one drift detector over a stream of numbers (one per line) and prints the
// 0-based index of every input after whose update drift was detected (`w INDEX` lines for
// warnings with --warnings). Parameters are River's, dashed (--min-window-length for
// min_window_length); each applies only to the detectors that have it. The flags and their help
// come from the detectors' parameter declarations (riptide/drift/make_detector.hpp,
// riptide/param.hpp); the detector is made by riptide::drift::make_detector.
#include <fmt/core.h>
#include <fmt/format.h>
#include <riptide/drift/any_detector.hpp>
#include <riptide/drift/make_detector.hpp>
#include <riptide/drift/number_line.hpp>
#include <riptide/param.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "commands.hpp"

namespace riptide::cli {

namespace {

struct drift_args {
  std::string detector;
  std::string input = "-";
  bool warnings = false;
  // The parameter flags given, by declared (River) name: their text, and the flag they came from.
  riptide::param_texts given;
  std::map<std::string, std::string> flag_of;
};

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// A parameter name as a flag: min_window_length -> --min-window-length.
std::string flag_name(std::string_view name) {
  std::string flag = "--" + std::string(name);
  std::replace(flag.begin(), flag.end(), '_', '-');
  return flag;
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

void run_drift(const drift_args& args) {
  const auto detectors = drift::describe_detectors();
  const auto it = std::find_if(detectors.begin(), detectors.end(),
                               [&](const auto& d) { return d.name == args.detector; });
  if (it == detectors.end()) {
    std::string names;
    for (const auto& d : detectors) names += (names.empty() ? "" : ", ") + d.name;
    throw usage_error(fmt::format("unknown detector '{}' ({})", args.detector, names));
  }
  for (const auto& [name, text] : args.given) {
    const bool applies = std::any_of(it->params.begin(), it->params.end(),
                                     [&](const riptide::param_info& p) { return p.name == name; });
    if (!applies) {
      std::string own;
      for (const auto& p : it->params) own += (own.empty() ? "" : ", ") + flag_name(p.name);
      throw usage_error(fmt::format("{} does not apply to --detector {} (its parameters: {})",
                                    args.flag_of.at(name), args.detector, own));
    }
  }
  if (args.warnings && !it->warning_zone)
    throw usage_error(fmt::format("--detector {} has no warning zone", args.detector));

  std::optional<drift::made_detector> made;
  try {
    made.emplace(drift::make_detector(args.detector, args.given));
  } catch (const std::invalid_argument& e) {
    throw usage_error(e.what());  // a value that does not read, or a configuration refused
  }
  drift::any_detector& detector = made->detector;

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
    if (args.warnings && detector.warning_detected())
      fmt::format_to(std::back_inserter(out), "w {}\n", index);
    if (detector.drift_detected()) fmt::format_to(std::back_inserter(out), "{}\n", index);
    if (out.size() > (1 << 15)) flush();
  });
  flush();
  std::fflush(stdout);
}

// One flag per parameter name any detector declares (--delta serves ADWIN and Page-Hinkley),
// with every alias; its help lists, per detector, the declared doc and default.
void add_parameter_flags(CLI::App* cmd, const std::shared_ptr<drift_args>& args) {
  struct flag {
    std::vector<std::string> aliases;
    bool is_flag = false;
    std::string type;  // shown as the value's name: NUMBER, INTEGER, TEXT, or the allowed texts
    std::vector<std::pair<std::string, std::string>> uses;  // detectors, what it is for them
  };
  std::vector<std::pair<std::string, flag>> flags;  // by name, in order of first declaration
  for (const auto& d : drift::describe_detectors()) {
    for (const auto& p : d.params) {
      auto at = std::find_if(flags.begin(), flags.end(),
                             [&](const auto& f) { return f.first == p.name; });
      if (at == flags.end()) at = flags.insert(flags.end(), {p.name, flag{}});
      flag& f = at->second;
      for (const auto& a : p.aliases)
        if (std::find(f.aliases.begin(), f.aliases.end(), a) == f.aliases.end())
          f.aliases.push_back(a);
      f.is_flag = f.is_flag || p.type == "flag";
      if (f.type.empty())
        f.type = p.choices.empty() ? p.type : fmt::format("{}", fmt::join(p.choices, "|"));
      std::string use = fmt::format("{} (default {}", p.doc, p.default_text);
      if (p.range.bounded())
        use += (p.range.has_min() && p.range.has_max() ? ", in " : ", ") + p.range.to_string();
      use += ")";
      // Detectors that declare the same doc and default share one entry: "hddm-a, hddm-w: ...".
      auto same = std::find_if(f.uses.begin(), f.uses.end(),
                               [&](const auto& u) { return u.second == use; });
      if (same == f.uses.end())
        f.uses.emplace_back(d.name, use);
      else
        same->first += ", " + d.name;
    }
  }
  for (const auto& [name, f] : flags) {
    std::string names = flag_name(name);
    for (const auto& a : f.aliases) names += "," + flag_name(a);
    std::string help;
    for (const auto& [detectors, use] : f.uses)
      help += (help.empty() ? "" : "; ") + detectors + ": " + use;
    const std::string key = name;
    auto record = [args, key, typed = flag_name(name)](std::string text) {
      args->given[key] = std::move(text);
      args->flag_of[key] = typed;
    };
    if (f.is_flag)
      cmd->add_flag_function(
          names, [record](std::int64_t count) { record(count > 0 ? "true" : "false"); }, help);
    else
      cmd->add_option_function<std::string>(
             names, [record](const std::string& text) { record(text); }, help)
          ->type_name(f.type == "number" || f.type == "integer" || f.type == "text" ? upper(f.type)
                                                                                    : f.type);
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
  add_parameter_flags(cmd, args);
  cmd->callback([args] { run_drift(*args); });
}

}  // namespace riptide::cli

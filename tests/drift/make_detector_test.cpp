// riptide::drift::make_detector and any_detector: a detector made by name detects exactly where
// the detector constructed directly does, parameters override River's defaults and are reported
// as used, every bad input is refused with a message naming what is wrong; and riptide/param.hpp's
// generic operations on an options struct of every supported member type.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <riptide/drift/any_detector.hpp>
#include <riptide/drift/make_detector.hpp>
#include <riptide/drift/retrainer.hpp>
#include <riptide/param.hpp>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace rd = riptide::drift;

namespace {

std::vector<double> fixture(const std::string& name) {
  std::ifstream in(std::string(RIPTIDE_SOURCE_DIR) + "/tests/drift/fixtures/" + name + ".txt");
  std::vector<double> values;
  double x = 0;
  while (in >> x) values.push_back(x);
  return values;
}

// Drifts as indices, warnings as -1 - index.
template <class D>
std::vector<long> events(D detector, const std::vector<double>& stream) {
  std::vector<long> out;
  for (std::size_t i = 0; i < stream.size(); ++i) {
    detector.update(stream[i]);
    if constexpr (rd::warning_detector<D>)
      if (detector.warning_detected()) out.push_back(-1 - static_cast<long>(i));
    if (detector.drift_detected()) out.push_back(static_cast<long>(i));
  }
  return out;
}

// The message of the std::invalid_argument f throws ("" when it throws none).
template <class F>
std::string refusal(F&& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

rd::made_detector made(std::string_view name, const riptide::param_texts& params = {},
                       const riptide::param_texts& defaults = {}) {
  return rd::make_detector(name, params, defaults);
}

riptide::param_value param(const rd::made_detector& m, const std::string& name) {
  for (const auto& [n, v] : m.params)
    if (n == name) return v;
  throw std::out_of_range(name);
}

}  // namespace

static_assert(rd::detector<rd::any_detector>);
static_assert(rd::warning_detector<rd::any_detector>);
static_assert(riptide::declares_params<rd::adwin_options>);
static_assert(riptide::declares_params<rd::hddm_w_options>);
static_assert(riptide::declares_params<rd::retrainer_options>);

// --- make_detector by every name == the detector constructed directly ---------------------------

TEST(MakeDetector, EveryNameDetectsWhereTheDetectorItselfDoes) {
  const auto two = fixture("py12345_two_distributions");
  const auto s3 = fixture("np_stream_3");
  const auto errors = fixture("py42_error_rate_rises");
  const auto errors2 = fixture("np_stream_2");
  using dir = rd::page_hinkley::direction;
  const auto check = [](const std::string& name, const riptide::param_texts& params,
                        const auto& direct, const std::vector<double>& stream) {
    const auto expected = events(direct, stream);
    EXPECT_FALSE(expected.empty()) << name;  // the stream exercises the detector
    EXPECT_EQ(events(made(name, params).detector, stream), expected) << name;
  };
  check("adwin", {}, rd::adwin{}, two);
  check("adwin", {{"clock", "1"}, {"delta", "0.01"}}, rd::adwin{{.delta = 0.01, .clock = 1}}, two);
  check("page-hinkley", {}, rd::page_hinkley{}, s3);
  check("page-hinkley", {{"mode", "up"}, {"threshold", "20"}},
        rd::page_hinkley{{.threshold = 20, .mode = dir::up}}, s3);
  check("kswin", {{"alpha", "0.0001"}, {"seed", "42"}}, rd::kswin{{.alpha = 0.0001, .seed = 42}},
        two);
  check("kswin", {{"window-size", "200"}, {"stat_size", "100"}, {"seed", "42"}},
        rd::kswin{{.window_size = 200, .stat_size = 100, .seed = 42}}, two);
  check("ddm", {}, rd::ddm{}, errors);
  check("ddm", {{"warm-start", "100"}, {"drift_threshold", "2.5"}},
        rd::ddm{{.warm_start = 100, .drift_threshold = 2.5}}, errors);
  check("eddm", {}, rd::eddm{}, errors2);
  check("eddm", {{"alpha", "0.8"}, {"beta", "0.75"}}, rd::eddm{{.alpha = 0.8, .beta = 0.75}},
        errors);
  check("hddm-a", {}, rd::hddm_a{}, errors);
  check("hddm-a", {{"two-sided-test", "true"}}, rd::hddm_a{{.two_sided_test = true}}, s3);
  check("hddm-w", {}, rd::hddm_w{}, errors);
  check("hddm-w", {{"lambda", "0.1"}, {"two_sided_test", "1"}},
        rd::hddm_w{{.lambda = 0.1, .two_sided_test = true}}, errors2);
  // Underscored names are the same detector.
  EXPECT_EQ(made("hddm_a").detector.name(), "hddm-a");
  EXPECT_EQ(made("page_hinkley").detector.name(), "page-hinkley");
}

TEST(MakeDetector, NamesWarningZonesAndTargets) {
  EXPECT_EQ(rd::detector_names(), (std::vector<std::string>{"adwin", "page-hinkley", "kswin", "ddm",
                                                            "eddm", "hddm-a", "hddm-w"}));
  for (const auto& d : rd::describe_detectors()) {
    const auto m = made(d.name);
    EXPECT_EQ(m.detector.name(), d.name);
    EXPECT_EQ(m.detector.has_warning_zone(), d.warning_zone) << d.name;
    EXPECT_EQ(d.warning_zone, d.name != "adwin" && d.name != "page-hinkley" && d.name != "kswin");
  }
  const auto m = made("page-hinkley", {{"min-instances", "50"}});
  ASSERT_NE(m.detector.target<rd::page_hinkley>(), nullptr);
  EXPECT_EQ(m.detector.target<rd::page_hinkley>()->options().min_instances, 50);
  EXPECT_EQ(m.detector.target<rd::adwin>(), nullptr);
}

// --- parameters: overrides, defaults, the effective values reported ------------------------------

TEST(MakeDetector, ParamsOverrideRiversDefaultsAndAreReportedAsUsed) {
  // Defaults are reported as used, every parameter, in declaration order.
  const auto ph = made("page-hinkley", {{"threshold", "25"}, {"min-instances", "50"}});
  std::vector<std::string> names;
  for (const auto& [n, v] : ph.params) names.push_back(n);
  EXPECT_EQ(names,
            (std::vector<std::string>{"min_instances", "delta", "threshold", "alpha", "mode"}));
  EXPECT_EQ(std::get<std::int64_t>(param(ph, "min_instances")), 50);
  EXPECT_EQ(std::get<double>(param(ph, "threshold")), 25.0);
  EXPECT_EQ(std::get<double>(param(ph, "delta")), 0.005);
  EXPECT_EQ(std::get<double>(param(ph, "alpha")), 1 - 0.0001);
  EXPECT_EQ(std::get<std::string>(param(ph, "mode")), "both");
  EXPECT_EQ(std::get<std::string>(param(made("page-hinkley", {{"mode", "down"}}), "mode")), "down");

  // hddm-w's lambda is River's lambda_val, whichever spelling was given.
  for (const std::string spelling : {"lambda", "lambda_val", "lambda-val"}) {
    const auto h = made("hddm-w", {{spelling, "0.1"}});
    EXPECT_EQ(std::get<double>(param(h, "lambda_val")), 0.1) << spelling;
    EXPECT_EQ(h.detector.target<rd::hddm_w>()->options().lambda, 0.1);
    EXPECT_THROW(param(h, "lambda"), std::out_of_range);
  }
  EXPECT_FALSE(std::get<bool>(param(made("hddm-w"), "two_sided_test")));
  EXPECT_TRUE(
      std::get<bool>(param(made("hddm-a", {{"two_sided_test", "true"}}), "two_sided_test")));

  // KSWIN: integers as integers (window_size unsigned, seed signed); the caller's default seed
  // when none is given, the given one otherwise; an unset seed is reported as unset.
  const auto k = made("kswin", {{"window-size", "60"}}, {{"seed", "1234"}});
  EXPECT_EQ(std::get<std::uint64_t>(param(k, "window_size")), 60u);
  EXPECT_EQ(std::get<std::uint64_t>(param(k, "stat_size")), 30u);
  EXPECT_EQ(std::get<std::int64_t>(param(k, "seed")), 1234);
  EXPECT_EQ(
      std::get<std::int64_t>(param(made("kswin", {{"seed", "7"}}, {{"seed", "1234"}}), "seed")), 7);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(param(made("kswin"), "seed")));
  const std::int64_t big = (std::int64_t{1} << 52) - 1;
  EXPECT_EQ(
      std::get<std::int64_t>(param(made("kswin", {}, {{"seed", std::to_string(big)}}), "seed")),
      big);
  // Defaults naming parameters a detector does not have are not used (and not refused).
  const auto a = made("adwin", {}, {{"seed", "5"}});
  EXPECT_EQ(a.params.size(), 5u);
  EXPECT_EQ(std::get<std::int64_t>(param(a, "clock")), 32);
  // Integers may be written as integral numbers.
  EXPECT_EQ(std::get<std::int64_t>(param(made("adwin", {{"clock", "1e2"}}), "clock")), 100);
  EXPECT_EQ(std::get<std::int64_t>(param(made("adwin", {{"clock", "+16"}}), "clock")), 16);
}

TEST(MakeDetector, ParsesNameValueTexts) {
  const auto p = riptide::parse_param_assignments({"delta=0.001", "min-window-length=8", "x=a=b"});
  EXPECT_EQ(p.at("delta"), "0.001");
  EXPECT_EQ(p.at("min-window-length"), "8");
  EXPECT_EQ(p.at("x"), "a=b");
  EXPECT_EQ(riptide::parse_param_assignment("seed="),
            (std::pair<std::string, std::string>{"seed", ""}));
  EXPECT_EQ(refusal([] { riptide::parse_param_assignment("delta"); }),
            "expected NAME=VALUE, got 'delta'");
  EXPECT_EQ(refusal([] { riptide::parse_param_assignment("=3"); }),
            "expected NAME=VALUE, got '=3'");
  EXPECT_EQ(refusal([] {
              riptide::parse_param_assignments({"min-instances=3", "min_instances=4"});
            }),
            "parameter 'min_instances' given twice");
  const auto m = made("adwin", riptide::parse_param_assignments({"min-window-length=8"}));
  EXPECT_EQ(m.detector.target<rd::adwin>()->options().min_window_length, 8);
}

// --- every error names what is wrong
// ---------------------------------------------------------------

TEST(MakeDetector, EveryErrorSaysWhatIsWrong) {
  const auto fails = [](std::string_view name, const riptide::param_texts& params) {
    return refusal([&] { rd::make_detector(name, params); });
  };
  EXPECT_EQ(fails("cusum", {}),
            "unknown detector 'cusum' (adwin, page-hinkley, kswin, ddm, eddm, hddm-a, hddm-w)");
  EXPECT_EQ(fails("adwin", {{"threshold", "3"}}),
            "adwin has no parameter 'threshold' (its parameters: delta, clock, max_buckets, "
            "min_window_length, grace_period)");
  EXPECT_EQ(fails("adwin", {{"delta", "abc"}}), "adwin delta: 'abc' is not a finite number");
  EXPECT_EQ(fails("adwin", {{"delta", "nan"}}), "adwin delta: 'nan' is not a finite number");
  EXPECT_EQ(fails("adwin", {{"delta", ""}}), "adwin delta: '' is not a finite number");
  EXPECT_EQ(fails("adwin", {{"delta", "0"}}), "adwin delta: must be > 0, got '0'");
  EXPECT_EQ(fails("adwin", {{"clock", "0"}}), "adwin clock: must be >= 1, got '0'");
  EXPECT_EQ(fails("adwin", {{"clock", "2.5"}}),
            "adwin clock: expected an integer from -2147483648 to 2147483647, got '2.5'");
  EXPECT_EQ(fails("adwin", {{"clock", "3000000000"}}),
            "adwin clock: expected an integer from -2147483648 to 2147483647, got '3000000000'");
  EXPECT_EQ(fails("kswin", {{"window-size", "-5"}}),
            "kswin window_size: expected an integer from 0 to 18446744073709551615, got '-5'");
  EXPECT_EQ(fails("kswin", {{"alpha", "1.5"}}), "kswin alpha: must be in [0, 1], got '1.5'");
  EXPECT_EQ(fails("ddm", {{"warm-start", "2.5"}}),
            "ddm warm_start: expected an integer from -2147483648 to 2147483647, got '2.5'");
  EXPECT_EQ(fails("hddm-a", {{"two-sided-test", "yes"}}),
            "hddm-a two_sided_test: expected true, false, 1 or 0, got 'yes'");
  EXPECT_EQ(fails("page-hinkley", {{"mode", "sideways"}}),
            "page-hinkley mode: expected up, down or both, got 'sideways'");
  EXPECT_EQ(fails("hddm-w", {{"lambda", "0.1"}, {"lambda_val", "0.2"}}),
            "hddm-w: parameter 'lambda_val' given twice (as 'lambda' and 'lambda_val')");
  EXPECT_EQ(fails("hddm-w", {{"lambda", "2"}}), "hddm-w lambda_val: must be in [0, 1], got '2'");
  // What only the constructors know (relations between parameters) comes from them.
  EXPECT_EQ(fails("eddm", {{"alpha", "0.5"}}), "eddm: alpha must be >= beta");
  EXPECT_EQ(fails("kswin", {{"window_size", "40"}}).rfind("kswin: window_size - stat_size", 0), 0u);
  // A bad default is refused like a bad parameter.
  EXPECT_EQ(refusal([] {
              rd::make_detector("kswin", {}, {{"seed", "x"}});
            }),
            "kswin seed: expected an integer from -9223372036854775808 to 9223372036854775807, "
            "got 'x'");
}

// --- the declarations: defaults are the options' own, names unique, docs written
// ------------------

namespace {

template <class O>
void check_declaration(const rd::detector_description& d) {
  EXPECT_EQ(riptide::component_of<O>(), d.name);
  const auto defaults = riptide::effective_params(O{});
  ASSERT_EQ(d.params.size(), defaults.size()) << d.name;
  std::set<std::string> names;
  for (std::size_t i = 0; i < d.params.size(); ++i) {
    const auto& p = d.params[i];
    EXPECT_EQ(p.name, defaults[i].first) << d.name;
    EXPECT_EQ(p.default_value, defaults[i].second) << d.name << " " << p.name;
    EXPECT_EQ(p.default_text, riptide::to_text(defaults[i].second)) << d.name << " " << p.name;
    EXPECT_FALSE(p.doc.empty()) << d.name << " " << p.name;
    EXPECT_TRUE(p.type == "number" || p.type == "integer" || p.type == "flag" || p.type == "text");
    EXPECT_TRUE(names.insert(p.name).second) << d.name << " " << p.name;
    for (const auto& a : p.aliases) EXPECT_TRUE(names.insert(a).second) << d.name << " " << a;
    // The default is inside the declared range, and setting it from its text changes nothing.
    if (p.type == "number" || p.type == "integer") {
      if (p.default_text != "none") {
        EXPECT_TRUE(p.range.contains(std::stod(p.default_text))) << d.name << " " << p.name;
      }
    }
    O o{};
    riptide::set_param(o, p.name, p.default_text);
    EXPECT_EQ(riptide::effective_params(o), defaults) << d.name << " " << p.name;
  }
}

}  // namespace

TEST(DetectorParams, DescribeListsEachDeclaredDefaultAsTheOptionsHaveIt) {
  const auto all = rd::describe_detectors();
  ASSERT_EQ(all.size(), 7u);
  check_declaration<rd::adwin_options>(all[0]);
  check_declaration<rd::page_hinkley_options>(all[1]);
  check_declaration<rd::kswin_options>(all[2]);
  check_declaration<rd::ddm_options>(all[3]);
  check_declaration<rd::eddm_options>(all[4]);
  check_declaration<rd::hddm_a_options>(all[5]);
  check_declaration<rd::hddm_w_options>(all[6]);
  // River's defaults, as text (what help shows).
  const auto text = [&](std::size_t d, std::size_t p) { return all[d].params[p].default_text; };
  EXPECT_EQ(text(0, 0), "0.002");
  EXPECT_EQ(text(0, 1), "32");
  EXPECT_EQ(text(1, 2), "50");
  EXPECT_EQ(text(1, 3), "0.9999");
  EXPECT_EQ(text(1, 4), "both");
  EXPECT_EQ(all[1].params[4].choices, (std::vector<std::string>{"up", "down", "both"}));
  EXPECT_EQ(text(2, 3), "none");
  EXPECT_EQ(text(6, 2), "0.05");
  EXPECT_EQ(all[6].params[2].aliases, (std::vector<std::string>{"lambda"}));
  EXPECT_EQ(all[0].params[0].range.to_string(), "> 0");
  EXPECT_EQ(all[2].params[0].range.to_string(), "[0, 1]");
  EXPECT_EQ(all[3].params[0].range.to_string(), "");
}

// --- any_detector: value semantics --------------------------------------------------------------

TEST(AnyDetector, CopiesAreIndependentAndResetRestarts) {
  const auto stream = fixture("py42_error_rate_rises");
  rd::any_detector d{"ddm", rd::ddm{}};
  for (std::size_t i = 0; i < 1200; ++i) d.update(stream[i]);
  rd::any_detector copy = d;  // mid-stream
  const std::vector<double> rest(stream.begin() + 1200, stream.end());
  const auto from_copy = events(copy, rest);
  EXPECT_EQ(events(d, rest), from_copy);
  EXPECT_FALSE(from_copy.empty());
  // The copy's updates did not move the original, and assignment copies again.
  rd::any_detector other{"adwin", rd::adwin{}};
  other = d;
  EXPECT_EQ(other.name(), "ddm");
  EXPECT_TRUE(other.has_warning_zone());
  other.reset();
  d.reset();
  EXPECT_EQ(events(other, stream), events(rd::ddm{}, stream));
  EXPECT_EQ(events(d, stream), events(rd::ddm{}, stream));
  rd::any_detector moved = std::move(other);
  EXPECT_EQ(moved.name(), "ddm");
  // Without a warning zone, warning_detected() is always false.
  rd::any_detector ph{"page-hinkley", rd::page_hinkley{}};
  for (double x : fixture("np_stream_3")) {
    ph.update(x);
    EXPECT_FALSE(ph.warning_detected());
  }
}

// --- param.hpp on an options struct of every supported member type
// --------------------------------

namespace {

enum class shade { light, dark };

struct toy_options {
  double rate = 0.5;
  float gain = 2.0f;
  int steps = 3;
  unsigned width = 8;
  std::uint64_t big = 1;
  std::optional<std::int64_t> seed{};
  bool verbose = false;
  std::string label = "toy";
  std::string color = "red";
  shade tone = shade::dark;
  std::vector<double> not_a_parameter{};
};

constexpr auto parameters(std::type_identity<toy_options>) {
  using o = toy_options;
  return riptide::declare_params(
      "toy", riptide::param{"rate", &o::rate, "a rate in (0, 1]"}.above(0).at_most(1),
      riptide::param{"gain", &o::gain, "a float"},
      riptide::param{"steps", &o::steps, "steps"}.within(-5, 100).alias("n").alias("count"),
      riptide::param{"width", &o::width, "an unsigned"}.below(1000),
      riptide::param{"big", &o::big, "an unsigned 64-bit"},
      riptide::param{"seed", &o::seed, "an optional integer"},
      riptide::param{"verbose", &o::verbose, "a flag"},
      riptide::param{"label", &o::label, "any text"},
      riptide::param{"color", &o::color, "one of three"}.choice("red").choice("green").choice(
          "blue"),
      riptide::param{"tone", &o::tone, "an enum"}
          .choice("light", shade::light)
          .choice("dark", shade::dark));
}

riptide::param_value value(const toy_options& o, const std::string& name) {
  for (const auto& [n, v] : riptide::effective_params(o))
    if (n == name) return v;
  throw std::out_of_range(name);
}

}  // namespace

TEST(Param, DescribesEveryMemberType) {
  const auto d = riptide::describe_params<toy_options>();
  ASSERT_EQ(d.size(), 10u);
  std::vector<std::string> types, defaults;
  for (const auto& p : d) {
    types.push_back(p.type);
    defaults.push_back(p.default_text);
  }
  EXPECT_EQ(types, (std::vector<std::string>{"number", "number", "integer", "integer", "integer",
                                             "integer", "flag", "text", "text", "text"}));
  EXPECT_EQ(defaults, (std::vector<std::string>{"0.5", "2", "3", "8", "1", "none", "false", "toy",
                                                "red", "dark"}));
  EXPECT_EQ(d[0].range.to_string(), "(0, 1]");
  EXPECT_EQ(d[2].range.to_string(), "[-5, 100]");
  EXPECT_EQ(d[3].range.to_string(), "< 1000");
  EXPECT_EQ(d[2].aliases, (std::vector<std::string>{"n", "count"}));
  EXPECT_EQ(d[9].choices, (std::vector<std::string>{"light", "dark"}));
  EXPECT_EQ(d[8].choices, (std::vector<std::string>{"red", "green", "blue"}));
  EXPECT_TRUE(d[7].choices.empty());
  EXPECT_EQ(riptide::param_names<toy_options>(),
            (std::vector<std::string>{"rate", "gain", "steps", "width", "big", "seed", "verbose",
                                      "label", "color", "tone"}));
  EXPECT_EQ(riptide::find_param_name<toy_options>("count"), "steps");
  EXPECT_EQ(riptide::find_param_name<toy_options>("nope"), std::nullopt);
}

TEST(Param, SetsFromTextAndRefusesWhatDoesNotRead) {
  toy_options o;
  riptide::set_param(o, "rate", " 1 ");
  riptide::set_param(o, "count", "-5");
  riptide::set_param(o, "verbose", "1");
  riptide::set_param(o, "label", "any thing=at all");
  riptide::set_param(o, "color", "blue");
  riptide::set_param(o, "tone", "light");
  riptide::set_param(o, "seed", "-42");
  riptide::set_param(o, "big", "18446744073709551615");
  EXPECT_EQ(o.rate, 1.0);
  EXPECT_EQ(o.steps, -5);
  EXPECT_TRUE(o.verbose);
  EXPECT_EQ(o.label, "any thing=at all");
  EXPECT_EQ(o.color, "blue");
  EXPECT_EQ(o.tone, shade::light);
  EXPECT_EQ(o.seed, -42);
  EXPECT_EQ(o.big, std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(std::get<std::string>(value(o, "tone")), "light");
  riptide::set_param(o, "seed", "none");
  EXPECT_FALSE(o.seed.has_value());

  const auto fails = [&](std::string_view name, std::string_view text) {
    return refusal([&] { riptide::set_param(o, name, text); });
  };
  EXPECT_EQ(fails("speed", "1"),
            "toy has no parameter 'speed' (its parameters: rate, gain, steps, width, big, seed, "
            "verbose, label, color, tone)");
  EXPECT_EQ(fails("rate", "0"), "toy rate: must be in (0, 1], got '0'");
  EXPECT_EQ(fails("rate", "1.0001"), "toy rate: must be in (0, 1], got '1.0001'");
  EXPECT_EQ(fails("rate", "inf"), "toy rate: 'inf' is not a finite number");
  EXPECT_EQ(fails("steps", "101"), "toy steps: must be in [-5, 100], got '101'");
  EXPECT_EQ(fails("width", "1000"), "toy width: must be < 1000, got '1000'");
  EXPECT_EQ(fails("width", "-1"), "toy width: expected an integer from 0 to 4294967295, got '-1'");
  EXPECT_EQ(fails("verbose", "yes"), "toy verbose: expected true, false, 1 or 0, got 'yes'");
  EXPECT_EQ(fails("color", "Red"), "toy color: expected red, green or blue, got 'Red'");
  EXPECT_EQ(fails("tone", "grey"), "toy tone: expected light or dark, got 'grey'");
  EXPECT_EQ(fails("gain", "1e300"), "toy gain: '1e300' is too large for this parameter");
  // Refusals leave the options as they were.
  EXPECT_EQ(o.rate, 1.0);
  EXPECT_EQ(o.width, 8u);

  // set_params: all or nothing on names; one parameter under two spellings is refused.
  toy_options p;
  riptide::set_params(p, {{"rate", "0.25"}, {"n", "7"}});
  EXPECT_EQ(p.rate, 0.25);
  EXPECT_EQ(p.steps, 7);
  EXPECT_EQ(refusal([&] {
              riptide::set_params(p, {{"count", "1"}, {"steps", "2"}});
            }),
            "toy: parameter 'steps' given twice (as 'count' and 'steps')");
  EXPECT_EQ(refusal([&] {
              riptide::set_params(p, {{"rate", "0.5"}, {"x", "2"}});
            }).rfind("toy has no parameter 'x'", 0),
            0u);
  EXPECT_EQ(p.rate, 0.25);  // the unknown name was found before anything was set
}

// Whatever value a member holds, its text sets it back exactly.
RC_GTEST_PROP(Param, SettingAValuesTextGivesTheValueBack, ()) {
  toy_options o;
  const double rate = *rc::gen::map(rc::gen::inRange(1, 1 << 30),
                                    [](int i) { return static_cast<double>(i) / (1 << 30); });
  const float gain = *rc::gen::arbitrary<float>();
  RC_PRE(std::isfinite(gain));
  const int steps = *rc::gen::inRange(-5, 101);
  const unsigned width = *rc::gen::inRange(0u, 1000u);
  const auto big = *rc::gen::arbitrary<std::uint64_t>();
  const auto seed = *rc::gen::arbitrary<std::int64_t>();
  const bool verbose = *rc::gen::arbitrary<bool>();
  const auto label = *rc::gen::arbitrary<std::string>();
  toy_options want;
  want.rate = rate;
  want.gain = gain;
  want.steps = steps;
  want.width = width;
  want.big = big;
  want.seed = seed;
  want.verbose = verbose;
  want.label = label;
  for (const auto& [name, v] : riptide::effective_params(want))
    riptide::set_param(o, name, riptide::to_text(v));
  RC_ASSERT(riptide::effective_params(o) == riptide::effective_params(want));
  RC_ASSERT(o.gain == gain);
  RC_ASSERT(o.rate == rate);
  RC_ASSERT(o.big == big);
  RC_ASSERT(o.seed == std::optional<std::int64_t>(seed));
}

// Any finite double survives its text, and numbers are set exactly as std::from_chars reads them.
RC_GTEST_PROP(Param, NumbersRoundTripThroughText, (double x)) {
  RC_PRE(std::isfinite(x));
  rd::page_hinkley_options o;
  riptide::set_param(o, "threshold", riptide::number_to_text(x));
  RC_ASSERT(o.threshold == x);
  RC_ASSERT(std::get<double>(riptide::effective_params(o)[2].second) == x);
}

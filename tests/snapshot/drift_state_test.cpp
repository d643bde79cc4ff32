// State round trips of the drift components through snapshot::saver and snapshot::loader
// (snapshot/archive.hpp): every detector, the retraining classifier and the row monitor copied
// mid-stream go on exactly as the original; tampered states are refused with snapshot::error.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "riptide/clean/row.hpp"
#include "riptide/drift/features/row_monitor.hpp"
#include "riptide/drift/make_detector.hpp"
#include "riptide/drift/retraining_classifier.hpp"
#include "riptide/learn/make_classifier.hpp"
#include "riptide/snapshot/archive.hpp"

namespace {

namespace d = riptide::drift;
namespace l = riptide::learn;
namespace snapshot = riptide::snapshot;
using riptide::value;

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

// Uniform in [lo, hi) whatever the test's size (gen::inRange alone scales with it).
template <class T>
T uniform(T lo, T hi) {
  return *rc::gen::resize(rc::kNominalSize, rc::gen::inRange<T>(lo, hi));
}

// ---------------------------------------------------------------------------------------------
// Detectors

struct detector_case {
  std::string name;
  riptide::param_texts params;
  bool binary;  // fed 0/1 errors (else real values)
};

const std::vector<detector_case>& detector_cases() {
  static const std::vector<detector_case> cases{
      {"adwin", {}, false},
      {"adwin",
       {{"delta", "0.01"},
        {"clock", "4"},
        {"max_buckets", "2"},
        {"min_window_length", "3"},
        {"grace_period", "20"}},
       false},
      {"page-hinkley", {}, false},
      {"page-hinkley",
       {{"min_instances", "10"}, {"threshold", "5"}, {"alpha", "0.99"}, {"mode", "up"}},
       false},
      {"kswin", {}, false},
      {"kswin",
       {{"alpha", "0.01"}, {"window_size", "60"}, {"stat_size", "20"}, {"seed", "42"}},
       false},
      // A reference population larger than CPython's set size: the set sampling algorithm.
      {"kswin",
       {{"alpha", "0.01"}, {"window_size", "400"}, {"stat_size", "30"}, {"seed", "-3"}},
       false},
      {"ddm", {}, true},
      {"ddm",
       {{"warm_start", "10"}, {"warning_threshold", "1.5"}, {"drift_threshold", "2.5"}},
       true},
      {"eddm", {}, true},
      {"eddm", {{"warm_start", "10"}, {"alpha", "0.9"}, {"beta", "0.8"}}, true},
      {"hddm-a", {}, true},
      {"hddm-a", {{"drift_confidence", "0.01"}, {"two_sided_test", "true"}}, true},
      {"hddm-w", {}, true},
      {"hddm-w", {{"lambda", "0.1"}, {"two_sided_test", "true"}}, true},
  };
  return cases;
}

// A stream whose level (real values) or error rate (0/1) changes every few hundred inputs, with a
// NaN now and then in real streams (KSWIN keeps NaNs out of its ordered window).
struct drifting_stream {
  std::mt19937_64 gen;
  bool binary;
  int until_change = 0;
  double level = 0.0;

  double next() {
    if (until_change-- <= 0) {
      until_change = static_cast<int>(gen() % 400) + 50;
      level = binary ? static_cast<double>(gen() % 60) / 100.0 : static_cast<double>(gen() % 8);
    }
    const double u = static_cast<double>(gen() >> 11) * 0x1p-53;
    if (binary) return u < level ? 1.0 : 0.0;
    if (gen() % 500 == 0) return std::numeric_limits<double>::quiet_NaN();
    return level + u;
  }
};

// Whatever a detector reports besides its flags, as numbers.
std::vector<double> estimates(const d::any_detector& det) {
  if (const auto* x = det.target<d::adwin>())
    return {x->width(), x->total(), x->variance(), x->estimation()};
  if (const auto* x = det.target<d::page_hinkley>())
    return {x->increase_statistic(), x->decrease_statistic()};
  if (const auto* x = det.target<d::kswin>()) return {x->p_value(), x->statistic()};
  if (const auto* x = det.target<d::ddm>()) return {x->error_rate()};
  if (const auto* x = det.target<d::hddm_a>()) return {x->error_rate()};
  if (const auto* x = det.target<d::hddm_w>()) return {x->error_rate()};
  return {};
}

// Every detector (by name, with default and other parameters) on one generated stream.
RC_GTEST_PROP(DriftState, DetectorsGoOnBitForBitAfterACopy, ()) {
  const auto length = uniform(1, 3000);
  const auto split = uniform(0, length);
  const auto seed = *rc::gen::arbitrary<std::uint64_t>();
  const auto warm_copy = *rc::gen::arbitrary<bool>();  // the copy ran on other data before
  long total_detections = 0;
  for (const auto& c : detector_cases()) {
    auto a = d::make_detector(c.name, c.params).detector;
    auto b = d::make_detector(c.name, c.params).detector;
    drifting_stream s{std::mt19937_64(seed), c.binary};
    if (warm_copy) {
      drifting_stream other{std::mt19937_64(seed + 1), c.binary};
      for (int i = 0; i < 700; ++i) b.update(other.next());
    }
    for (int i = 0; i < split; ++i) a.update(s.next());
    snapshot::copy_state(a, b);
    RC_ASSERT(a.drift_detected() == b.drift_detected());
    RC_ASSERT(a.warning_detected() == b.warning_detected());
    for (int i = split; i < length; ++i) {
      const double x = s.next();
      a.update(x);
      b.update(x);
      RC_ASSERT(a.drift_detected() == b.drift_detected());
      RC_ASSERT(a.warning_detected() == b.warning_detected());
      const auto ea = estimates(a), eb = estimates(b);
      RC_ASSERT(ea.size() == eb.size());
      for (std::size_t k = 0; k < ea.size(); ++k) RC_ASSERT(same_bits(ea[k], eb[k]));
      total_detections += a.drift_detected();
    }
  }
  RC_CLASSIFY(total_detections > 0, "detections after the copy");
}

// ---------------------------------------------------------------------------------------------
// Retraining classifier

using retraining = d::retraining_classifier<l::any_classifier, d::any_detector>;

struct example {
  std::vector<riptide::features::entry> x;
  bool y;
};

// A concept over two features that flips sign at `flip` and back at `flip_back`.
std::vector<example> flipping(std::size_t n, std::size_t flip, std::size_t flip_back,
                              std::uint64_t seed) {
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<example> out;
  for (std::size_t i = 0; i < n; ++i) {
    const float a = u(gen), b = u(gen);
    const bool flipped = i >= flip && i < flip_back;
    out.push_back({{{0, a}, {1, b}}, (a + 0.5f * b > 0.0f) != flipped});
  }
  return out;
}

retraining make_retraining(const std::string& detector, std::size_t max_events) {
  const auto make = [] { return l::make_classifier({.optimizer = "adagrad", .lr = 0.5}); };
  return retraining{make,
                    d::make_detector(detector, {}).detector,
                    detector,
                    {.retrain = {.recent_window = 100, .min_challenger_records = 30, .trial = 200},
                     .max_events = max_events}};
}

bool same_event(const d::drift_event& a, const d::drift_event& b) {
  const auto &x = a.event, &y = b.event;
  return a.line == b.line && x.index == y.index && x.detector == y.detector &&
         same_bits(x.statistic, y.statistic) && x.action == y.action && x.drift == y.drift &&
         same_bits(x.model_accuracy, y.model_accuracy) &&
         same_bits(x.challenger_accuracy, y.challenger_accuracy) &&
         x.challenger_records == y.challenger_records;
}

// Feeds data[from, to) to both and checks they go on identically.
void expect_same_continuation(retraining& a, retraining& b, const std::vector<example>& data,
                              std::size_t from) {
  for (std::size_t i = from; i < data.size(); ++i) {
    const float pa = a.predict_then_learn(data[i].x, data[i].y);
    const float pb = b.predict_then_learn(data[i].x, data[i].y);
    RC_ASSERT(std::memcmp(&pa, &pb, sizeof pa) == 0);
    RC_ASSERT(a.events_total() == b.events_total());
    RC_ASSERT((a.challenger() == nullptr) == (b.challenger() == nullptr));
  }
  RC_ASSERT(a.events().size() == b.events().size());
  for (std::size_t k = 0; k < a.events().size(); ++k)
    RC_ASSERT(same_event(a.events()[k], b.events()[k]));
  const auto &ca = a.counts(), &cb = b.counts();
  RC_ASSERT(ca.drifts == cb.drifts && ca.warnings == cb.warnings &&
            ca.challengers == cb.challengers && ca.replaced == cb.replaced &&
            ca.resets == cb.resets && ca.kept == cb.kept && ca.dropped == cb.dropped &&
            ca.restored == cb.restored);
}

RC_GTEST_PROP(DriftState, RetrainingClassifierGoesOnBitForBitAfterACopy, ()) {
  const std::string detector = *rc::gen::element<std::string>("ddm", "adwin", "hddm-w", "kswin");
  const auto length = uniform<std::size_t>(200, 3000);
  const auto flip = uniform<std::size_t>(0, length);
  const auto flip_back = uniform<std::size_t>(flip, length + 1);
  const auto split = uniform<std::size_t>(0, length);
  const auto max_events = *rc::gen::element<std::size_t>(3, 10000);
  const auto seed = *rc::gen::arbitrary<std::uint64_t>();
  RC_TAG(detector);
  const auto data = flipping(length, flip, flip_back, seed);

  auto a = make_retraining(detector, max_events);
  for (std::size_t i = 0; i < split; ++i) a.predict_then_learn(data[i].x, data[i].y);
  auto b = make_retraining(detector, max_events);
  snapshot::copy_state(a, b);
  RC_CLASSIFY(a.challenger() != nullptr, "a background model at the copy");
  expect_same_continuation(a, b, data, split);
}

// Copies 40 records into the first stretch where a challenger (DDM's warnings) or a model on
// trial (ADWIN's resets) learns in the background (the random splits may rarely land there).
TEST(DriftState, RetrainingClassifierCopiesItsBackgroundModel) {
  const auto data = flipping(4000, 1500, 4000, 11);
  for (const std::string detector : {"ddm", "adwin"}) {
    auto a = make_retraining(detector, 10000);
    bool copied = false;
    std::size_t background_for = 0;
    for (std::size_t i = 0; i < data.size() && !copied; ++i) {
      a.predict_then_learn(data[i].x, data[i].y);
      background_for = a.challenger() ? background_for + 1 : 0;
      if (background_for < 40) continue;
      auto b = make_retraining(detector, 10000);
      snapshot::copy_state(a, b);
      ASSERT_NE(b.challenger(), nullptr);
      std::vector<float> pa, pb;
      for (std::size_t k = i + 1; k < data.size(); ++k) {
        pa.push_back(a.predict_then_learn(data[k].x, data[k].y));
        pb.push_back(b.predict_then_learn(data[k].x, data[k].y));
      }
      ASSERT_EQ(std::memcmp(pa.data(), pb.data(), pa.size() * sizeof(float)), 0) << detector;
      ASSERT_EQ(a.events().size(), b.events().size()) << detector;
      for (std::size_t k = 0; k < b.events().size(); ++k)
        EXPECT_TRUE(same_event(a.events()[k], b.events()[k])) << detector << " " << k;
      copied = true;
    }
    EXPECT_TRUE(copied) << detector << ": no background model in the stream";
  }
}

TEST(DriftState, ServeKindKeepsTheServedModelOnly) {
  const auto data = flipping(1000, 400, 1000, 3);
  auto a = make_retraining("ddm", 10000);
  for (const auto& e : data) a.predict_then_learn(e.x, e.y);
  ASSERT_GT(a.events_total(), 0u);
  snapshot::saver s(snapshot::kind::serve);
  a.state(s);
  EXPECT_EQ(s.state().size(), 1u);
  EXPECT_FALSE(s.state()["retrainer"].contains("detector"));
  auto b = make_retraining("ddm", 10000);
  snapshot::copy_state(a, b, snapshot::kind::serve);
  EXPECT_EQ(b.events_total(), 0u);
  for (const auto& e : data) EXPECT_EQ(a.model().predict_proba(e.x), b.model().predict_proba(e.x));
}

// ---------------------------------------------------------------------------------------------
// Row monitor

d::features::row_monitor make_monitor(std::size_t reference, std::size_t window,
                                      std::size_t check_every, std::size_t max_alerts) {
  return d::features::row_monitor{
      {.reference_size = reference, .window_size = window, .check_every = check_every},
      {"label"},
      max_alerts};
}

// Rows of every value kind: an identifier, a numeric text, a real with gaps, an integer, a
// category, a flag and the label; the amount and the plan shift at `shift`.
struct row_stream {
  std::mt19937_64 gen;
  std::size_t shift;
  std::size_t i = 0;
  std::shared_ptr<const riptide::clean::columns> names =
      std::make_shared<const riptide::clean::columns>(
          riptide::clean::columns{{"id", "amount", "ratio", "count", "plan", "flag", "label"}});

  riptide::clean::row next() {
    riptide::clean::row r;
    r.names = names;
    const bool later = i >= shift;
    const double amount = (later ? 40.0 : 10.0) + static_cast<double>(gen() % 100) / 10.0;
    const auto plan = gen() % (later ? 2 : 5);
    r.values = {value::of_text("id-" + std::to_string(i)),
                gen() % 50 ? value::of_text(std::to_string(amount)) : value::of_text("n/a"),
                gen() % 10 ? value::of_real(static_cast<double>(gen() % 1000) / 1000.0) : value{},
                value::of_int(static_cast<std::int64_t>(gen() % 7)),
                value::of_text(plan == 0   ? "basic"
                               : plan == 1 ? "pro"
                                           : "\xff\xfe odd bytes"),
                value::of_bool(gen() % 2 == 0),
                value::of_text(gen() % 2 ? "yes" : "no")};
    if (gen() % 97 == 0) r.values.pop_back();  // a short row now and then
    r.where.index = i;
    r.where.line = i + 2;
    ++i;
    return r;
  }
};

bool same_alert(const d::features::located_alert& a, const d::features::located_alert& b) {
  return a.index == b.index && a.line == b.line && a.a.index == b.a.index &&
         a.a.feature == b.a.feature && a.a.metric == b.a.metric &&
         same_bits(a.a.statistic, b.a.statistic) && same_bits(a.a.threshold, b.a.threshold) &&
         same_bits(a.a.p_value, b.a.p_value);
}

RC_GTEST_PROP(DriftState, RowMonitorGoesOnBitForBitAfterACopy, ()) {
  const auto reference = uniform<std::size_t>(20, 400);
  const auto window = uniform<std::size_t>(10, 300);
  const auto check_every = uniform<std::size_t>(0, 50);
  const auto max_alerts = *rc::gen::element<std::size_t>(2, 10000);
  const auto length = uniform<std::size_t>(1, 2000);
  const auto shift = uniform<std::size_t>(0, length + 1);
  const auto split = uniform<std::size_t>(0, length);
  const auto seed = *rc::gen::arbitrary<std::uint64_t>();
  const auto warm_copy = *rc::gen::arbitrary<bool>();

  auto a = make_monitor(reference, window, check_every, max_alerts);
  auto b = make_monitor(reference, window, check_every, max_alerts);
  if (warm_copy) {
    row_stream other{std::mt19937_64(seed + 1), 0};
    for (std::size_t i = 0; i < reference + 20; ++i) b.update(other.next());
  }
  row_stream s{std::mt19937_64(seed), shift};
  for (std::size_t i = 0; i < split; ++i) a.update(s.next());
  snapshot::copy_state(a, b);
  RC_CLASSIFY(split < reference, "copied while buffering the reference");
  for (std::size_t i = split; i < length; ++i) {
    const auto r = s.next();
    a.update(r);
    b.update(r);
    RC_ASSERT(a.alerts_total() == b.alerts_total());
    RC_ASSERT(a.alerts().size() == b.alerts().size());
    if (!a.alerts().empty()) RC_ASSERT(same_alert(a.alerts().back(), b.alerts().back()));
  }
  for (std::size_t k = 0; k < a.alerts().size(); ++k)
    RC_ASSERT(same_alert(a.alerts()[k], b.alerts()[k]));
  RC_ASSERT(a.rows() == b.rows());
  RC_ASSERT(a.watched().size() == b.watched().size());
  for (std::size_t k = 0; k < a.watched().size(); ++k) {
    RC_ASSERT(a.watched()[k].name == b.watched()[k].name);
    RC_ASSERT(a.watched()[k].column == b.watched()[k].column);
    RC_ASSERT(a.watched()[k].kind == b.watched()[k].kind);
  }
  RC_ASSERT(a.skipped().size() == b.skipped().size());
  RC_CLASSIFY(a.alerts_total() > 0, "alerts");
}

// ---------------------------------------------------------------------------------------------
// Tampered states

// Saves `from`, lets `tamper` change the state and its arrays, and loads the result into `to`.
template <class T>
void load_tampered(
    T& from, T& to,
    const std::function<void(nlohmann::json&, std::vector<snapshot::array_out>&)>& tamper) {
  snapshot::saver s(snapshot::kind::resume);
  from.state(s);
  nlohmann::json state = s.state();
  std::vector<snapshot::array_out> arrays = s.arrays();
  tamper(state, arrays);
  std::vector<snapshot::array_in> in;
  for (const auto& a : arrays) in.push_back({a.name, a.type, a.bytes.data(), a.count});
  snapshot::loader l(snapshot::kind::resume, state, in);
  to.state(l);
}

// The array `ref` ({"array": i}) refers to.
snapshot::array_out& array_of(const nlohmann::json& ref, std::vector<snapshot::array_out>& arrays) {
  return arrays.at(ref["array"].get<std::size_t>());
}

template <class E>
void set_element(snapshot::array_out& a, std::size_t i, E x) {
  ASSERT_LT(i, a.count);
  std::memcpy(a.bytes.data() + i * sizeof(E), &x, sizeof(E));
}

template <class T>
void expect_refused(
    T& from, T& to,
    const std::function<void(nlohmann::json&, std::vector<snapshot::array_out>&)>& tamper,
    const std::string& what) {
  try {
    load_tampered(from, to, tamper);
    ADD_FAILURE() << what << ": accepted";
  } catch (const snapshot::error& e) {
    SCOPED_TRACE(e.what());
  }
}

using tamper_fn = std::function<void(nlohmann::json&, std::vector<snapshot::array_out>&)>;

TEST(DriftState, TamperedDetectorStatesAreRefused) {
  const auto fed = [](const std::string& name, const riptide::param_texts& params, bool binary) {
    auto det = d::make_detector(name, params).detector;
    drifting_stream s{std::mt19937_64(5), binary};
    for (int i = 0; i < 300; ++i) det.update(s.next());
    return det;
  };
  auto kswin = fed("kswin", {{"window_size", "60"}, {"stat_size", "20"}}, false);
  auto kswin_to = d::make_detector("kswin", {{"window_size", "60"}, {"stat_size", "20"}}).detector;
  const std::vector<std::pair<std::string, tamper_fn>> kswin_cases{
      {"head beyond the window", [](auto& j, auto&) { j["head"] = 65; }},
      {"negative size", [](auto& j, auto&) { j["size"] = -1; }},
      {"size beyond the window", [](auto& j, auto&) { j["size"] = 61; }},
      {"pushed behind the window", [](auto& j, auto&) { j["pushed"] = 10; }},
      {"ordered arrival outside the window",
       [](auto& j, auto& arrays) {
         set_element<std::uint64_t>(array_of(j["ordered_seqs"], arrays), 0, 100000);
       }},
      {"ordered value not in the window",
       [](auto& j, auto& arrays) {
         set_element<double>(array_of(j["ordered_values"], arrays), 0, 1e300);
       }},
      {"window of another size",
       [](auto& j, auto& arrays) {
         auto& ring = array_of(j["ring"], arrays);
         ring.count -= 1;
         ring.bytes.resize(ring.bytes.size() - sizeof(double));
       }},
      {"generator index beyond its words", [](auto& j, auto&) { j["rng"]["index"] = 625; }},
      {"missing generator", [](auto& j, auto&) { j.erase("rng"); }},
      {"a text for a count", [](auto& j, auto&) { j["n"] = "many"; }},
  };
  for (const auto& [what, tamper] : kswin_cases) expect_refused(kswin, kswin_to, tamper, what);

  auto adwin = fed("adwin", {}, false);
  auto adwin_to = d::make_detector("adwin", {}).detector;
  const std::vector<std::pair<std::string, tamper_fn>> adwin_cases{
      {"width beyond its buckets", [](auto& j, auto&) { j["width"] = 1e9; }},
      {"negative clock", [](auto& j, auto&) { j["tick"] = -5; }},
      {"a bucket row over max_buckets",
       [](auto& j, auto& arrays) {
         set_element<std::uint32_t>(array_of(j["counts"], arrays), 0, 7);
       }},
      {"bucket totals of another size",
       [](auto& j, auto& arrays) {
         auto& t = array_of(j["totals"], arrays);
         t.count -= 1;
         t.bytes.resize(t.bytes.size() - sizeof(double));
       }},
      {"an array of the wrong type", [](auto& j, auto&) { j["totals"] = j["counts"]; }},
  };
  for (const auto& [what, tamper] : adwin_cases) expect_refused(adwin, adwin_to, tamper, what);

  // The refusals above left the targets untouched enough to take a good state afterwards.
  snapshot::copy_state(kswin, kswin_to);
  snapshot::copy_state(adwin, adwin_to);
  EXPECT_EQ(kswin_to.target<d::kswin>()->p_value(), kswin.target<d::kswin>()->p_value());
}

TEST(DriftState, TamperedRetrainingStatesAreRefused) {
  const auto data = flipping(1500, 600, 1500, 4);
  auto a = make_retraining("ddm", 10000);
  for (const auto& e : data) a.predict_then_learn(e.x, e.y);
  ASSERT_FALSE(a.events().empty());
  auto b = make_retraining("ddm", 10000);
  const std::vector<std::pair<std::string, tamper_fn>> cases{
      {"hit count beyond the hits", [](auto& j, auto&) { j["retrainer"]["model_count"] = 1000; }},
      {"a hit neither 0 nor 1",
       [](auto& j, auto& arrays) {
         set_element<std::uint8_t>(array_of(j["retrainer"]["model_hits"], arrays), 0, 7);
       }},
      {"quiet beyond the window", [](auto& j, auto&) { j["retrainer"]["quiet"] = 101; }},
      {"an unknown action", [](auto& j, auto&) { j["events"][0]["event"]["action"] = 99; }},
      {"fewer events counted than kept", [](auto& j, auto&) { j["events_total"] = 0; }},
      {"a negative count", [](auto& j, auto&) { j["retrainer"]["counts"]["drifts"] = -1; }},
      {"a background model without state",
       [](auto& j, auto&) {
         j["retrainer"]["has_background"] = true;
         j["retrainer"].erase("background");
       }},
  };
  for (const auto& [what, tamper] : cases) expect_refused(a, b, tamper, what);
}

TEST(DriftState, TamperedRowMonitorStatesAreRefused) {
  row_stream s{std::mt19937_64(8), 300};
  auto buffering = make_monitor(200, 100, 0, 10000);
  for (int i = 0; i < 150; ++i) buffering.update(s.next());
  auto started = buffering;
  for (int i = 0; i < 400; ++i) started.update(s.next());
  ASSERT_GT(started.alerts_total(), 0u);
  auto to = make_monitor(200, 100, 0, 10000);

  const std::vector<std::pair<std::string, tamper_fn>> buffering_cases{
      {"more rows claimed than values",
       [](auto& j, auto& arrays) {
         set_element<std::uint64_t>(array_of(j["reference_lengths"], arrays), 0,
                                    std::uint64_t{1} << 62);
       }},
      {"an unknown value kind",
       [](auto& j, auto& arrays) {
         set_element<std::uint8_t>(array_of(j["reference_kinds"], arrays), 0, 9);
       }},
      {"rows beyond the reference size", [](auto& j, auto&) { j["rows"] = 5000; }},
      {"fewer texts than text values", [](auto& j, auto&) { j["reference_texts"].erase(0); }},
  };
  for (const auto& [what, tamper] : buffering_cases) expect_refused(buffering, to, tamper, what);

  const std::vector<std::pair<std::string, tamper_fn>> started_cases{
      {"window head beyond the window",
       [](auto& j, auto&) { j["monitor"]["features"][0]["head"] = 100; }},
      {"a watched column beyond the columns",
       [](auto& j, auto&) { j["watched"][0]["column"] = 99; }},
      {"a feature kind unknown", [](auto& j, auto&) { j["watched"][0]["kind"] = 7; }},
      {"feature states missing", [](auto& j, auto&) { j["monitor"]["features"].erase(0); }},
      {"reference bins of another size",
       [](auto& j, auto&) {
         j["monitor"]["features"][0]["edges"] = j["monitor"]["features"][0]["ring"];
       }},
      {"a current category beyond the categories",
       [](auto& j, auto& arrays) {
         // the plan (categorical) is the second watched feature after amount, ratio, count
         for (std::size_t f = 0; f < j["watched"].size(); ++f)
           if (j["watched"][f]["kind"] == 1)
             set_element<double>(array_of(j["monitor"]["features"][f]["ring"], arrays), 0, 1e12);
       }},
      {"a category listed twice",
       [](auto& j, auto&) {
         for (auto& f : j["monitor"]["features"])
           if (f["categories"].size() > 1) f["categories"][1] = f["categories"][0];
       }},
      {"an unknown alert metric", [](auto& j, auto&) { j["alerts"][0]["alert"]["metric"] = "xx"; }},
      {"rows of the monitor and the row monitor differ", [](auto& j, auto&) { j["rows"] = 1; }},
  };
  for (const auto& [what, tamper] : started_cases) expect_refused(started, to, tamper, what);
}

}  // namespace

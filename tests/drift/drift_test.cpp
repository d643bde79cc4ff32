// riptide::drift: River parity on River's own documented streams, properties of every detector
// (stationary false alarms, detection delay after a one-standard-deviation shift, determinism,
// reset), and the helpers they rest on (CPython's generator, scipy's KS p-value).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <riptide/detail/python_random.hpp>
#include <riptide/drift/adwin.hpp>
#include <riptide/drift/ddm.hpp>
#include <riptide/drift/detector.hpp>
#include <riptide/drift/eddm.hpp>
#include <riptide/drift/hddm_a.hpp>
#include <riptide/drift/hddm_w.hpp>
#include <riptide/drift/ks_2samp.hpp>
#include <riptide/drift/kswin.hpp>
#include <riptide/drift/page_hinkley.hpp>
#include <riptide/drift/retrainer.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <random>
#include <sstream>
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

template <rd::detector D>
std::vector<long> drifts(D detector, const std::vector<double>& stream) {
  std::vector<long> at;
  for (std::size_t i = 0; i < stream.size(); ++i) {
    detector.update(stream[i]);
    if (detector.drift_detected()) at.push_back(static_cast<long>(i));
  }
  return at;
}

// What River's docstrings print: the first warning after the start or after each drift, and
// every drift (negative numbers -1-i stand for "warning at i").
template <rd::warning_detector D>
std::vector<long> doc_events(D detector, const std::vector<double>& stream) {
  std::vector<long> events;
  bool print_warning = true;
  for (std::size_t i = 0; i < stream.size(); ++i) {
    detector.update(stream[i]);
    if (detector.warning_detected() && print_warning) {
      events.push_back(-1 - static_cast<long>(i));
      print_warning = false;
    }
    if (detector.drift_detected()) {
      events.push_back(static_cast<long>(i));
      print_warning = true;
    }
  }
  return events;
}

}  // namespace

// --- River parity: the streams and the indices River's docs and tests print ----------------------

TEST(RiverParity, AdwinDocstringAndTests) {
  EXPECT_EQ(drifts(rd::adwin{}, fixture("py12345_two_distributions")), (std::vector<long>{1023}));
  EXPECT_EQ(drifts(rd::adwin{}, fixture("np_stream_1")), (std::vector<long>{1023}));
  EXPECT_EQ(drifts(rd::adwin{}, fixture("py42_four_segments")),
            (std::vector<long>{1023, 2015, 3007}));
}

TEST(RiverParity, PageHinkleyDocstringAndTests) {
  using dir = rd::page_hinkley::direction;
  EXPECT_EQ(drifts(rd::page_hinkley{}, fixture("py12345_two_distributions")),
            (std::vector<long>{1006}));
  const auto s3 = fixture("np_stream_3");
  EXPECT_EQ(drifts(rd::page_hinkley{{.mode = dir::up}}, s3), (std::vector<long>{588, 1681}));
  EXPECT_EQ(drifts(rd::page_hinkley{{.mode = dir::down}}, s3), (std::vector<long>{1172}));
  EXPECT_EQ(drifts(rd::page_hinkley{{.mode = dir::both}}, s3),
            (std::vector<long>{588, 1097, 1585}));
}

TEST(RiverParity, KswinDocstringAndTests) {
  EXPECT_EQ(drifts(rd::kswin{{.alpha = 0.0001, .seed = 42}}, fixture("py12345_two_distributions")),
            (std::vector<long>{1016}));
  EXPECT_EQ(drifts(rd::kswin{{.alpha = 0.0001, .window_size = 200, .stat_size = 100, .seed = 42}},
                   fixture("np_stream_1")),
            (std::vector<long>{1042}));
}

TEST(RiverParity, DdmDocstringAndTests) {
  EXPECT_EQ(doc_events(rd::ddm{}, fixture("py42_error_rate_rises")),
            (std::vector<long>{-1 - 1084, 1334, -1 - 1492}));
  EXPECT_EQ(drifts(rd::ddm{}, fixture("np_stream_2")), (std::vector<long>{1049}));
  EXPECT_TRUE(drifts(rd::ddm{}, std::vector<double>(1000, 1.0)).empty());
}

TEST(RiverParity, EddmDocstringAndTests) {
  EXPECT_EQ(doc_events(rd::eddm{{.alpha = 0.8, .beta = 0.75}}, fixture("py42_error_rate_rises")),
            (std::vector<long>{-1 - 1059, 1278}));
  EXPECT_EQ(drifts(rd::eddm{{.alpha = 0.9, .beta = 0.8}}, fixture("np_stream_2")),
            (std::vector<long>{1059}));
}

TEST(RiverParity, HddmADocstringAndTests) {
  EXPECT_EQ(doc_events(rd::hddm_a{}, fixture("py42_error_rate_rises")),
            (std::vector<long>{-1 - 451, 1206}));
  EXPECT_EQ(drifts(rd::hddm_a{}, fixture("np_stream_2")), (std::vector<long>{1047}));
  EXPECT_EQ(drifts(rd::hddm_a{{.two_sided_test = true}}, fixture("np_stream_3")),
            (std::vector<long>{531, 1015, 1545}));
}

TEST(RiverParity, HddmWDocstringAndTests) {
  EXPECT_EQ(doc_events(rd::hddm_w{}, fixture("py42_error_rate_rises")),
            (std::vector<long>{-1 - 451, 1077}));
  EXPECT_EQ(drifts(rd::hddm_w{}, fixture("np_stream_2")), (std::vector<long>{1018}));
  EXPECT_EQ(drifts(rd::hddm_w{{.two_sided_test = true}}, fixture("np_stream_3")),
            (std::vector<long>{507, 1032, 1508}));
}

TEST(RiverParity, AdwinWindowStatisticsMatchRiverRegressionTests) {
  rd::adwin a;
  for (double v : {1.0, 2.0, 3.0, 4.0, 5.0}) a.update(v);
  EXPECT_EQ(a.width(), 5.0);
  EXPECT_DOUBLE_EQ(a.total(), 15.0);
  EXPECT_DOUBLE_EQ(a.estimation(), 3.0);
  EXPECT_NEAR(a.variance(), 10.0, 1e-12);  // sum of squared deviations, as River
  // After a detection the next update starts an empty window.
  rd::adwin b{{.clock = 1}};
  for (int i = 0; i < 500; ++i) b.update(0.0);
  bool found = false;
  for (int i = 0; i < 500 && !found; ++i) {
    b.update(100.0);
    found = b.drift_detected();
  }
  ASSERT_TRUE(found);
  b.update(50.0);
  EXPECT_EQ(b.width(), 1.0);
  // No check within the grace period.
  rd::adwin c{{.clock = 1, .grace_period = 100}};
  for (int i = 0; i < 100; ++i) {
    c.update(i < 50 ? 0.0 : 1000.0);
    EXPECT_FALSE(c.drift_detected());
  }
}

TEST(Detectors, RejectBadConfigurationAtSetup) {
  EXPECT_THROW(rd::adwin({.delta = 0.0}), std::invalid_argument);
  EXPECT_THROW(rd::adwin({.clock = 0}), std::invalid_argument);
  EXPECT_THROW(rd::kswin({.alpha = 1.1}), std::invalid_argument);
  EXPECT_THROW(rd::kswin({.window_size = 10, .stat_size = 30}), std::invalid_argument);
  EXPECT_THROW(rd::kswin({.window_size = 50, .stat_size = 30}), std::invalid_argument);
  EXPECT_THROW(rd::eddm({.alpha = 0.5, .beta = 0.9}), std::invalid_argument);
  EXPECT_THROW(rd::hddm_a({.drift_confidence = 0.0}), std::invalid_argument);
  EXPECT_THROW(rd::hddm_w({.lambda = 2.0}), std::invalid_argument);
}

// --- Helpers: CPython's generator and scipy's KS test, against values printed by Python -------

TEST(PythonRandom, MatchesCPython) {
  riptide::detail::python_random r42(42);
  EXPECT_EQ(r42.random(), 0.6394267984578837);
  riptide::detail::python_random s42(42);
  std::vector<std::size_t> out, scratch;
  s42.sample_range(70, 30, out, scratch);  // pool algorithm
  EXPECT_EQ(out,
            (std::vector<std::size_t>{14, 3,  35, 31, 28, 17, 13, 43, 47, 57, 34, 5,  37, 27, 2,
                                      1,  58, 63, 69, 32, 38, 54, 67, 12, 45, 41, 59, 26, 51, 65}));
  riptide::detail::python_random s7(7);
  s7.sample_range(1000, 30, out, scratch);  // set algorithm
  EXPECT_EQ(out, (std::vector<std::size_t>{331, 970, 154, 404, 666, 49,  74,  840, 548, 96,
                                           374, 596, 59,  931, 519, 219, 38,  88,  444, 428,
                                           71,  246, 92,  564, 434, 60,  846, 579, 126, 228}));
  EXPECT_EQ(riptide::detail::python_random(-5).randint(0, 100), 79);
  EXPECT_EQ(riptide::detail::python_random((std::int64_t{1} << 40) + 3).getrandbits(40),
            65368487886u);
}

TEST(Ks2Samp, MatchesScipy) {
  riptide::detail::python_random r(3);
  for (const auto& [n, d, p] :
       {std::tuple{30, 0.5666666666666667, 8.737803591291227e-05},
        std::tuple{100, 0.36, 3.751914289152195e-06}, std::tuple{5, 0.6, 0.35714285714285715}}) {
    std::vector<double> a, b;
    for (int i = 0; i < n; ++i) a.push_back(r.random());
    for (int i = 0; i < n; ++i) b.push_back(r.random() + 0.3);
    const auto res = rd::ks_2samp(a, b);
    EXPECT_EQ(res.statistic, d) << n;
    EXPECT_DOUBLE_EQ(res.p_value, p) << n;
  }
  const std::vector<double> a{1, 2, 3, 4, 5, 6, 7, 8}, b{5, 6, 7, 8, 9, 10, 11, 12};
  EXPECT_EQ(rd::ks_2samp(a, b).statistic, 0.5);
  EXPECT_DOUBLE_EQ(rd::ks_2samp(a, b).p_value, 0.2826728826728826);
  EXPECT_EQ(rd::ks_2samp(a, a).p_value, 1.0);
}

TEST(Ks2Samp, MatchesScipyAboveTenThousand) {
  // scipy 1.10's ks_2samp (method "auto", as River's KSWIN calls it) on samples of more than
  // 10000 values, where it takes kstwo.sf(D, round(n m / (n + m))); rows at n = 10000 check the
  // exact path's boundary. Regenerate with tests/drift/fixtures/make_ks_large.py.
  std::ifstream in(std::string(RIPTIDE_SOURCE_DIR) + "/tests/drift/fixtures/ks_large.txt");
  ASSERT_TRUE(in) << "missing fixture ks_large.txt";
  std::string line;
  int rows = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::int64_t seed = 0;
    std::size_t n1 = 0, n2 = 0;
    double shift = 0, d = 0, p = 0;
    fields >> seed >> n1 >> n2 >> shift >> d >> p;
    riptide::detail::python_random r(seed);
    std::vector<double> a, b;
    for (std::size_t i = 0; i < n1; ++i) a.push_back(r.random());
    for (std::size_t i = 0; i < n2; ++i) b.push_back(r.random() + shift);
    const auto res = rd::ks_2samp(a, b);
    EXPECT_NEAR(res.statistic, d, 1e-12) << line;
    EXPECT_NEAR(res.p_value, p, 1e-9 * p + 1e-300) << line;
    ++rows;
  }
  EXPECT_EQ(rows, 28);
  // kstwo_sf at the edges of its regions (scipy.stats.kstwo.sf values).
  EXPECT_EQ(rd::kstwo_sf(5000, 0.0), 1.0);
  EXPECT_EQ(rd::kstwo_sf(5000, 1.0), 0.0);
  EXPECT_EQ(rd::kstwo_sf(5000, 0.5 / 5000), 1.0);
}

// --- Properties ----------------------------------------------------------------------------

namespace {

// Streams: real-valued N(0, 1) for ADWIN, Page-Hinkley and KSWIN; Bernoulli(0.2) errors for the
// binary detectors (standard deviation 0.4). A one-standard-deviation shift takes N(0,1) to
// N(1,1) and Bernoulli(0.2) to Bernoulli(0.6).
struct stream_source {
  std::mt19937_64 gen;
  bool binary;
  double next(bool shifted) {
    if (binary) return std::uniform_real_distribution<double>{}(gen) < (shifted ? 0.6 : 0.2);
    return std::normal_distribution<double>{}(gen) + (shifted ? 1.0 : 0.0);
  }
};

template <rd::detector D>
long false_alarms(D detector, std::uint64_t seed, bool binary, int n) {
  stream_source s{std::mt19937_64{seed}, binary};
  long alarms = 0;
  for (int i = 0; i < n; ++i) {
    detector.update(s.next(false));
    alarms += detector.drift_detected();
  }
  return alarms;
}

// Updates from the shift to the detection (-1 when not detected within `horizon`), after
// `before` stationary values; -2 when a (false) alarm came in the last `quiet` values before the
// shift, since a detector that just restarted has no past to compare with.
template <rd::detector D>
long detection_delay(D detector, std::uint64_t seed, bool binary, int before, int quiet,
                     int horizon) {
  stream_source s{std::mt19937_64{seed}, binary};
  int last_alarm = -1'000'000;
  for (int i = 0; i < before; ++i) {
    detector.update(s.next(false));
    if (detector.drift_detected()) last_alarm = i;
  }
  if (last_alarm >= before - quiet) return -2;
  for (int i = 0; i < horizon; ++i) {
    detector.update(s.next(true));
    if (detector.drift_detected()) return i;
  }
  return -1;
}

template <rd::detector D>
void check_false_alarm_bound(const D& proto, bool binary, long max_per_10k, int n = 10'000) {
  const auto seed = *rc::gen::arbitrary<std::uint64_t>();
  const long alarms = false_alarms(proto, seed, binary, n);
  RC_ASSERT(alarms * 10'000 <= max_per_10k * n);
}

// In a batch of 20 shifts, at least `min_detected` are detected within `bound` updates.
template <rd::detector D>
void check_delay_bound(const D& proto, bool binary, long bound, int min_detected,
                       int max_before = 2000) {
  const auto seed = *rc::gen::arbitrary<std::uint64_t>();
  const int before = *rc::gen::inRange(500, max_before);
  int detected = 0, counted = 0;
  for (std::uint64_t trial = 0; trial < 20; ++trial) {
    const long delay =
        detection_delay(proto, seed * 31 + trial, binary, before, 200, static_cast<int>(bound) + 1);
    if (delay == -2) continue;
    ++counted;
    detected += delay >= 0 && delay <= bound;
  }
  RC_ASSERT(detected >= min_detected * counted / 20);
}

template <rd::detector D>
void check_deterministic_and_reset(const D& proto, bool binary, int n = 3000) {
  const auto seed = *rc::gen::arbitrary<std::uint64_t>();
  const int prefix = *rc::gen::inRange(0, n);
  std::vector<double> stream;
  stream_source s{std::mt19937_64{seed}, binary};
  for (int i = 0; i < n; ++i) stream.push_back(s.next(i >= n / 2));
  D fresh = proto;
  D reused = proto;
  for (int i = 0; i < prefix; ++i) reused.update(s.next(i % 500 > 250));
  reused.reset();
  D twin = proto;
  for (std::size_t i = 0; i < stream.size(); ++i) {
    fresh.update(stream[i]);
    reused.update(stream[i]);
    twin.update(stream[i]);
    RC_ASSERT(fresh.drift_detected() == reused.drift_detected());
    RC_ASSERT(fresh.drift_detected() == twin.drift_detected());
    if constexpr (rd::warning_detector<D>) {
      RC_ASSERT(fresh.warning_detected() == reused.warning_detected());
    }
  }
}

}  // namespace

// Stationary false alarms per 10k inputs stay under what each detector's confidence implies:
// ADWIN tests at level delta once per clock tick (10'000 / 32 * 0.002 = 0.6 expected at most),
// HDDM_A/HDDM_W at drift_confidence per update (10 per 10k at most), KSWIN at alpha per test
// (50 per 10k at most), DDM's 3-sigma rule at about 0.00135 per update (13.5 per 10k).
// Page-Hinkley and EDDM have no confidence parameter: their bounds are the measured envelopes
// (see the report: 5.9 and 24 per 10k on average with the defaults).
RC_GTEST_PROP(FalseAlarms, Adwin, ()) {
  check_false_alarm_bound(rd::adwin{}, false, 3);
}
RC_GTEST_PROP(FalseAlarms, HddmA, ()) {
  check_false_alarm_bound(rd::hddm_a{}, true, 10);
}
RC_GTEST_PROP(FalseAlarms, HddmW, ()) {
  check_false_alarm_bound(rd::hddm_w{}, true, 10);
}
RC_GTEST_PROP(FalseAlarms, Kswin, ()) {
  check_false_alarm_bound(rd::kswin{{.seed = 7}}, false, 50, 2000);  // KSWIN is the slow one
}
RC_GTEST_PROP(FalseAlarms, Ddm, ()) {
  check_false_alarm_bound(rd::ddm{}, true, 13);
}
RC_GTEST_PROP(FalseAlarms, PageHinkley, ()) {
  check_false_alarm_bound(rd::page_hinkley{}, false, 25);
}
RC_GTEST_PROP(FalseAlarms, Eddm, ()) {
  check_false_alarm_bound(rd::eddm{}, true, 100);
}

// A one-standard-deviation shift is detected within a bounded delay (bounds about 1.5x the
// worst delay measured over 1000 shifts; see bench/drift_table).
RC_GTEST_PROP(DetectionDelay, Adwin, ()) {
  check_delay_bound(rd::adwin{}, false, 160, 20);
}
RC_GTEST_PROP(DetectionDelay, AdwinOnErrors, ()) {
  check_delay_bound(rd::adwin{}, true, 200, 19);
}
RC_GTEST_PROP(DetectionDelay, PageHinkley, ()) {
  check_delay_bound(rd::page_hinkley{}, false, 200, 19);
}
RC_GTEST_PROP(DetectionDelay, Kswin, ()) {
  check_delay_bound(rd::kswin{{.seed = 7}}, false, 100, 14, 600);
}
RC_GTEST_PROP(DetectionDelay, Ddm, ()) {
  check_delay_bound(rd::ddm{}, true, 1500, 20);
}
RC_GTEST_PROP(DetectionDelay, Eddm, ()) {
  check_delay_bound(rd::eddm{}, true, 400, 19);
}
RC_GTEST_PROP(DetectionDelay, HddmA, ()) {
  check_delay_bound(rd::hddm_a{}, true, 300, 20);
}
RC_GTEST_PROP(DetectionDelay, HddmW, ()) {
  check_delay_bound(rd::hddm_w{}, true, 200, 20);
}

// Same input, same output; reset() gives back the constructed state; copies run on alike.
RC_GTEST_PROP(Deterministic, Adwin, ()) {
  check_deterministic_and_reset(rd::adwin{}, false);
}
RC_GTEST_PROP(Deterministic, PageHinkley, ()) {
  check_deterministic_and_reset(rd::page_hinkley{}, false);
}
RC_GTEST_PROP(Deterministic, Kswin, ()) {
  check_deterministic_and_reset(rd::kswin{{.seed = 3}}, false, 600);
}
RC_GTEST_PROP(Deterministic, Ddm, ()) {
  check_deterministic_and_reset(rd::ddm{}, true);
}
RC_GTEST_PROP(Deterministic, Eddm, ()) {
  check_deterministic_and_reset(rd::eddm{}, true);
}
RC_GTEST_PROP(Deterministic, HddmA, ()) {
  check_deterministic_and_reset(rd::hddm_a{}, true);
}
RC_GTEST_PROP(Deterministic, HddmW, ()) {
  check_deterministic_and_reset(rd::hddm_w{{.two_sided_test = true}}, true);
}

// --- retrainer: drift-driven model replacement ------------------------------------------------

namespace {

// A slow learner (majority label over everything it saw), so only a restart or a challenger
// trained on recent data can follow a concept change.
struct majority {
  long ones = 0, total = 0;
  bool predict() const { return 2 * ones > total; }
  void learn(bool y) {
    ones += y;
    ++total;
  }
};

template <rd::detector D>
std::pair<std::vector<rd::retrain_event>, double> run_retrainer(D detector,
                                                                rd::retrainer_options o) {
  rd::retrainer r(majority{}, detector, "d", o);
  std::vector<rd::retrain_event> events;
  long late_hits = 0;
  for (int i = 0; i < 6000; ++i) {
    const bool y = i < 3000 ? (i % 10 != 0) : (i % 10 == 0);  // 90% ones, then 90% zeros
    const bool right = r.model().predict() == y;
    if (i >= 5000) late_hits += right;
    const bool challenger_right = r.challenger() && r.challenger()->predict() == y;
    for (const auto& e : r.observe(static_cast<std::uint64_t>(i), right, challenger_right))
      events.push_back(e);
    r.model().learn(y);
    if (r.challenger()) r.challenger()->learn(y);
  }
  return {events, late_hits / 1000.0};
}

long count(const std::vector<rd::retrain_event>& events, rd::retrain_action a) {
  return std::count_if(events.begin(), events.end(),
                       [a](const rd::retrain_event& e) { return e.action == a; });
}

}  // namespace

TEST(Retrainer, ResetsOrReplacesTheModelAfterDrift) {
  // Without drift handling the majority learner stays wrong for 3000 records after the change.
  // DDM warns first (a challenger starts) and detects drift soon after the change; with the
  // default 100 records the challenger is too young, so the model resets.
  const auto [reset_events, reset_accuracy] = run_retrainer(rd::ddm{}, {});
  ASSERT_FALSE(reset_events.empty());
  EXPECT_EQ(reset_events.front().action, rd::retrain_action::challenger_started);
  EXPECT_GE(reset_events.front().index, 3000u);
  const auto drift = std::find_if(reset_events.begin(), reset_events.end(),
                                  [](const rd::retrain_event& e) { return e.drift; });
  ASSERT_NE(drift, reset_events.end());
  EXPECT_LT(drift->index, 3100u);
  EXPECT_EQ(drift->action, rd::retrain_action::reset);
  EXPECT_EQ(drift->detector, "d");
  EXPECT_GT(drift->statistic, 0.1);  // the recent error rate at detection
  EXPECT_GT(reset_accuracy, 0.85);

  // A challenger started at the warning, eligible early, takes over instead of a blank model.
  const auto [events, accuracy] = run_retrainer(rd::ddm{}, {.min_challenger_records = 5});
  const auto replaced = std::find_if(events.begin(), events.end(), [](const rd::retrain_event& e) {
    return e.action == rd::retrain_action::replaced;
  });
  ASSERT_NE(replaced, events.end());
  EXPECT_TRUE(replaced->drift);
  EXPECT_GT(replaced->challenger_accuracy, replaced->model_accuracy);
  EXPECT_GE(replaced->challenger_records, 5u);
  EXPECT_GT(accuracy, 0.85);

  // Detectors without a warning zone reset at the drift; the previous model, on trial in the
  // background, does worse on the new concept and is dropped (never restored).
  const auto [adwin_events, adwin_accuracy] = run_retrainer(rd::adwin{}, {});
  EXPECT_GE(count(adwin_events, rd::retrain_action::reset), 1);
  EXPECT_EQ(count(adwin_events, rd::retrain_action::restored), 0);
  EXPECT_EQ(count(adwin_events, rd::retrain_action::challenger_started), 0);
  EXPECT_GT(adwin_accuracy, 0.85);
}

TEST(Retrainer, KeepsTheModelWhenTheErrorWentDown) {
  rd::retrainer r(majority{}, rd::adwin{}, "adwin");
  for (int i = 0; i < 200; ++i) r.model().learn(true);
  std::vector<rd::retrain_event> events;
  for (int i = 0; i < 4000; ++i) {
    const bool right = i < 2000 ? i % 2 == 0 : true;  // 50% errors, then none
    for (const auto& e : r.observe(static_cast<std::uint64_t>(i), right, false))
      events.push_back(e);
  }
  ASSERT_FALSE(events.empty());
  for (const auto& e : events) EXPECT_EQ(e.action, rd::retrain_action::kept) << e.index;
  EXPECT_EQ(r.model().total, 200);  // never restarted
  EXPECT_EQ(r.counts().kept, static_cast<std::uint64_t>(events.size()));
}

namespace {

// A learner that memorises the last label of each of many keys: it needs a long history, so a
// fresh one is far worse than a trained one for thousands of records.
struct memory {
  std::vector<signed char> label = std::vector<signed char>(4000, -1);
  bool predict(std::size_t key) const { return label[key] == 1; }
  void learn(std::size_t key, bool y) { label[key] = y; }
};

}  // namespace

TEST(Retrainer, RestoresThePreviousModelAfterAFalseAlarm) {
  // A stationary stream (10% label noise) watched by a Page-Hinkley test set far too sensitive:
  // its alarms are false. Each reset puts the trained model on trial; it does better than the
  // fresh one and comes back, so accuracy stays near the trained model's (0.9^2 + 0.1^2 = 0.82:
  // it remembers noisy labels), far above a fresh model's (about 0.5 for its first 1000 records).
  rd::retrainer r(memory{}, rd::page_hinkley{{.delta = 0.0, .threshold = 20.0}}, "ph",
                  {.trial = 1000});
  std::mt19937_64 gen(5);
  std::uniform_int_distribution<std::size_t> key_of(0, 3999);
  std::uniform_real_distribution<double> u;
  auto concept_of = [](std::size_t key) { return (key * 2654435761u >> 7) % 2 == 1; };
  for (std::size_t k = 0; k < 4000; ++k) r.model().learn(k, concept_of(k));
  long restored = 0, resets = 0, hits = 0;
  const int n = 30000;
  for (int i = 0; i < n; ++i) {
    const std::size_t key = key_of(gen);
    const bool y = concept_of(key) != (u(gen) < 0.1);
    const bool right = r.model().predict(key) == y;
    hits += right;
    const bool challenger_right = r.challenger() && r.challenger()->predict(key) == y;
    for (const auto& e : r.observe(static_cast<std::uint64_t>(i), right, challenger_right)) {
      restored += e.action == rd::retrain_action::restored;
      resets += e.action == rd::retrain_action::reset;
      if (e.action == rd::retrain_action::restored) {
        EXPECT_GT(e.challenger_accuracy, e.model_accuracy);
      }
    }
    r.model().learn(key, y);
    if (r.challenger()) r.challenger()->learn(key, y);
  }
  ASSERT_GT(resets, 0);
  EXPECT_GT(restored, 0);
  EXPECT_EQ(r.counts().restored, static_cast<std::uint64_t>(restored));
  EXPECT_GT(static_cast<double>(hits) / n, 0.78);
}

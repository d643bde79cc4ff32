// Metric states through snapshot::saver and snapshot::loader (snapshot/archive.hpp): a metric
// copied mid-stream reports the same values, bit for bit, as the original fed the same records,
// and a loader refuses tampered states with snapshot::error.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "riptide/metrics/accuracy.hpp"
#include "riptide/metrics/binned_roc_auc.hpp"
#include "riptide/metrics/brier.hpp"
#include "riptide/metrics/calibration.hpp"
#include "riptide/metrics/confusion_matrix.hpp"
#include "riptide/metrics/holdout.hpp"
#include "riptide/metrics/logloss.hpp"
#include "riptide/metrics/prequential.hpp"
#include "riptide/metrics/rolling.hpp"
#include "riptide/metrics/rolling_roc_auc.hpp"
#include "riptide/snapshot/archive.hpp"

namespace {

namespace m = riptide::metrics;
namespace snapshot = riptide::snapshot;

struct record {
  bool y;
  float p;
};

// A prediction: often 0, 1 or a value many records share (ties), else uniform on [0, 1]; -0
// sometimes, NaN only when `nan` (it makes the log loss NaN from then on).
rc::Gen<record> gen_record(bool nan) {
  return rc::gen::apply(
      [nan](bool y, int kind, std::uint32_t u) {
        float p = static_cast<float>(u) / static_cast<float>(1u << 24);
        if (kind < 3)
          p = 0.0f;
        else if (kind < 6)
          p = 1.0f;
        else if (kind < 10)
          p = u % 3 == 0 ? 0.25f : u % 3 == 1 ? 0.5f : 0.75f;
        else if (kind == 10)
          p = -0.0f;
        else if (kind == 11 && nan)
          p = std::numeric_limits<float>::quiet_NaN();
        return record{y, p};
      },
      rc::gen::arbitrary<bool>(), rc::gen::inRange(0, 20),
      rc::gen::inRange<std::uint32_t>(0, (1u << 24) + 1));
}

std::vector<record> gen_stream(std::size_t most, bool nan) {
  const auto n = *rc::gen::inRange<std::size_t>(0, most + 1);
  return *rc::gen::container<std::vector<record>>(n, gen_record(nan));
}

using values = std::vector<double>;

// Equal bit for bit, NaN equal to NaN.
bool same(const values& a, const values& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(std::isnan(a[i]) && std::isnan(b[i])) &&
        std::bit_cast<std::uint64_t>(a[i]) != std::bit_cast<std::uint64_t>(b[i]))
      return false;
  return true;
}

// Through JSON text as a file would keep it (the loader parses the text back), or in memory.
template <class T>
void copy(T& from, T& to, bool via_text) {
  if (!via_text) {
    snapshot::copy_state(from, to);
    return;
  }
  snapshot::saver s(snapshot::kind::resume);
  from.state(s);
  const auto state = nlohmann::json::parse(s.state().dump());
  const auto arrays = snapshot::arrays_of(s);
  snapshot::loader l(snapshot::kind::resume, state, arrays);
  to.state(l);
}

// Feeds `make()` a random stream up to a random split, copies its state into another `make()`
// (which has seen other records), feeds both the rest: `read` must agree at every step.
// `before_copy(a, i)` runs before record i of the first part (e.g. to widen counts).
struct no_hook {
  template <class M>
  void operator()(M&, std::size_t) const noexcept {}
};
template <class Make, class Read, class Hook = no_hook>
void resumes_bit_for_bit(Make make, Read read, std::size_t most = 300, Hook before_copy = {}) {
  const bool nan = *rc::gen::inRange(0, 8) == 0;
  const bool via_text = *rc::gen::arbitrary<bool>();
  const auto stream = gen_stream(most, nan);
  const auto split = *rc::gen::inRange<std::size_t>(0, stream.size() + 1);
  const auto other = gen_stream(20, nan);
  auto a = make();
  for (std::size_t i = 0; i < split; ++i) {
    before_copy(a, i);
    a.update(stream[i].y, stream[i].p);
  }
  auto b = make();
  for (const auto& r : other) b.update(r.y, r.p);
  copy(a, b, via_text);
  RC_ASSERT(same(read(a), read(b)));
  for (std::size_t i = split; i < stream.size(); ++i) {
    a.update(stream[i].y, stream[i].p);
    b.update(stream[i].y, stream[i].p);
    RC_ASSERT(same(read(a), read(b)));
  }
}

float gen_threshold() {
  return *rc::gen::element(0.5f, 0.0f, 0.25f, 0.75f, 1.0f);
}

values read_confusion(const m::confusion_matrix& c) {
  return {static_cast<double>(c.tp()),
          static_cast<double>(c.fp()),
          static_cast<double>(c.tn()),
          static_cast<double>(c.fn()),
          static_cast<double>(c.count()),
          c.precision(),
          c.recall(),
          c.f1(),
          c.accuracy()};
}

void add_calibration(values& v, const m::calibration& c) {
  for (const auto& r : c.rows()) {
    v.push_back(r.lo);
    v.push_back(r.hi);
    v.push_back(static_cast<double>(r.n));
    v.push_back(r.mean_predicted);
    v.push_back(r.fraction_positive);
  }
  v.push_back(c.expected_calibration_error());
  v.push_back(static_cast<double>(c.count()));
}

template <class M>
void add_window(values& v, const m::rolling<M>& r) {
  v.push_back(static_cast<double>(r.size()));
  v.push_back(static_cast<double>(r.window()));
  for (std::size_t i = 0; i < r.size(); ++i) {
    const auto [y, p] = r.record(i);
    v.push_back(y ? 1.0 : 0.0);
    v.push_back(static_cast<double>(p));
  }
}

values read_prequential(const m::prequential& e) {
  values v{static_cast<double>(e.count()),
           e.auc(),
           e.logloss(),
           e.accuracy(),
           e.brier(),
           e.precision(),
           e.recall(),
           e.f1(),
           e.window_auc(),
           e.window_logloss(),
           e.window_accuracy()};
  const auto c = read_confusion(e.confusion());
  v.insert(v.end(), c.begin(), c.end());
  add_calibration(v, e.calibration());
  for (const auto& p : e.curve())
    v.insert(v.end(), {static_cast<double>(p.n), p.auc, p.logloss, p.accuracy, p.window_auc,
                       p.window_logloss, p.window_accuracy});
  const auto p = e.point();
  v.insert(v.end(), {static_cast<double>(p.n), p.auc, p.logloss, p.accuracy, p.window_auc,
                     p.window_logloss, p.window_accuracy});
  return v;
}

// --- every metric goes on bit for bit after a state copy
// ------------------------------------------

RC_GTEST_PROP(MetricsState, AccuracyResumesBitForBit, ()) {
  const float t = gen_threshold();
  resumes_bit_for_bit([t] { return m::accuracy(t); },
                      [](const m::accuracy& a) {
                        return values{a.get(), static_cast<double>(a.count())};
                      });
}

RC_GTEST_PROP(MetricsState, BrierAndLogLossResumeBitForBit, ()) {
  resumes_bit_for_bit([] { return m::brier{}; },
                      [](const m::brier& a) {
                        return values{a.get(), static_cast<double>(a.count())};
                      });
  resumes_bit_for_bit([] { return m::logloss{}; },
                      [](const m::logloss& a) {
                        return values{a.get(), static_cast<double>(a.count())};
                      });
}

RC_GTEST_PROP(MetricsState, ConfusionMatrixResumesBitForBit, ()) {
  const float t = gen_threshold();
  resumes_bit_for_bit([t] { return m::confusion_matrix(t); }, read_confusion);
}

RC_GTEST_PROP(MetricsState, CalibrationResumesBitForBit, ()) {
  const auto bins = *rc::gen::elementOf(std::vector<std::size_t>{1, 2, 3, 10, 17});
  resumes_bit_for_bit([bins] { return m::calibration(bins); },
                      [](const m::calibration& c) {
                        values v;
                        add_calibration(v, c);
                        return v;
                      });
}

RC_GTEST_PROP(MetricsState, BinnedRocAucResumesBitForBit, ()) {
  const auto bins = *rc::gen::elementOf(std::vector<std::size_t>{1, 2, 3, 5, 16, 100, 1000});
  // widen the counts to 64 bits before some record of the first part (or never)
  const auto widen_at = *rc::gen::inRange<std::size_t>(0, 400);
  resumes_bit_for_bit([bins] { return m::binned_roc_auc(bins); },
                      [](const m::binned_roc_auc& a) {
                        return values{a.get(), static_cast<double>(a.count())};
                      },
                      300,
                      [widen_at](m::binned_roc_auc& a, std::size_t i) {
                        if (i == widen_at) a.widen();
                      });
}

TEST(MetricsState, BinnedRocAucKeepsItsPendingUpdate) {
  // default bins; the last update before the copy is still pending in the original
  m::binned_roc_auc a, b;
  a.update(true, 0.9f);
  a.update(false, 0.1f);
  a.update(true, 0.1f);
  snapshot::copy_state(a, b);
  EXPECT_EQ(a.get(), b.get());
  EXPECT_EQ(b.count(), 3u);
  for (int i = 0; i < 100; ++i) {
    const float p = static_cast<float>(i % 11) / 10.0f;
    a.update(i % 3 == 0, p);
    b.update(i % 3 == 0, p);
    ASSERT_EQ(std::bit_cast<std::uint64_t>(a.get()), std::bit_cast<std::uint64_t>(b.get()));
  }
}

RC_GTEST_PROP(MetricsState, RollingMetricsResumeBitForBit, ()) {
  const auto window = *rc::gen::inRange<std::size_t>(1, 40);
  const float t = gen_threshold();
  resumes_bit_for_bit([&] { return m::rolling<m::accuracy>(window, m::accuracy(t)); },
                      [](const m::rolling<m::accuracy>& r) {
                        values v{r.get(), static_cast<double>(r.metric().count())};
                        add_window(v, r);
                        return v;
                      });
  resumes_bit_for_bit([&] { return m::rolling<m::logloss>(window); },
                      [](const m::rolling<m::logloss>& r) {
                        values v{r.get(), static_cast<double>(r.metric().count())};
                        add_window(v, r);
                        return v;
                      });
  resumes_bit_for_bit([&] { return m::rolling<m::brier>(window); },
                      [](const m::rolling<m::brier>& r) {
                        values v{r.get()};
                        add_window(v, r);
                        return v;
                      });
  resumes_bit_for_bit(
      [&] { return m::rolling<m::confusion_matrix>(window, m::confusion_matrix(t)); },
      [](const m::rolling<m::confusion_matrix>& r) {
        values v = read_confusion(r.metric());
        add_window(v, r);
        return v;
      });
}

RC_GTEST_PROP(MetricsState, RollingRocAucResumesBitForBit, ()) {
  const auto window = *rc::gen::inRange<std::size_t>(1, 90);  // radix sort from 64 records
  resumes_bit_for_bit([window] { return m::rolling_roc_auc(window); },
                      [](const m::rolling_roc_auc& r) {
                        return values{r.get(), static_cast<double>(r.size())};
                      });
}

RC_GTEST_PROP(MetricsState, HoldoutResumesBitForBit, ()) {
  const float t = gen_threshold();
  resumes_bit_for_bit([t] { return m::holdout(t); },
                      [](const m::holdout& h) {
                        values v{static_cast<double>(h.count()),
                                 h.auc(),
                                 h.logloss(),
                                 h.brier(),
                                 h.accuracy(),
                                 h.precision(),
                                 h.recall(),
                                 h.f1()};
                        add_calibration(v, h.calibration(7));
                        for (std::size_t i = 0; i < h.count(); ++i) {
                          v.push_back(h.labels()[i] ? 1.0 : 0.0);
                          v.push_back(static_cast<double>(h.scores()[i]));
                        }
                        return v;
                      },
                      150);
}

RC_GTEST_PROP(MetricsState, PrequentialResumesBitForBit, ()) {
  const m::prequential_options o{
      .window = *rc::gen::inRange<std::size_t>(1, 80),
      .curve_every = *rc::gen::elementOf(std::vector<std::uint64_t>{0, 1, 3, 10, 50}),
      .auc_bins = *rc::gen::elementOf(std::vector<std::size_t>{1, 3, 7, 64, 1000}),
      .calibration_bins = *rc::gen::elementOf(std::vector<std::size_t>{1, 2, 10}),
      .threshold = gen_threshold()};
  resumes_bit_for_bit([o] { return m::prequential(o); }, read_prequential);
}

TEST(MetricsState, PrequentialWithDefaultOptionsResumesBitForBit) {
  m::prequential a, b;
  const auto p_of = [](int i) { return static_cast<float>((i * 7919) % 1001) / 1000.0f; };
  const auto y_of = [](int i) { return (i * 31) % 7 < 3; };
  for (int i = 0; i < 2500; ++i) a.update(y_of(i), p_of(i));
  for (int i = 0; i < 10; ++i) b.update(true, 0.5f);
  copy(a, b, true);
  ASSERT_TRUE(same(read_prequential(a), read_prequential(b)));
  for (int i = 2500; i < 5000; ++i) {
    a.update(y_of(i), p_of(i));
    b.update(y_of(i), p_of(i));
    if (i % 97 == 0) {
      ASSERT_TRUE(same(read_prequential(a), read_prequential(b))) << i;
    }
  }
  EXPECT_TRUE(same(read_prequential(a), read_prequential(b)));
  EXPECT_EQ(b.curve().size(), 5u);
}

// --- tampered states are refused -----------------------------------------------------------------

struct saved {
  nlohmann::json state;
  std::vector<snapshot::array_out> arrays;
};

template <class T>
saved save(T& t) {
  snapshot::saver s(snapshot::kind::resume);
  t.state(s);
  return {s.state(), s.arrays()};
}

template <class T>
void load(T& t, const saved& from) {
  std::vector<snapshot::array_in> in;
  for (const auto& a : from.arrays) in.push_back({a.name, a.type, a.bytes.data(), a.count});
  snapshot::loader l(snapshot::kind::resume, from.state, in);
  t.state(l);
}

// The message of the snapshot::error loading `from` into `t` throws ("" when it loads).
template <class T>
std::string refusal(T& t, const saved& from) {
  try {
    load(t, from);
  } catch (const snapshot::error& e) {
    return e.what();
  }
  return "";
}

template <class E>
void set_array(saved& s, const std::string& name, const std::vector<E>& v) {
  for (auto& a : s.arrays)
    if (a.name == name) {
      ASSERT_EQ(a.type, snapshot::detail::dtype_of<E>()) << name;
      a.bytes.resize(v.size() * sizeof(E));
      if (!v.empty()) std::memcpy(a.bytes.data(), v.data(), a.bytes.size());
      a.count = v.size();
      return;
    }
  FAIL() << "no array " << name;
}

template <class E>
std::vector<E> get_array(const saved& s, const std::string& name) {
  for (const auto& a : s.arrays)
    if (a.name == name) {
      std::vector<E> v(a.count);
      if (!v.empty()) std::memcpy(v.data(), a.bytes.data(), a.bytes.size());
      return v;
    }
  ADD_FAILURE() << "no array " << name;
  return {};
}

TEST(MetricsState, CountsThatCannotBeAreRefused) {
  m::accuracy acc;
  acc.update(true, 0.9f);
  auto s = save(acc);
  s.state["correct"] = 2u;
  EXPECT_EQ(refusal(acc, s), "state: more right predictions than records");

  m::confusion_matrix cm;
  cm.update(true, 0.9f);
  s = save(cm);
  s.state["fn"] = -1;
  EXPECT_EQ(refusal(cm, s), "state: confusion counts negative or too large");
  s.state["fn"] = std::numeric_limits<std::int64_t>::max();
  EXPECT_NE(refusal(cm, s), "");

  m::calibration cal{4};
  cal.update(true, 0.3f);
  s = save(cal);
  set_array<double>(s, "positives", {0, 2, 0, 0});  // 2 positives among 1 record
  EXPECT_NE(refusal(cal, s).find("positives"), std::string::npos);
  set_array<double>(s, "positives", {0, 0.5, 0, 0});
  EXPECT_NE(refusal(cal, s), "");
  set_array<std::uint64_t>(s, "counts", {0, std::uint64_t{1} << 63, std::uint64_t{1} << 63, 0});
  set_array<double>(s, "positives", {0, 0, 0, 0});
  EXPECT_EQ(refusal(cal, s), "state: the counts overflow");

  m::holdout h;
  h.update(true, 0.9f);
  s = save(h);
  set_array<float>(s, "scores", {0.1f, 0.2f});
  EXPECT_EQ(refusal(h, s), "state: labels and scores differ in length");
  set_array<std::uint8_t>(s, "labels", {1, 2});
  EXPECT_EQ(refusal(h, s), "state: a label other than 0 or 1");
}

TEST(MetricsState, BinsOfAnotherCountAreRefused) {
  m::binned_roc_auc a(16), b(32);
  a.update(true, 0.7f);
  a.update(false, 0.2f);
  EXPECT_THROW(snapshot::copy_state(a, b), snapshot::error);
  a.widen();
  EXPECT_EQ(refusal(b, save(a)), "state: not as many bins as configured");
  EXPECT_EQ(b.count(), 0u);  // refused before anything changed
  b.update(true, 0.5f);
  b.update(false, 0.25f);
  EXPECT_EQ(b.get(), 1.0);

  m::calibration c(10), d(5);
  c.update(true, 0.3f);
  EXPECT_EQ(refusal(d, save(c)), "state: not as many bins as configured");
}

TEST(MetricsState, BinnedCountsThatDoNotAddUpAreRefused) {
  m::binned_roc_auc a(4);
  a.update(true, 0.7f);
  a.update(false, 0.2f);
  auto s = save(a);
  EXPECT_EQ(s.state["count"], 2);
  s.state["count"] = 3u;
  EXPECT_EQ(refusal(a, s), "state: the counts do not add up to the record count");
  s.state["count"] = 2u;
  s.state["wide"] = true;  // 32-bit counts under the 64-bit flag
  EXPECT_NE(refusal(a, s).find("holds u32, expected u64"), std::string::npos);
  s.state["wide"] = false;
  set_array<std::uint32_t>(s, "counts", {0, 0, 0, 0, 0, 0, 0, 0xFFFFFFFFu});
  s.state["count"] = std::uint64_t{0xFFFFFFFFu} + 1;
  EXPECT_NE(refusal(a, s), "");
  a.widen();
  s = save(a);
  set_array<std::uint64_t>(s, "counts", {~std::uint64_t{0}, 3, 0, 0, 0, 0, 0, 0});
  EXPECT_EQ(refusal(a, s), "state: the counts do not add up to the record count");
  EXPECT_EQ(a.get(), 1.0);  // unchanged
}

TEST(MetricsState, WindowsBeyondTheirSizeAreRefused) {
  m::rolling<m::accuracy> big(8), small(5);
  for (int i = 0; i < 8; ++i) big.update(i % 2 == 0, 0.6f);
  EXPECT_EQ(refusal(small, save(big)), "state: more records than the window holds");
  EXPECT_EQ(small.size(), 0u);

  m::rolling_roc_auc kbig(8), ksmall(5);
  for (int i = 0; i < 8; ++i) kbig.update(i % 2 == 0, 0.1f * static_cast<float>(i));
  EXPECT_EQ(refusal(ksmall, save(kbig)), "state: more records than the window holds");
  auto s = save(ksmall);
  set_array<std::uint64_t>(s, "keys", {std::uint64_t{7} << 32 | 2});
  EXPECT_EQ(refusal(ksmall, s), "state: a key whose label is not 0 or 1");
}

TEST(MetricsState, WindowMetricsThatDoNotCountTheirRecordsAreRefused) {
  m::rolling<m::accuracy> r(4);
  for (int i = 0; i < 6; ++i) r.update(true, 0.9f);  // all right
  auto s = save(r);
  s.state["metric"]["correct"] = 2u;  // the window holds 4 right ones
  EXPECT_EQ(refusal(r, s), "state: the metric does not count the window's records");
  s = save(r);
  s.state["metric"]["count"] = 5u;
  s.state["metric"]["correct"] = 5u;
  EXPECT_EQ(refusal(r, s), "state: the metric does not count the window's records");
  s = save(r);
  set_array<std::uint8_t>(s, "labels", {1, 1, 1});
  EXPECT_EQ(refusal(r, s), "state: labels and scores differ in length");
  set_array<float>(s, "scores", {0.9f, 0.9f, 0.9f});
  EXPECT_NE(refusal(r, s), "");  // 3 records, 4 counted
  EXPECT_EQ(r.get(), 1.0);
  r.update(false, 0.9f);
  EXPECT_EQ(r.get(), 0.75);
}

TEST(MetricsState, PrequentialStatesThatDisagreeAreRefused) {
  const m::prequential_options o{.window = 5, .curve_every = 3, .auc_bins = 8};
  m::prequential a(o);
  for (int i = 0; i < 11; ++i) a.update(i % 3 == 0, static_cast<float>(i % 5) / 4.0f);
  const auto good = save(a);
  {
    m::prequential b(o);
    load(b, good);
    EXPECT_TRUE(same(read_prequential(a), read_prequential(b)));
  }
  const auto refused = [&](const saved& s) {
    m::prequential b(o);
    return refusal(b, s);
  };
  auto s = good;
  s.state["count"] = 12u;
  EXPECT_EQ(refused(s), "state: the metrics count different numbers of records");
  s = good;
  s.state["brier"]["count"] = 10u;
  EXPECT_EQ(refused(s), "state: the metrics count different numbers of records");
  s = good;
  auto n = get_array<std::uint64_t>(s, "curve.n");
  ASSERT_EQ(n.size(), 3u);
  n[1] = 7;
  set_array(s, "curve.n", n);
  EXPECT_EQ(refused(s), "state: a curve point at the wrong count");
  n.pop_back();
  set_array(s, "curve.n", n);
  EXPECT_EQ(refused(s), "state.curve: curve fields differ in length");
  s = good;
  set_array<std::uint8_t>(s, "window.labels", {0, 0, 1});
  set_array<float>(s, "window.scores", {0.0f, 0.25f, 0.5f});
  s.state["window"]["metric"]["count"] = 3u;
  s.state["window"]["metric"]["correct"] = 2u;  // (0, 0) and (0, 0.25) right
  EXPECT_EQ(refused(s), "state: the window does not hold the last records");
  // a state saved with a larger window or another curve_every
  m::prequential wide({.window = 9, .curve_every = 3, .auc_bins = 8});
  for (int i = 0; i < 11; ++i) wide.update(i % 3 == 0, 0.5f);
  EXPECT_EQ(refused(save(wide)), "state.window: more records than the window holds");
  m::prequential sparse({.window = 5, .curve_every = 4, .auc_bins = 8});
  for (int i = 0; i < 11; ++i) sparse.update(i % 3 == 0, 0.5f);
  EXPECT_EQ(refused(save(sparse)), "state: not a curve point every curve_every records");
  m::prequential other_bins({.window = 5, .curve_every = 3, .auc_bins = 16});
  EXPECT_EQ(refused(save(other_bins)), "state.auc: not as many bins as configured");
}

// Any number of a prequential state replaced by another: refused with snapshot::error, or
// loaded into a state that goes on (checked: counts agree, nothing reads out of bounds).
RC_GTEST_PROP(MetricsState, TamperedPrequentialNumbersAreRefusedOrConsistent, ()) {
  const m::prequential_options o{
      .window = 4, .curve_every = 2, .auc_bins = 8, .calibration_bins = 3};
  m::prequential a(o);
  const auto stream = *rc::gen::container<std::vector<record>>(gen_record(false));
  for (const auto& r : stream) a.update(r.y, r.p);
  auto s = save(a);
  std::vector<nlohmann::json*> numbers;
  const auto collect = [&](auto& self, nlohmann::json& j) -> void {
    if (j.is_number() || j.is_boolean()) numbers.push_back(&j);
    if (j.is_object() || j.is_array())
      for (auto& x : j) self(self, x);
  };
  collect(collect, s.state);
  RC_PRE(!numbers.empty());
  auto& target = *numbers[*rc::gen::inRange<std::size_t>(0, numbers.size())];
  target = *rc::gen::oneOf(rc::gen::map(rc::gen::arbitrary<std::int64_t>(),
                                        [](std::int64_t x) { return nlohmann::json(x); }),
                           rc::gen::map(rc::gen::inRange<std::int64_t>(-2, 30),
                                        [](std::int64_t x) { return nlohmann::json(x); }),
                           rc::gen::just(nlohmann::json(true)));
  // an array may also be cut short
  if (*rc::gen::arbitrary<bool>() && !s.arrays.empty()) {
    auto& cut = s.arrays[*rc::gen::inRange<std::size_t>(0, s.arrays.size())];
    if (cut.count > 0) {
      --cut.count;
      cut.bytes.resize(cut.bytes.size() - snapshot::size_of(cut.type));
    }
  }
  m::prequential b(o);
  try {
    load(b, s);
  } catch (const snapshot::error&) {
    return;
  }
  RC_ASSERT(b.confusion().count() >= 0);
  RC_ASSERT(static_cast<std::uint64_t>(b.confusion().count()) == b.count());
  RC_ASSERT(b.calibration().count() == b.count());
  for (int i = 0; i < 10; ++i) {
    b.update(i % 2 == 0, 0.3f);
    (void)read_prequential(b);
  }
}

}  // namespace

// riptide::metrics: figures checked against scikit-learn on fixed vectors, and properties.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <limits>
#include <vector>

#include "riptide/metrics/accuracy.hpp"
#include "riptide/metrics/binned_roc_auc.hpp"
#include "riptide/metrics/brier.hpp"
#include "riptide/metrics/calibration.hpp"
#include "riptide/metrics/confusion_matrix.hpp"
#include "riptide/metrics/holdout.hpp"
#include "riptide/metrics/logloss.hpp"
#include "riptide/metrics/prequential.hpp"
#include "riptide/metrics/roc_auc.hpp"
#include "riptide/metrics/rolling.hpp"
#include "riptide/metrics/rolling_roc_auc.hpp"

namespace m = riptide::metrics;

namespace {
// Fixed vectors with tied scores (0.35 x3, 0.9 x2, 0.1 x2).
const std::vector<bool> kY{true, false, true, true, false, false, true, false,
                           true, false, true, true, false, false, true};
const std::vector<float> kP{0.9f,  0.1f, 0.8f,  0.35f, 0.4f, 0.35f, 0.6f, 0.7f,
                            0.55f, 0.2f, 0.35f, 0.9f,  0.1f, 0.5f,  0.65f};
// Produced once by scikit-learn 1.2.1 (Debian python3-sklearn) with
//   y = np.array([1,0,1,1,0,0,1,0,1,0,1,1,0,0,1])
//   p = np.array([.9,.1,.8,.35,.4,.35,.6,.7,.55,.2,.35,.9,.1,.5,.65], dtype=np.float32)
//         .astype(np.float64)
constexpr double kAuc = 0.8214285714285715;        // roc_auc_score(y, p)
constexpr double kLogLoss = 0.4897031663392897;    // log_loss(y, p)
constexpr double kAccuracy = 0.8;                  // accuracy_score(y, p > 0.5)
constexpr double kPrecision = 0.8571428571428571;  // precision_score(y, p > 0.5)
constexpr double kRecall = 0.75;                   // recall_score(y, p > 0.5)
constexpr double kF1 = 0.7999999999999999;         // f1_score(y, p > 0.5)
constexpr double kBrier = 0.16483333285649637;     // brier_score_loss(y, p)
// prob_true, prob_pred = calibration_curve(y, p, n_bins=5)
const std::vector<double> kCalTrue{0.0, 0.5, 0.3333333333333333, 0.6666666666666666, 1.0};
const std::vector<double> kCalPred{0.10000000149011612, 0.3124999962747097, 0.4833333392937978,
                                   0.649999996026357, 0.8666666547457377};

template <class M>
M fold(M metric, const std::vector<bool>& y, const std::vector<float>& p) {
  for (std::size_t i = 0; i < y.size(); ++i) metric.update(y[i], p[i]);
  return metric;
}
}  // namespace

TEST(Metrics, MatchScikitLearnOnFixedVectors) {
  EXPECT_NEAR(m::roc_auc(kP, kY), kAuc, 1e-12);
  EXPECT_NEAR(fold(m::logloss{}, kY, kP).get(), kLogLoss, 1e-7);
  EXPECT_NEAR(fold(m::accuracy{}, kY, kP).get(), kAccuracy, 1e-12);
  const auto cm = fold(m::confusion_matrix{}, kY, kP);
  EXPECT_NEAR(cm.precision(), kPrecision, 1e-12);
  EXPECT_NEAR(cm.recall(), kRecall, 1e-12);
  EXPECT_NEAR(cm.f1(), kF1, 1e-12);
  EXPECT_NEAR(fold(m::brier{}, kY, kP).get(), kBrier, 1e-9);
  EXPECT_NEAR(fold(m::binned_roc_auc{}, kY, kP).get(), kAuc, 1e-12);
}

TEST(Metrics, HoldoutAndPrequentialAgreeWithScikitLearn) {
  const auto h = fold(m::holdout{}, kY, kP);
  EXPECT_EQ(h.count(), kY.size());
  EXPECT_NEAR(h.auc(), kAuc, 1e-12);
  EXPECT_NEAR(h.logloss(), kLogLoss, 1e-7);
  EXPECT_NEAR(h.accuracy(), kAccuracy, 1e-12);
  EXPECT_NEAR(h.f1(), kF1, 1e-12);
  EXPECT_NEAR(h.brier(), kBrier, 1e-9);
  const auto pq = fold(m::prequential{}, kY, kP);
  EXPECT_NEAR(pq.auc(), kAuc, 1e-12);
  EXPECT_NEAR(pq.logloss(), kLogLoss, 1e-7);
  EXPECT_NEAR(pq.precision(), kPrecision, 1e-12);
  EXPECT_NEAR(pq.recall(), kRecall, 1e-12);
  EXPECT_NEAR(pq.window_auc(), kAuc, 1e-12);
}

TEST(Metrics, CalibrationTableMatchesCalibrationCurve) {
  const auto rows = fold(m::calibration{5}, kY, kP).rows();
  ASSERT_EQ(rows.size(), 5u);
  std::vector<double> t, q;
  for (const auto& r : rows)
    if (r.n) {
      t.push_back(r.fraction_positive);
      q.push_back(r.mean_predicted);
    }
  ASSERT_EQ(t.size(), kCalTrue.size());
  for (std::size_t i = 0; i < t.size(); ++i) {
    EXPECT_NEAR(t[i], kCalTrue[i], 1e-12) << i;
    EXPECT_NEAR(q[i], kCalPred[i], 1e-9) << i;
  }
}

TEST(Metrics, AucIsUndefinedWithOneClass) {
  EXPECT_TRUE(std::isnan(m::roc_auc(std::vector<float>{0.1f, 0.2f}, {true, true})));
  EXPECT_TRUE(std::isnan(m::binned_roc_auc{}.get()));
}

TEST(Metrics, LogLossClipsCertainMistakes) {
  m::logloss l;
  l.update(true, 0.0f);
  EXPECT_NEAR(l.get(), -std::log(1e-15), 1e-9);
}

namespace {
struct scored {
  std::vector<bool> y;
  std::vector<float> p;
};
rc::Gen<scored> gen_scored(int max_n = 300) {
  return rc::gen::mapcat(rc::gen::inRange(2, max_n), [](int n) {
    return rc::gen::map(
        rc::gen::pair(rc::gen::container<std::vector<bool>>(n, rc::gen::arbitrary<bool>()),
                      rc::gen::container<std::vector<int>>(n, rc::gen::inRange(0, 1001))),
        [](const std::pair<std::vector<bool>, std::vector<int>>& v) {
          scored s{v.first, {}};
          for (int k : v.second) s.p.push_back(static_cast<float>(k) / 1000.0f);  // ties likely
          return s;
        });
  });
}
}  // namespace

RC_GTEST_PROP(MetricsProps, AucInvariantUnderMonotoneTransforms, ()) {
  const auto s = *gen_scored();
  const double auc = m::roc_auc(s.p, s.y);
  RC_PRE(!std::isnan(auc));
  std::vector<float> cube, flipped;
  for (float p : s.p) {
    cube.push_back(std::sqrt(p) * 3.0f + 1.0f);  // strictly increasing, keeps 1/1000 steps apart
    flipped.push_back(1.0f - p);
  }
  RC_ASSERT(std::fabs(m::roc_auc(cube, s.y) - auc) < 1e-12);
  RC_ASSERT(std::fabs(m::roc_auc(flipped, s.y) - (1.0 - auc)) < 1e-12);
  RC_ASSERT(auc >= 0.0 && auc <= 1.0);
  // on 1/1000 steps every distinct score has its own bin: the binned AUC is exact
  RC_ASSERT(std::fabs(fold(m::binned_roc_auc{}, s.y, s.p).get() - auc) < 1e-12);
  // 64-bit counts (taken past 2^32 - 1 records) give what 32-bit ones give, updates and
  // reverts after the switch included
  m::binned_roc_auc narrow, wide;
  wide.widen();
  const std::size_t half = s.y.size() / 2;
  for (std::size_t i = 0; i < s.y.size(); ++i) {
    narrow.update(s.y[i], s.p[i]);
    wide.update(s.y[i], s.p[i]);
    if (i == half) narrow.widen();
  }
  RC_ASSERT(std::fabs(wide.get() - auc) < 1e-12);
  RC_ASSERT(std::fabs(narrow.get() - auc) < 1e-12);
  wide.revert(s.y.back(), s.p.back());
  narrow.revert(s.y.back(), s.p.back());
  const double a = wide.get(), b = narrow.get();
  RC_ASSERT((std::isnan(a) && std::isnan(b)) || a == b);
}

// The 32-bit sweep runs its bins as side-by-side segments (any bin count: remainders too); it
// gives exactly what the plain sweep of the 64-bit counts gives (small counts: doubles exact).
RC_GTEST_PROP(MetricsProps, BinnedAucSegmentedSweepEqualsPlainSweep, ()) {
  const auto bins = static_cast<std::size_t>(*rc::gen::inRange(1, 40));
  const auto s = *gen_scored();
  m::binned_roc_auc narrow(bins), wide(bins);
  wide.widen();
  for (std::size_t i = 0; i < s.y.size(); ++i) {
    narrow.update(s.y[i], s.p[i]);
    wide.update(s.y[i], s.p[i]);
  }
  const double a = narrow.get(), b = wide.get();
  RC_ASSERT((std::isnan(a) && std::isnan(b)) || a == b);
}

// An update is counted by the next one, and get() adds the one pending without writing it: read
// after every update and revert, the AUC is exactly the one of counting the (positive, negative)
// pairs of bin numbers (2 for a higher positive bin, 1 for the same bin), for any bin count
// (segments, left-over bins, fewer bins than segments) and either class pending.
RC_GTEST_PROP(MetricsProps, BinnedAucReadAtEveryPointEqualsPairCountingOfBins, ()) {
  const auto bins = *rc::gen::element<std::size_t>(1, 2, 3, 5, 8, 13, 40, 1000, 16384);
  const auto s = *gen_scored(80);
  m::binned_roc_auc auc(bins);
  const m::binned_roc_auc& reader = auc;
  const auto bin = [bins](float p) {
    const auto b = p > 0.0f ? static_cast<std::size_t>(static_cast<double>(p) * bins) : 0;
    return std::min(b, bins - 1);
  };
  std::vector<std::pair<bool, std::size_t>> live;  // (label, bin) of the updates counted
  const auto check = [&] {
    std::uint64_t area2 = 0, tp = 0, fp = 0;
    for (const auto& [y, b] : live) (y ? tp : fp) += 1;
    for (const auto& [yi, bi] : live)
      for (const auto& [yj, bj] : live)
        if (yi && !yj) area2 += bi > bj ? 2 : bi == bj ? 1 : 0;
    const double want = tp == 0 || fp == 0
                            ? std::numeric_limits<double>::quiet_NaN()
                            : static_cast<double>(area2) / 2.0 /
                                  (static_cast<double>(tp) * static_cast<double>(fp));
    const double got = reader.get();
    RC_ASSERT((std::isnan(got) && std::isnan(want)) || got == want);
    const double again = reader.get();  // a read changes nothing
    RC_ASSERT((std::isnan(again) && std::isnan(got)) || again == got);
  };
  for (std::size_t i = 0; i < s.y.size(); ++i) {
    auc.update(s.y[i], s.p[i]);
    live.emplace_back(s.y[i], bin(s.p[i]));
    check();
    if (i % 7 == 3) {  // a sliding window's revert of an older update
      const std::size_t k = i / 2;
      auc.revert(s.y[k], s.p[k]);
      live.erase(std::find(live.begin(), live.end(), std::pair{s.y[k], bin(s.p[k])}));
      check();
      auc.update(s.y[k], s.p[k]);
      live.emplace_back(s.y[k], bin(s.p[k]));
      check();
    }
  }
}

RC_GTEST_PROP(MetricsProps, AucEqualsPairCounting, ()) {
  const auto s = *gen_scored(60);
  double wins = 0, pairs = 0;
  for (std::size_t i = 0; i < s.y.size(); ++i)
    for (std::size_t j = 0; j < s.y.size(); ++j)
      if (s.y[i] && !s.y[j]) {
        pairs += 1;
        wins += s.p[i] > s.p[j] ? 1.0 : s.p[i] == s.p[j] ? 0.5 : 0.0;
      }
  RC_PRE(pairs > 0);
  RC_ASSERT(std::fabs(m::roc_auc(s.p, s.y) - wins / pairs) < 1e-12);
}

// The sort-key path (rolling_roc_auc's radix sort) gives the AUC of the comparison sort, on any
// floats: signed, both zeros, infinities, NaN (ranked lowest), many ties, sizes past the radix
// threshold.
RC_GTEST_PROP(MetricsProps, AucOfSortKeysEqualsAucOfPairs, ()) {
  const int n = *rc::gen::inRange(1, 3000);
  const float specials[] = {0.0f,
                            -0.0f,
                            std::numeric_limits<float>::infinity(),
                            -std::numeric_limits<float>::infinity(),
                            std::numeric_limits<float>::quiet_NaN(),
                            1e-30f,
                            -1e30f};
  std::vector<std::pair<float, bool>> pairs;
  std::vector<std::uint64_t> keys, scratch;
  const int spread = *rc::gen::inRange(1, 100000);
  for (int i = 0; i < n; ++i) {
    const bool y = *rc::gen::arbitrary<bool>();
    const int pick = *rc::gen::inRange(0, 40);
    const float p =
        pick < 7 ? specials[pick] : static_cast<float>(*rc::gen::inRange(-spread, spread)) / 997.0f;
    pairs.emplace_back(p, y);
    keys.push_back(std::uint64_t{m::detail::descending_key(p)} << 32 | (y ? 1u : 0u));
  }
  const double expected = m::roc_auc_of_pairs(pairs);
  const double got = m::roc_auc_of_keys(keys, scratch);
  RC_ASSERT((std::isnan(expected) && std::isnan(got)) || expected == got);
  m::rolling_roc_auc window{static_cast<std::size_t>(n)};
  for (const auto& [p, y] : pairs) window.update(y, p);
  const double rolled = window.get();
  RC_ASSERT((std::isnan(expected) && std::isnan(rolled)) || expected == rolled);
}

RC_GTEST_PROP(MetricsProps, LogLossAndBrierBounds, ()) {
  const auto s = *gen_scored();
  const double ll = fold(m::logloss{}, s.y, s.p).get();
  const double br = fold(m::brier{}, s.y, s.p).get();
  RC_ASSERT(ll >= 0.0 && ll <= -std::log(1e-15) + 1e-9);
  RC_ASSERT(br >= 0.0 && br <= 1.0);
  std::vector<float> half(s.p.size(), 0.5f);
  RC_ASSERT(std::fabs(fold(m::logloss{}, s.y, half).get() - std::log(2.0)) < 1e-12);
  RC_ASSERT(std::fabs(fold(m::brier{}, s.y, half).get() - 0.25) < 1e-12);
}

RC_GTEST_PROP(MetricsProps, RollingWindowsEqualRecomputationOverTheWindow, ()) {
  const auto s = *gen_scored();
  const auto window = static_cast<std::size_t>(*rc::gen::inRange(1, 40));
  m::rolling<m::logloss> ll{window};
  m::rolling<m::accuracy> acc{window};
  m::rolling_roc_auc auc{window};
  for (std::size_t i = 0; i < s.y.size(); ++i) {
    ll.update(s.y[i], s.p[i]);
    acc.update(s.y[i], s.p[i]);
    auc.update(s.y[i], s.p[i]);
  }
  const std::size_t from = s.y.size() > window ? s.y.size() - window : 0;
  const std::vector<bool> wy(s.y.begin() + static_cast<long>(from), s.y.end());
  const std::vector<float> wp(s.p.begin() + static_cast<long>(from), s.p.end());
  RC_ASSERT(std::fabs(ll.get() - fold(m::logloss{}, wy, wp).get()) < 1e-9);
  RC_ASSERT(std::fabs(acc.get() - fold(m::accuracy{}, wy, wp).get()) < 1e-12);
  const double exact = m::roc_auc(wp, wy);
  RC_ASSERT((std::isnan(exact) && std::isnan(auc.get())) || std::fabs(auc.get() - exact) < 1e-12);
}

TEST(Metrics, PrequentialCurveHasAPointEveryNRecords) {
  m::prequential eval{{.window = 10, .curve_every = 7}};
  for (int i = 0; i < 50; ++i) eval.update(i % 3 == 0, static_cast<float>(i % 10) / 10.0f);
  ASSERT_EQ(eval.curve().size(), 7u);
  EXPECT_EQ(eval.curve()[0].n, 7u);
  EXPECT_EQ(eval.curve()[6].n, 49u);
  EXPECT_NEAR(
      eval.curve()[6].logloss,
      [&] {
        m::logloss l;
        for (int i = 0; i < 49; ++i) l.update(i % 3 == 0, static_cast<float>(i % 10) / 10.0f);
        return l.get();
      }(),
      1e-12);
}

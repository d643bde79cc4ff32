// riptide::drift::features: PSI and Jensen-Shannon against known values, and the per-feature
// monitor (reference window vs current window) on stationary and shifted streams.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <riptide/drift/features/jensen_shannon.hpp>
#include <riptide/drift/features/monitor.hpp>
#include <riptide/drift/features/psi.hpp>
#include <riptide/value.hpp>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace rf = riptide::drift::features;
using riptide::value;

TEST(Psi, KnownValues) {
  const std::vector<double> reference{50, 30, 20}, same{100, 60, 40}, shifted{20, 30, 50};
  EXPECT_NEAR(rf::psi(reference, same), 0.0, 1e-15);
  EXPECT_NEAR(rf::psi(reference, shifted), 0.5497744391244931, 1e-12);
  // An empty bin gets epsilon mass instead of an infinite term.
  const std::vector<double> with_empty{50, 50, 0};
  EXPECT_TRUE(std::isfinite(rf::psi(reference, with_empty)));
  EXPECT_THROW(rf::psi(reference, std::vector<double>{1, 2}), std::invalid_argument);
}

TEST(JensenShannon, MatchesScipyBase2) {
  // scipy.spatial.distance.jensenshannon(p, q, base=2)
  EXPECT_NEAR(rf::jensen_shannon(std::vector<double>{0.5, 0.5}, std::vector<double>{0.9, 0.1}),
              0.3831358798599423, 1e-12);
  EXPECT_NEAR(rf::jensen_shannon(std::vector<double>{1, 2, 3, 0}, std::vector<double>{0, 3, 2, 1}),
              0.43689186833942056, 1e-12);
  EXPECT_EQ(rf::jensen_shannon(std::vector<double>{10, 0}, std::vector<double>{0, 10}), 1.0);
}

namespace {

const char* const plans[] = {"Month-to-month", "One year", "Two year", "None"};

struct row_source {
  std::mt19937_64 gen;
  // shift: numeric mean + 1 sd, and the first category's share 25% -> 70%.
  std::vector<value> next(bool shifted) {
    std::normal_distribution<double> normal(shifted ? 1.0 : 0.0, 1.0);
    std::uniform_real_distribution<double> u;
    const double r = u(gen);
    const int category =
        shifted ? (r < 0.7 ? 0 : 1 + static_cast<int>((r - 0.7) / 0.1)) : static_cast<int>(r * 4);
    return {value::of_real(normal(gen)), value::of_text(plans[std::min(category, 3)])};
  }
};

rf::monitor make_monitor() {
  return rf::monitor(
      {{"charges", 0, rf::feature_kind::numeric}, {"contract", 1, rf::feature_kind::categorical}},
      {.reference_size = 1000, .window_size = 1000});
}

}  // namespace

// Stationary: PSI and JS stay under their thresholds (only KS may reject, at its level), on
// streams of fixed seeds. Not a random property: a stationary window can cross a threshold by
// chance, rarely (none of seeds 1-20000 does; seed 254509160, drawn by an earlier random
// version of this test, gives JS 0.101 > 0.1 at the first check), so a random seed made the
// suite fail about once in a few hundred runs without any bug.
TEST(FeatureMonitor, StationaryStreamsRaiseNoPsiOrJsAlerts) {
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    row_source source{std::mt19937_64{seed}};
    auto m = make_monitor();
    for (int i = 0; i < 5000; ++i) {
      const auto row = source.next(false);
      for (const auto& a : m.update(row))
        ASSERT_EQ(a.metric, "ks") << "seed " << seed << ", row " << i << ", " << a.feature << " "
                                  << a.metric << " " << a.statistic;
    }
  }
}

// KS rejects stationary windows at about its level: 100 streams, 400 checks, alpha = 0.01, so
// about 4 alerts are expected. (The checks of one stream share its reference window, so they are
// not independent: this is measured over many streams with fixed seeds, not per stream.)
TEST(FeatureMonitor, KsFalseAlarmsMatchItsLevel) {
  long ks = 0, checks = 0;
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    row_source source{std::mt19937_64{seed}};
    auto m = make_monitor();
    for (int i = 0; i < 5000; ++i) {
      const auto row = source.next(false);
      for (const auto& a : m.update(row)) ks += a.metric == "ks";
      checks += i >= 1999 && (i - 1999) % 1000 == 0;
    }
  }
  EXPECT_EQ(checks, 400);
  EXPECT_LE(ks, 12) << "KS alerts on stationary streams";
}

// A one-sd mean shift and a category mix change are reported at the first check whose current
// window lies after the change, with every metric, naming the feature and the row.
RC_GTEST_PROP(FeatureMonitor, ShiftIsReportedAtTheFirstCleanWindow, ()) {
  row_source source{std::mt19937_64{*rc::gen::arbitrary<std::uint64_t>()}};
  auto m = make_monitor();
  std::vector<rf::alert> alerts;
  for (int i = 0; i < 3000; ++i) {
    const auto row = source.next(i >= 2000);
    for (const auto& a : m.update(row)) alerts.push_back(a);
  }
  auto has = [&](const std::string& feature, std::string_view metric) {
    for (const auto& a : alerts)
      if (a.index == 2999 && a.feature == feature && a.metric == metric) return true;
    return false;
  };
  RC_ASSERT(has("charges", "ks"));
  RC_ASSERT(has("charges", "psi"));
  RC_ASSERT(has("contract", "psi"));
  RC_ASSERT(has("contract", "js"));
}

TEST(FeatureMonitor, MissingValuesAndUnseenCategoriesCount) {
  auto m = rf::monitor(
      {{"tenure", 0, rf::feature_kind::numeric}, {"payment", 1, rf::feature_kind::categorical}},
      {.reference_size = 100, .window_size = 100, .check_every = 50});
  std::vector<rf::alert> alerts;
  for (int i = 0; i < 300; ++i) {
    const bool later = i >= 150;
    // Later: tenure arrives empty half the time; payment is a method never seen before.
    const value tenure = later && i % 2 ? value{} : value::of_int(i % 60);
    const value payment = value::of_text(later ? "Crypto" : (i % 3 ? "Mailed check" : "Card"));
    const value row[] = {tenure, payment};
    for (const auto& a : m.update(row)) alerts.push_back(a);
  }
  ASSERT_FALSE(alerts.empty());
  // Checks run at rows 199, 249 and 299 (every 50 once the current window is full).
  for (const auto& a : alerts) EXPECT_TRUE(a.index == 199 || a.index == 249 || a.index == 299);
  bool tenure_psi = false, payment_js = false;
  for (const auto& a : alerts) {
    tenure_psi |= a.feature == "tenure" && a.metric == "psi" && a.index == 299;
    payment_js |= a.feature == "payment" && a.metric == "js" && a.statistic > 0.9;
  }
  EXPECT_TRUE(tenure_psi);
  EXPECT_TRUE(payment_js);
  EXPECT_EQ(m.rows(), 300u);
}

TEST(FeatureMonitor, RejectsBadConfiguration) {
  EXPECT_THROW(rf::monitor({}, {.window_size = 0}), std::invalid_argument);
  EXPECT_THROW(rf::monitor({}, {.bins = 1}), std::invalid_argument);
}

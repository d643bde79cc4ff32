// riptide::drift::retraining_classifier (a classifier that retrains on concept drift) and
// riptide::drift::features::row_monitor (data drift over clean rows), through the library.
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "riptide/concepts.hpp"
#include "riptide/drift/any_detector.hpp"
#include "riptide/drift/ddm.hpp"
#include "riptide/drift/features/row_monitor.hpp"
#include "riptide/drift/make_detector.hpp"
#include "riptide/drift/retraining_classifier.hpp"
#include "riptide/learn/any_classifier.hpp"
#include "riptide/learn/logistic.hpp"
#include "riptide/learn/make_classifier.hpp"
#include "riptide/learn/sgd.hpp"

namespace d = riptide::drift;
namespace l = riptide::learn;
using riptide::features::entry;

namespace {

struct example {
  std::vector<entry> x;
  bool y;
};

// A concept over two features that flips sign at `flip` (abrupt concept drift).
std::vector<example> flipping(std::size_t n, std::size_t flip, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<example> out;
  for (std::size_t i = 0; i < n; ++i) {
    const float a = u(gen), b = u(gen);
    const bool y = (a + 0.5f * b > 0.0f) != (i >= flip);
    out.push_back({{{0, a}, {1, b}}, y});
  }
  return out;
}

// Accuracy of test-then-train over records [from, to).
template <class M>
double accuracy_within(M& m, const std::vector<example>& data, std::size_t from, std::size_t to) {
  std::size_t right = 0;
  for (std::size_t i = 0; i < data.size(); ++i) {
    const float p = l::predict_then_learn(m, data[i].x, data[i].y);
    if (i >= from && i < to) right += (p > 0.5f) == data[i].y;
  }
  return static_cast<double>(right) / static_cast<double>(to - from);
}

}  // namespace

using retraining = d::retraining_classifier<l::any_classifier, d::any_detector>;
static_assert(riptide::classifier<retraining>);

TEST(RetrainingClassifier, RecoversFromAConceptFlipFasterThanThePlainModel) {
  const auto data = flipping(12000, 6000, 5);
  const auto make = [] { return l::make_classifier({.optimizer = "adagrad", .lr = 0.5}); };
  auto plain = make();
  retraining m{make, d::make_detector("ddm", {}).detector, "ddm"};
  // the 2000 records after the flip
  const double plain_accuracy = accuracy_within(plain, data, 6000, 8000);
  const double retrained_accuracy = accuracy_within(m, data, 6000, 8000);
  EXPECT_GT(m.counts().drifts, 0u);
  EXPECT_GT(retrained_accuracy, plain_accuracy + 0.05)
      << "plain " << plain_accuracy << ", retrained " << retrained_accuracy;
  EXPECT_GT(retrained_accuracy, 0.85);
  ASSERT_FALSE(m.events().empty());
  EXPECT_EQ(m.events_total(), m.events().size());
  bool changed_after_flip = false;
  for (const auto& e : m.events()) {
    EXPECT_EQ(e.line, e.event.index);  // positions counted by the classifier itself
    changed_after_flip |= e.event.index >= 6000 && (e.event.action == d::retrain_action::reset ||
                                                    e.event.action == d::retrain_action::replaced);
  }
  EXPECT_TRUE(changed_after_flip);
}

TEST(RetrainingClassifier, IsTheRetrainerProtocolRunByHand) {
  const auto data = flipping(6000, 3000, 9);
  using model = l::logistic<l::sgd>;
  const auto make = [] { return model{{.lr = 0.3f}}; };
  d::retraining_classifier<model, d::ddm> wrapped{make, d::ddm{}, "ddm", {.max_events = 3}};
  d::retrainer<model, d::ddm> by_hand{make, d::ddm{}, "ddm"};
  std::uint64_t events = 0;
  for (std::size_t i = 0; i < data.size(); ++i) {
    const auto& [x, y] = data[i];
    const float p = by_hand.model().predict_proba(x);
    model* ch = by_hand.challenger();
    const bool ch_right = ch && (ch->predict_proba(x) > 0.5f) == y;
    events += by_hand.observe(i, (p > 0.5f) == y, ch_right).size();
    by_hand.model().learn_one(x, y);
    if ((ch = by_hand.challenger())) ch->learn_one(x, y);
    ASSERT_EQ(wrapped.predict_then_learn(x, y, {i, 10 + i}), p);
  }
  EXPECT_EQ(wrapped.events_total(), events);
  EXPECT_EQ(wrapped.events().size(), std::min<std::uint64_t>(events, 3));
  if (!wrapped.events().empty()) {
    EXPECT_EQ(wrapped.events()[0].line, 10 + wrapped.events()[0].event.index);
  }
  EXPECT_EQ(wrapped.counts().drifts, by_hand.counts().drifts);
}

TEST(RowMonitor, InfersKindsSkipsIdentifiersAndRaisesAlertsOnAShift) {
  d::features::row_monitor m{{.reference_size = 300, .window_size = 300}, {"label"}};
  auto names = std::make_shared<const riptide::clean::columns>(
      riptide::clean::columns{{"id", "amount", "plan", "label"}});
  riptide::clean::row r;
  r.names = names;
  std::mt19937 gen(3);
  for (int i = 0; i < 2400; ++i) {
    const bool later = i >= 1200;
    const double amount = (later ? 40.0 : 10.0) + static_cast<double>(gen() % 100) / 10.0;
    r.values = {riptide::value::of_text("id-" + std::to_string(i)),
                riptide::value::of_text(std::to_string(amount)),  // numeric text: numeric
                riptide::value::of_text(gen() % 3 ? "basic" : "pro"),
                riptide::value::of_text(gen() % 2 ? "yes" : "no")};
    r.where.index = static_cast<std::uint64_t>(i);
    r.where.line = static_cast<std::uint64_t>(i) + 2;
    m.update(r);
  }
  ASSERT_EQ(m.watched().size(), 2u);
  EXPECT_EQ(m.watched()[0].name, "amount");
  EXPECT_EQ(m.watched()[0].kind, d::features::feature_kind::numeric);
  EXPECT_EQ(m.watched()[1].name, "plan");
  EXPECT_EQ(m.watched()[1].kind, d::features::feature_kind::categorical);
  ASSERT_EQ(m.skipped().size(), 1u);
  EXPECT_EQ(m.skipped()[0].name, "id");
  EXPECT_EQ(m.rows(), 2400u);
  ASSERT_FALSE(m.alerts().empty());
  for (const auto& a : m.alerts()) {
    EXPECT_EQ(a.a.feature, "amount");  // only the amount moved
    EXPECT_GE(a.index, 1200u);
    EXPECT_EQ(a.line, a.index + 2);
  }
}

TEST(RowMonitor, AStreamShorterThanTheReferenceRaisesNothing) {
  d::features::row_monitor m{{.reference_size = 1000, .window_size = 100}};
  auto names = std::make_shared<const riptide::clean::columns>(riptide::clean::columns{{"x"}});
  riptide::clean::row r;
  r.names = names;
  for (int i = 0; i < 999; ++i) {
    r.values = {riptide::value::of_real(i < 500 ? 0.0 : 100.0)};
    m.update(r);
  }
  EXPECT_TRUE(m.watched().empty());
  EXPECT_TRUE(m.alerts().empty());
  EXPECT_EQ(m.rows(), 999u);
}

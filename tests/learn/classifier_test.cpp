// riptide::learn classifiers chosen at run time: any_classifier, learning_rate_race,
// make_classifier (the library's side of `riptide replay --learner/--optimizer/--lr`).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstring>
#include <random>
#include <stdexcept>
#include <vector>

#include "riptide/concepts.hpp"
#include "riptide/learn/any_classifier.hpp"
#include "riptide/learn/learning_rate_race.hpp"
#include "riptide/learn/make_classifier.hpp"

namespace l = riptide::learn;
using riptide::features::entry;

namespace {

struct example {
  std::vector<entry> x;
  bool y;
};

// A noisy linear concept over `dim` sparse features.
std::vector<example> stream(std::size_t n, unsigned seed, std::uint32_t dim = 20) {
  std::mt19937 gen(seed);
  std::normal_distribution<float> noise(0.0f, 0.7f);
  std::vector<example> out;
  for (std::size_t i = 0; i < n; ++i) {
    example e;
    float margin = 0.3f;
    for (std::uint32_t f = 0; f < dim; ++f)
      if (gen() % 3 == 0) {
        const float v = static_cast<float>(gen() % 100) / 50.0f - 1.0f;
        e.x.push_back({f, v});
        margin += (f % 2 ? 1.5f : -1.0f) * v;
      }
    e.y = margin + noise(gen) > 0.0f;
    out.push_back(std::move(e));
  }
  return out;
}

bool same_bits(float a, float b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

// A classifier that is no linear model: any_classifier passes on what it has, refuses the rest.
struct majority {
  long ones = 0, total = 0;
  float predict_proba(riptide::features::sparse_view) const {
    return total ? static_cast<float>(ones) / static_cast<float>(total) : 0.5f;
  }
  void learn_one(riptide::features::sparse_view, bool y) {
    ones += y;
    ++total;
  }
};

}  // namespace

static_assert(riptide::classifier<l::logistic<l::sgd>>);
static_assert(riptide::classifier<l::any_classifier>);
static_assert(riptide::classifier<l::learning_rate_race>);

TEST(AnyClassifier, GivesExactlyWhatTheModelItHoldsGives) {
  const auto data = stream(3000, 1);
  l::logistic<l::adagrad> plain{{.lr = 0.2f}};
  l::any_classifier erased{l::logistic<l::adagrad>{{.lr = 0.2f}}};
  for (const auto& e : data) {
    ASSERT_TRUE(same_bits(plain.predict_proba(e.x), erased.predict_proba(e.x)));
    ASSERT_TRUE(
        same_bits(l::predict_then_learn(plain, e.x, e.y), erased.predict_then_learn(e.x, e.y)));
  }
  EXPECT_EQ(erased.describe().optimizer, "adagrad");
  EXPECT_FLOAT_EQ(erased.describe().lr, 0.2f);
  EXPECT_FALSE(erased.describe().raced);
  EXPECT_FALSE(erased.settle().has_value());
  ASSERT_NE(erased.get<l::logistic<l::adagrad>>(), nullptr);
  EXPECT_EQ(erased.get<l::logistic<l::sgd>>(), nullptr);
}

TEST(AnyClassifier, CloneLearnsOnItsOwn) {
  const auto data = stream(500, 2);
  l::any_classifier a{l::logistic<l::sgd>{{.lr = 0.5f}}};
  for (const auto& e : data) a.learn_one(e.x, e.y);
  l::any_classifier b = a.clone();
  EXPECT_TRUE(same_bits(a.predict_proba(data[0].x), b.predict_proba(data[0].x)));
  for (int i = 0; i < 50; ++i) b.learn_one(data[0].x, !data[0].y);
  EXPECT_FALSE(same_bits(a.predict_proba(data[0].x), b.predict_proba(data[0].x)));
}

TEST(AnyClassifier, AModelWithoutWeightsRefusesToBeAskedForThem) {
  l::any_classifier m{majority{}};
  std::vector<entry> x;
  m.learn_one(x, true);
  EXPECT_FLOAT_EQ(m.predict_proba(x), 1.0f);
  EXPECT_THROW((void)m.weights(), std::logic_error);
  EXPECT_THROW(m.start_averaging(), std::logic_error);
}

TEST(MakeClassifier, ALearningRateGivesOneModelElseARace) {
  const auto one = l::make_classifier({.learner = "svm", .optimizer = "ftrl", .lr = 0.3});
  EXPECT_FALSE(one.describe().raced);
  EXPECT_EQ(one.describe().optimizer, "ftrl");
  EXPECT_NE(one.get<l::svm<l::ftrl>>(), nullptr);
  const auto raced = l::make_classifier({});
  const auto d = raced.describe();
  ASSERT_TRUE(d.raced);
  ASSERT_EQ(d.candidates.size(), 6u);  // adagrad 0.05, 0.2, 0.8, then sgd 0.1, 0.5, 2
  EXPECT_EQ(d.candidates[0].optimizer, "adagrad");
  EXPECT_FLOAT_EQ(d.candidates[0].lr, l::adagrad{}.lr);
  EXPECT_FLOAT_EQ(d.candidates[2].lr, 16 * l::adagrad{}.lr);
  EXPECT_EQ(d.candidates[5].optimizer, "sgd");
  EXPECT_FLOAT_EQ(d.candidates[5].lr, 2.0f);
  EXPECT_EQ(l::make_classifier({.optimizer = "ftrl"}).describe().candidates.size(), 3u);
  EXPECT_THROW(l::make_classifier({.learner = "tree"}), std::invalid_argument);
  EXPECT_THROW(l::make_classifier({.optimizer = "adam"}), std::invalid_argument);
  EXPECT_THROW(l::make_classifier({.class_weight = "auto"}), std::invalid_argument);
  EXPECT_THROW(l::make_classifier({.batch_size = 0}), std::invalid_argument);
}

// The race serves its leader, and the leader is the candidate with the lowest recent Brier score:
// replaying the candidates by hand picks the same one.
RC_GTEST_PROP(LearningRateRace, ServesTheCandidateWithTheLowestRecentBrierScore, ()) {
  const auto seed = *rc::gen::inRange(1u, 1000u);
  const auto data = stream(600, seed);
  const std::vector<float> rates{0.01f, 0.3f, 3.0f};
  std::vector<l::learning_rate_race::candidate> c;
  std::vector<l::logistic<l::sgd>> by_hand;
  for (const float lr : rates) {
    c.push_back({"sgd", lr, l::any_classifier{l::logistic<l::sgd>{{.lr = lr}}}});
    by_hand.push_back(l::logistic<l::sgd>{{.lr = lr}});
  }
  l::learning_rate_race race{std::move(c), {.window = 100, .commit_after = 0}};
  std::vector<double> loss(rates.size(), 0.0);
  const double decay = 1.0 - 1.0 / 100.0;
  std::size_t leader = 0;
  for (const auto& e : data) {
    const float served = race.predict_then_learn(e.x, e.y);
    RC_ASSERT(same_bits(served, by_hand[leader].predict_proba(e.x)));
    for (std::size_t k = 0; k < rates.size(); ++k) {
      const double p = l::predict_then_learn(by_hand[k], e.x, e.y);
      const double err = p - (e.y ? 1.0 : 0.0);
      loss[k] = decay * loss[k] + (1.0 - decay) * err * err;
    }
    leader = static_cast<std::size_t>(std::min_element(loss.begin(), loss.end()) - loss.begin());
    RC_ASSERT(race.describe().leader == leader);
  }
}

TEST(LearningRateRace, CommitsThenSettlesOnItsLeader) {
  const auto data = stream(2000, 3);
  auto m = l::make_classifier({.race_window = 200, .race_records = 1000});
  for (std::size_t i = 0; i < data.size(); ++i) {
    m.learn_one(data[i].x, data[i].y);
    EXPECT_EQ(m.describe().committed, i + 1 >= 1000) << i;
  }
  const auto d = m.describe();
  const float p = m.predict_proba(data[0].x);
  auto leader = m.settle();
  ASSERT_TRUE(leader.has_value());
  EXPECT_FALSE(leader->describe().raced);
  EXPECT_EQ(leader->describe().optimizer, d.optimizer);
  EXPECT_FLOAT_EQ(leader->describe().lr, d.lr);
  EXPECT_TRUE(same_bits(leader->predict_proba(data[0].x), p));
}

TEST(MakeClassifier, ItsParametersAreDeclaredOnceWithTheirDefaults) {
  const auto described = riptide::describe_params<l::classifier_options>();
  const l::classifier_options defaults;
  ASSERT_EQ(described.size(), 9u);
  EXPECT_EQ(described[0].name, "learner");
  EXPECT_EQ(described[0].default_text, defaults.learner);
  EXPECT_EQ(described[2].name, "lr");
  EXPECT_EQ(described[2].default_text, "0");
  l::classifier_options o;
  riptide::set_param(o, "optimizer", "ftrl");
  riptide::set_param(o, "race-records", "10");
  EXPECT_EQ(o.optimizer, "ftrl");
  EXPECT_EQ(o.race_records, 10u);
  EXPECT_THROW(riptide::set_param(o, "optimizer", "adam"), std::invalid_argument);
  EXPECT_THROW(riptide::set_param(o, "l2", "-1"), std::invalid_argument);
}

// riptide::synth: the generators reproduce River's streams for the same seed (River's docstring
// outputs), and the drift schedule switches concepts where asked.
#include <gtest/gtest.h>
#include <riptide/synth/drift_schedule.hpp>
#include <riptide/synth/hyperplane.hpp>
#include <riptide/synth/sea.hpp>
#include <riptide/synth/stagger.hpp>
#include <riptide/synth/telco_shift.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <system_error>
#include <vector>

namespace rs = riptide::synth;

TEST(Sea, MatchesRiversDocstring) {
  // river.datasets.synth.SEA(variant=0, seed=42).take(5)
  const double expected[5][3] = {{6.39426, 0.25010, 2.75029},
                                 {2.23210, 7.36471, 6.76699},
                                 {8.92179, 0.86938, 4.21921},
                                 {0.29797, 2.18637, 5.05355},
                                 {0.26535, 1.98837, 6.49884}};
  const bool labels[5] = {false, true, true, false, false};
  rs::sea stream{{.seed = 42}};
  for (int i = 0; i < 5; ++i) {
    const auto s = stream.next();
    for (int j = 0; j < 3; ++j) EXPECT_NEAR(s.x[j], expected[i][j], 1e-5) << i;
    EXPECT_EQ(s.y, labels[i]) << i;
  }
}

TEST(Sea, ConceptsUseTheirThresholds) {
  rs::sea stream{{.seed = 7}};
  for (int i = 0; i < 2000; ++i) {
    const std::size_t concept_index = static_cast<std::size_t>(i / 500);
    const auto s = stream.next(concept_index);
    EXPECT_EQ(s.y, s.x[0] + s.x[1] > rs::sea::threshold(static_cast<int>(concept_index)));
  }
  // Noise flips about the asked share of labels.
  rs::sea noisy{{.noise = 0.1, .seed = 7}};
  int flipped = 0;
  for (int i = 0; i < 10000; ++i) {
    const auto s = noisy.next();
    flipped += s.y != (s.x[0] + s.x[1] > 8.0);
  }
  EXPECT_NEAR(flipped / 10000.0, 0.1, 0.015);
}

TEST(Stagger, MatchesRiversDocstring) {
  // river.datasets.synth.STAGGER(classification_function=2, seed=112).take(5)
  const int expected[5][4] = {{1, 2, 2, 1}, {2, 1, 2, 1}, {1, 1, 2, 1}, {0, 1, 0, 0}, {2, 1, 0, 1}};
  rs::stagger stream{{.classification_function = 2, .seed = 112}};
  for (const auto& e : expected) {
    const auto s = stream.next();
    EXPECT_EQ(s.size, e[0]);
    EXPECT_EQ(s.color, e[1]);
    EXPECT_EQ(s.shape, e[2]);
    EXPECT_EQ(s.y, e[3] == 1);
  }
  rs::stagger balanced{{.seed = 3, .balance_classes = true}};
  for (int i = 0; i < 20; ++i) EXPECT_EQ(balanced.next().y, i % 2 == 0);
}

TEST(Hyperplane, FollowsRiversDrawOrder) {
  // River's Hyperplane(seed=42, n_features=2) draw order replayed with CPython's random module.
  const double expected[5][2] = {
      {0.2750, 0.2232}, {0.0869, 0.4219}, {0.0265, 0.1988}, {0.5893, 0.8094}, {0.3403, 0.1555}};
  const bool labels[5] = {false, true, false, false, false};
  rs::hyperplane stream{{.n_features = 2, .seed = 42}};
  for (int i = 0; i < 5; ++i) {
    const auto s = stream.next();
    EXPECT_NEAR(s.x[0], expected[i][0], 5e-5);
    EXPECT_NEAR(s.x[1], expected[i][1], 5e-5);
    EXPECT_EQ(s.y, labels[i]);
  }
  // mag_change rotates the drifting weights only.
  rs::hyperplane rotating{{.n_features = 4, .mag_change = 0.01, .seed = 1}};
  const auto before = rotating.weights();
  for (int i = 0; i < 100; ++i) rotating.next();
  EXPECT_NE(rotating.weights()[0], before[0]);
  EXPECT_EQ(rotating.weights()[3], before[3]);
}

TEST(DriftSchedule, AbruptAndGradual) {
  rs::drift_schedule abrupt({100, 250});
  for (std::uint64_t t = 0; t < 400; ++t)
    EXPECT_EQ(abrupt.concept_at(t), t < 100 ? 0u : t < 250 ? 1u : 2u);
  rs::drift_schedule gradual({1000}, 200.0, 5);
  int early = 0, middle = 0, late = 0;
  for (std::uint64_t t = 0; t < 2000; ++t) {
    const bool new_concept = gradual.concept_at(t) == 1;
    if (t < 700) early += new_concept;
    if (t >= 950 && t < 1050) middle += new_concept;
    if (t >= 1300) late += !new_concept;
  }
  EXPECT_LT(early, 5);
  EXPECT_GT(middle, 25);
  EXPECT_LT(middle, 75);
  EXPECT_LT(late, 5);
  EXPECT_THROW(rs::drift_schedule({5, 5}), std::invalid_argument);
}

TEST(TelcoShift, FlipsChurnOfMonthlyAndTwoYearContractsInOddConcepts) {
  rs::telco_shift a{{.seed = 3}}, b{{.seed = 3}};  // the bundled data (tests run in the source dir)
  ASSERT_EQ(a.header()[a.label_column()], "Churn");
  ASSERT_EQ(a.header()[a.contract_column()], "Contract");
  EXPECT_EQ(a.records(), 7043u);
  EXPECT_EQ(a.unreadable(), 0u);
  long flipped = 0;
  for (int i = 0; i < 2000; ++i) {
    const auto& record = a.next(0);  // the same record of the same shuffled order
    const std::vector<std::string> plain(record.begin(), record.end());
    const auto& inverted = b.next(1);
    const std::string contract(plain[a.contract_column()]);
    const bool flip = contract == "Month-to-month" || contract == "Two year";
    for (std::size_t c = 0; c < plain.size(); ++c) {
      if (c == a.label_column())
        EXPECT_EQ(plain[c] != inverted[c], flip) << i;
      else
        EXPECT_EQ(plain[c], inverted[c]) << i;
    }
    flipped += flip;
  }
  EXPECT_GT(flipped, 1400);  // about 79% of the records
}

TEST(TelcoShift, CountsUnreadableRecordsAndRejectsOtherData) {
  const std::string path = "/tmp/riptide-telco-shift-test.csv";
  std::ofstream(path)
      << "customerID,Contract,Churn\n1,Two year,No\n2,One year\n3,Month-to-month,Yes\n";
  rs::telco_shift stream{{.path = path}};
  EXPECT_EQ(stream.records(), 2u);
  EXPECT_EQ(stream.unreadable(), 1u);  // the ragged row
  std::ofstream(path) << "a,b\n1,2\n";
  EXPECT_THROW(rs::telco_shift({.path = path}), std::invalid_argument);
  EXPECT_THROW(rs::telco_shift({.path = "/no/such/file.csv"}), std::system_error);
  std::remove(path.c_str());
}

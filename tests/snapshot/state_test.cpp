// State round trips through snapshot::saver and snapshot::loader (snapshot/archive.hpp): a
// component copied mid-stream goes on exactly as the original.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "riptide/features/encoder.hpp"
#include "riptide/learn/make_classifier.hpp"
#include "riptide/snapshot/archive.hpp"

namespace {

using riptide::features::sparse_vector;
using riptide::learn::any_classifier;
using riptide::learn::classifier_options;
using riptide::learn::make_classifier;
namespace snapshot = riptide::snapshot;

bool same_bits(const Eigen::VectorXf& a, const Eigen::VectorXf& b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), static_cast<std::size_t>(a.size()) * sizeof(float)) == 0;
}

// A stream of sparse records from a seed (labels depend on the features: something to learn).
struct stream {
  std::uint64_t state;
  std::pair<sparse_vector, bool> next() {
    sparse_vector x;
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    const auto r = state >> 33;
    const std::uint32_t a = static_cast<std::uint32_t>(r % 7),
                        b = 7 + static_cast<std::uint32_t>((r >> 3) % 50);
    x.push(a, 1.0f);
    x.push(b, static_cast<float>((r >> 9) % 100) / 50.0f - 1.0f);
    return {x, (a + (r >> 20) % 3) % 2 == 0};
  }
};

TEST(SnapshotState, ClassifierResumesBitForBit) {
  for (const std::string optimizer : {"sgd", "adagrad", "ftrl", "adaptive", "auto"})
    for (const double lr : {0.0, 0.05})
      for (const std::size_t batch : {std::size_t{1}, std::size_t{3}}) {
        const classifier_options o{.optimizer = optimizer,
                                   .lr = lr,
                                   .l1 = 0.001,
                                   .class_weight = "balanced",
                                   .batch_size = batch,
                                   .race_window = 50,
                                   .race_records = 300};
        auto a = make_classifier(o);
        stream s{42};
        for (int i = 0; i < 200; ++i) {
          auto [x, y] = s.next();
          a.learn_one(x, y);
        }
        auto b = make_classifier(o);
        snapshot::copy_state(a, b);
        for (int i = 0; i < 400; ++i) {
          auto [x, y] = s.next();
          const float pa = a.predict_then_learn(x, y), pb = b.predict_then_learn(x, y);
          ASSERT_EQ(std::memcmp(&pa, &pb, sizeof pa), 0)
              << optimizer << " lr " << lr << " at " << i;
        }
        EXPECT_TRUE(same_bits(a.weights(), b.weights())) << optimizer << " lr " << lr;
        EXPECT_EQ(a.describe().leader, b.describe().leader);
        EXPECT_EQ(a.describe().committed, b.describe().committed);
      }
}

TEST(SnapshotState, ServeKindKeepsTheWeightsOnly) {
  auto a = make_classifier({.optimizer = "adagrad", .lr = 0.1});
  stream s{7};
  for (int i = 0; i < 100; ++i) {
    auto [x, y] = s.next();
    a.learn_one(x, y);
  }
  snapshot::saver sv(snapshot::kind::serve);
  a.state(sv);
  EXPECT_EQ(sv.arrays().size(), 1u);
  EXPECT_FALSE(sv.state().contains("optimizer"));
  auto b = make_classifier({.optimizer = "adagrad", .lr = 0.1});
  snapshot::copy_state(a, b, snapshot::kind::serve);
  EXPECT_TRUE(same_bits(a.weights(), b.weights()));
}

TEST(SnapshotState, LoaderNamesWhatIsMissing) {
  auto a = make_classifier({.optimizer = "ftrl", .lr = 0.1});
  snapshot::saver sv(snapshot::kind::resume);
  a.state(sv);
  auto st = sv.state();
  st["optimizer"].erase("z");
  const auto arrays = snapshot::arrays_of(sv);
  snapshot::loader l(snapshot::kind::resume, st, arrays);
  try {
    a.state(l);
    FAIL() << "loaded a state without z";
  } catch (const snapshot::error& e) {
    EXPECT_EQ(std::string(e.what()), "state.optimizer.z: missing");
  }
}

TEST(SnapshotState, TextsThatAreNotUtf8RoundTrip) {
  EXPECT_TRUE(snapshot::detail::is_utf8("caf\xc3\xa9"));
  EXPECT_FALSE(snapshot::detail::is_utf8("caf\xe9"));
  EXPECT_FALSE(snapshot::detail::is_utf8("\xc0\x80"));      // overlong
  EXPECT_FALSE(snapshot::detail::is_utf8("\xed\xa0\x80"));  // surrogate
  EXPECT_FALSE(snapshot::detail::is_utf8("\xe2\x82"));      // truncated
  riptide::features::category_dictionary d, e;
  d.insert("caf\xe9", 3);
  d.insert("ok", 4);
  snapshot::copy_state(d, e);
  EXPECT_EQ(e.find("caf\xe9"), 3u);
  EXPECT_EQ(e.find("ok"), 4u);
}

}  // namespace

// riptide::clean::messify: for any seed, the telco preset recovers the ground truth from the dirty
// variant: every recoverable record cleans to what its original cleans to, every unrecoverable
// one is quarantined, copies of records that came through are duplicates, counts add up.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <riptide/clean/apply.hpp>
#include <riptide/clean/infer.hpp>
#include <riptide/clean/messify.hpp>
#include <riptide/clean/preset.hpp>
#include <riptide/io/csv.hpp>

#include <cmath>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace clean = riptide::clean;

namespace {

// The first `n` records of the bundled train data (they include blank TotalCharges rows).
const std::string& telco_head() {
  static const std::string text = [] {
    std::ifstream in(std::string(RIPTIDE_SOURCE_DIR) + "/data/telco_customer_churn_train_data.csv",
                     std::ios::binary);
    std::string all{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::size_t pos = 0;
    for (int lines = 0; lines < 1 + 800 && pos != std::string::npos; ++lines)
      pos = all.find('\n', pos + 1);
    return all.substr(0, pos + 1);
  }();
  return text;
}

struct outcome {
  clean::disposition status;
  std::vector<riptide::value> values;
  std::string reason;
};

std::vector<outcome> clean_all(const std::string& csv) {
  auto chain = clean::preset("telco");
  std::vector<outcome> out;
  for (const riptide::io::record_view& rec : riptide::io::read_csv_text(csv)) {
    const auto& row = chain.process(rec);
    out.push_back({row.status, row.values, row.reason});
  }
  EXPECT_TRUE(chain.report().balanced());
  return out;
}

bool same_values(const std::vector<riptide::value>& a, const std::vector<riptide::value>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].is_real() && b[i].is_real()) {
      if (std::fabs(a[i].as_real() - b[i].as_real()) > 1e-9 * std::fabs(b[i].as_real()))
        return false;
    } else if (!(a[i] == b[i])) {
      return false;
    }
  }
  return true;
}

bool flows(clean::disposition d) {
  return d == clean::disposition::clean || d == clean::disposition::repaired;
}

}  // namespace

RC_GTEST_PROP(CleanMessify, TelcoPresetRecoversTheGroundTruth, ()) {
  const auto seed = *rc::gen::arbitrary<std::uint64_t>();
  const auto& original_csv = telco_head();
  const auto original = clean_all(original_csv);
  const auto m = clean::messify(original_csv, seed);
  const auto dirty = clean_all(m.csv);
  RC_ASSERT(dirty.size() == m.truth.size());
  std::map<std::size_t, bool> came_through;  // source -> an earlier record of it flowed
  for (std::size_t j = 0; j < dirty.size(); ++j) {
    const auto& t = m.truth[j];
    const auto& got = dirty[j];
    const auto& want = original.at(t.source);
    RC_LOG() << "seed " << seed << " record " << j << " source " << t.source << " status "
             << clean::to_string(got.status) << " reason " << got.reason << " unrecoverable "
             << t.unrecoverable << "\n";
    if (!t.unrecoverable.empty() || !flows(want.status)) {
      RC_ASSERT(got.status == clean::disposition::quarantined);
      RC_ASSERT(!got.reason.empty());
      continue;
    }
    if (came_through[t.source]) {
      RC_ASSERT(got.status == clean::disposition::duplicate);
      continue;
    }
    RC_ASSERT(flows(got.status));
    RC_ASSERT(same_values(got.values, want.values));
    came_through[t.source] = true;
  }
}

TEST(CleanMessify, SameSeedSameOutputAndTruthJson) {
  const auto a = clean::messify(telco_head(), 42);
  const auto b = clean::messify(telco_head(), 42);
  const auto c = clean::messify(telco_head(), 43);
  EXPECT_EQ(a.csv, b.csv);
  EXPECT_NE(a.csv, c.csv);
  const auto json = a.truth_json();
  EXPECT_EQ(json.rfind("{\"file_messes\":[", 0), 0u);
  std::size_t bad = 0, copies = 0, messy = 0;
  for (const auto& t : a.truth) {
    bad += !t.unrecoverable.empty();
    copies += t.copy;
    messy += !t.messes.empty();
  }
  // 800 records: every kind of mess shows up.
  EXPECT_GT(bad, 10u);
  EXPECT_GT(copies, 4u);
  EXPECT_GT(messy, 150u);
}

namespace {

// The generic chain, inferred from the records of `csv` themselves (as for an unknown dataset).
std::vector<outcome> clean_generic(const std::string& csv) {
  clean::inference inf;
  for (const riptide::io::record_view& rec : riptide::io::read_csv_text(csv)) inf.add(rec);
  auto chain = inf.make_chain();
  std::vector<outcome> out;
  for (const riptide::io::record_view& rec : riptide::io::read_csv_text(csv)) {
    const auto& row = chain.process(rec);
    out.push_back({row.status, row.values, row.reason});
  }
  EXPECT_TRUE(chain.report().balanced());
  return out;
}

}  // namespace

RC_GTEST_PROP(CleanMessify, GenericChainRecoversTheGroundTruthWithoutRules, ()) {
  const auto seed = *rc::gen::arbitrary<std::uint64_t>();
  const auto& original_csv = telco_head();
  const auto original = clean_generic(original_csv);
  const auto m = clean::messify(original_csv, seed);
  const auto dirty = clean_generic(m.csv);
  RC_ASSERT(dirty.size() == m.truth.size());
  std::map<std::size_t, bool> came_through;
  for (std::size_t j = 0; j < dirty.size(); ++j) {
    const auto& t = m.truth[j];
    const auto& got = dirty[j];
    const auto& want = original.at(t.source);
    RC_LOG() << "seed " << seed << " record " << j << " source " << t.source << " status "
             << clean::to_string(got.status) << " reason " << got.reason << " unrecoverable "
             << t.unrecoverable << "\n";
    RC_ASSERT(flows(want.status));  // the clean original has nothing to reject
    if (!t.unrecoverable.empty()) {
      RC_ASSERT(got.status == clean::disposition::quarantined);
      continue;
    }
    if (came_through[t.source]) {
      RC_ASSERT(got.status == clean::disposition::duplicate);
      continue;
    }
    RC_ASSERT(flows(got.status));
    RC_ASSERT(same_values(got.values, want.values));
    came_through[t.source] = true;
  }
}

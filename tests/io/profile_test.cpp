// Type inference, HyperLogLog, frequent items and the dataset profile.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <riptide/io/csv.hpp>
#include <riptide/io/jsonl.hpp>
#include <riptide/io/profile.hpp>
#include <riptide/io/type_inference.hpp>
#include <riptide/sketch/frequent_items.hpp>
#include <riptide/sketch/hyperloglog.hpp>
#include <string>
#include <vector>

namespace io = riptide::io;
namespace sketch = riptide::sketch;

TEST(TypeInference, ClassifiesFields) {
  using vc = io::value_class;
  const auto cls = [](std::string_view s) { return io::classify(s).cls; };
  for (std::string_view s : {"", " ", "NULL", "null", "None", "NaN", "nan", "N/A", "n/a", "NA",
                             "#N/A", "<NA>", "  null\t"})
    EXPECT_EQ(cls(s), vc::null) << s;
  EXPECT_EQ(cls("true"), vc::boolean);
  EXPECT_EQ(cls("FALSE"), vc::boolean);
  EXPECT_EQ(cls("Yes"), vc::text);
  EXPECT_EQ(cls("42"), vc::integer);
  EXPECT_EQ(cls("-42"), vc::integer);
  EXPECT_EQ(cls("+42"), vc::integer);
  EXPECT_EQ(cls(" 7 "), vc::integer);
  EXPECT_EQ(cls("29.85"), vc::real);
  EXPECT_EQ(cls("-2e-3"), vc::real);
  EXPECT_EQ(cls(".5"), vc::real);
  EXPECT_EQ(cls("99999999999999999999"), vc::real);  // beyond int64
  EXPECT_EQ(cls("1,234"), vc::text);
  EXPECT_EQ(cls("12abc"), vc::text);
  EXPECT_EQ(cls("+-1"), vc::text);
  EXPECT_EQ(cls("-"), vc::text);
  EXPECT_EQ(cls("7590-VHVEG"), vc::text);
  EXPECT_EQ(io::classify(" 29.85").real, 29.85);
  EXPECT_EQ(io::classify("-17").integer, -17);
  // JSON kinds are trusted.
  char buf[32];
  EXPECT_EQ(io::classify(io::field{"1", io::field_kind::real}, buf).cls, vc::real);
  EXPECT_EQ(io::classify(io::field{"null", io::field_kind::null}, buf).cls, vc::null);
  EXPECT_EQ(io::classify(io::field{"false", io::field_kind::boolean}, buf).cls, vc::boolean);
}

TEST(TypeInference, ColumnTypeIsTheNarrowestHoldingAllValues) {
  const auto type_of = [](std::vector<std::string_view> values) {
    io::type_inference t;
    for (auto v : values) t.add(io::field{v, io::field_kind::text});
    return t.type();
  };
  using ct = io::column_type;
  EXPECT_EQ(type_of({"", "NA"}), ct::empty);
  EXPECT_EQ(type_of({"1", "", "3"}), ct::integer);
  EXPECT_EQ(type_of({"1", "2.5", "NULL"}), ct::real);
  EXPECT_EQ(type_of({"true", "False", ""}), ct::boolean);
  EXPECT_EQ(type_of({"true", "1"}), ct::text);
  EXPECT_EQ(type_of({"1", "x"}), ct::text);
}

RC_GTEST_PROP(TypeInferenceProperty, PrintedNumbersClassifyBack, (std::int64_t i, double d)) {
  const auto ci = io::classify(std::to_string(i));
  RC_ASSERT(ci.cls == io::value_class::integer);
  RC_ASSERT(ci.integer == i);
  RC_PRE(std::isfinite(d));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  const auto cd = io::classify(buf);
  RC_ASSERT(cd.cls == io::value_class::integer || cd.cls == io::value_class::real);
  RC_ASSERT(cd.real == d);
}

TEST(HyperLogLog, SmallCountsAreNearlyExactAndLargeOnesWithinTheErrorBound) {
  for (const std::uint64_t n : {0ull, 1ull, 10ull, 100ull, 1000ull, 100000ull, 1000000ull}) {
    sketch::hyperloglog h;
    for (std::uint64_t i = 0; i < n; ++i) {
      h.add("item-" + std::to_string(i));
      if (i % 3 == 0) h.add("item-" + std::to_string(i));  // repeats do not count
    }
    const double tolerance =
        n <= 1000 ? 0.02 * static_cast<double>(n) + 1 : 4 * h.relative_error() * n;
    EXPECT_NEAR(h.estimate(), static_cast<double>(n), tolerance) << n;
  }
}

TEST(HyperLogLog, MergeCountsTheUnion) {
  sketch::hyperloglog a, b;
  for (int i = 0; i < 30000; ++i) a.add(std::to_string(i));
  for (int i = 20000; i < 50000; ++i) b.add(std::to_string(i));
  a.merge(b);
  EXPECT_NEAR(a.estimate(), 50000.0, 50000.0 * 4 * a.relative_error());
  EXPECT_THROW(a.merge(sketch::hyperloglog{10}), std::invalid_argument);
  EXPECT_THROW(sketch::hyperloglog{3}, std::invalid_argument);
}

TEST(FrequentItems, ExactWhileFewDistinctAndKeepsHeavyHittersAfter) {
  sketch::frequent_items f{4};
  for (int i = 0; i < 30; ++i) f.add(i % 3 == 0 ? "a" : "b");
  EXPECT_TRUE(f.exact());
  EXPECT_EQ(f.top(2)[0].item, "b");
  EXPECT_EQ(f.top(2)[0].count, 20u);
  EXPECT_EQ(f.top(2)[1].count, 10u);
  for (int i = 0; i < 1000; ++i) {
    f.add("heavy");
    f.add("noise" + std::to_string(i));
  }
  EXPECT_FALSE(f.exact());
  const auto top = f.top(1);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].item, "heavy");
  EXPECT_GE(top[0].count + f.max_error(), 1000u);
  EXPECT_LE(top[0].count, 1000u);
}

TEST(Profile, TelcoTotalChargesIsRealWithElevenBlanks) {
  io::dataset_profile p;
  for (const auto& r :
       io::read_csv(std::string(RIPTIDE_SOURCE_DIR) + "/data/telco_customer_churn_train_data.csv"))
    p.add(r);
  EXPECT_EQ(p.records(), 7043u);
  EXPECT_EQ(p.errors(), 0u);
  ASSERT_EQ(p.size(), 21u);
  const auto& total = p.column(19);
  EXPECT_EQ(total.name(), "TotalCharges");
  EXPECT_EQ(total.type(), io::column_type::real);
  EXPECT_EQ(total.nulls(), 11u);
  EXPECT_EQ(total.null_values().at(" "), 11u);
  EXPECT_EQ(total.numbers().count, 7032u);
  EXPECT_EQ(p.column(5).name(), "tenure");
  EXPECT_EQ(p.column(5).type(), io::column_type::integer);
  EXPECT_TRUE(p.column(1).categorical());   // gender
  EXPECT_FALSE(p.column(0).categorical());  // customerID
  EXPECT_NEAR(p.column(0).distinct(), 7043.0, 7043 * 0.04);
  EXPECT_EQ(p.column(1).top(2).size(), 2u);
}

TEST(Profile, JsonlColumnsAppearingLateCountAsMissingBefore) {
  io::dataset_profile p;
  for (const auto& r :
       io::read_jsonl_text("{\"a\":1}\n{\"a\":2}\n{\"a\":null,\"b\":true}\nnot json\n"))
    p.add(r);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p.records(), 4u);
  EXPECT_EQ(p.errors(), 1u);
  EXPECT_EQ(p.errors_by_reason().at("json_syntax"), 1u);
  ASSERT_EQ(p.error_samples().size(), 1u);
  EXPECT_EQ(p.error_samples()[0].where.line, 4u);
  EXPECT_EQ(p.column(0).type(), io::column_type::integer);
  EXPECT_EQ(p.column(0).nulls(), 1u);
  EXPECT_EQ(p.column(1).type(), io::column_type::boolean);
  EXPECT_EQ(p.column(1).inference().missing(), 2u);
  EXPECT_EQ(p.column(1).true_count(), 1u);
}

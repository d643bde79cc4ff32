// riptide::features: encoder (one-hot, hashing, standardisation, bucketing, interactions), the
// encode adaptor, train/serve consistency.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <ranges>
#include <set>
#include <string>
#include <vector>

#include "riptide/clean/chain.hpp"
#include "riptide/clean/row.hpp"
#include "riptide/clean/trim.hpp"
#include "riptide/features/encode.hpp"
#include "riptide/features/encoder.hpp"
#include "riptide/features/feature_hash.hpp"
#include "riptide/features/standard_scaler.hpp"
#include "riptide/io/csv.hpp"
#include "riptide/value.hpp"

namespace f = riptide::features;
using riptide::value;
using riptide::clean::row;

namespace {
std::shared_ptr<const riptide::clean::columns> names(std::vector<std::string> n) {
  return std::make_shared<const riptide::clean::columns>(riptide::clean::columns{std::move(n)});
}
row make_row(std::shared_ptr<const riptide::clean::columns> cols, std::vector<value> values) {
  row r;
  r.names = std::move(cols);
  r.values = std::move(values);
  return r;
}
bool same(const f::sparse_vector& a, const f::sparse_vector& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].index != b[i].index || a[i].value != b[i].value) return false;
  return true;
}
bool unique_indices(const f::sparse_vector& v) {
  std::set<std::uint32_t> s;
  for (const auto& e : v) s.insert(e.index);
  return s.size() == v.size();
}

// Random rows over a fixed set of columns: text (small alphabet), int, real, nulls.
rc::Gen<std::vector<row>> gen_rows(std::shared_ptr<const riptide::clean::columns> cols) {
  const auto value_gen = rc::gen::oneOf(
      rc::gen::map(rc::gen::element<std::string>("a", "b", "c", "d", "e", "f"),
                   [](const std::string& s) { return value::of_text(s); }),
      rc::gen::map(rc::gen::inRange(-50, 50), [](int i) { return value::of_int(i); }),
      rc::gen::map(rc::gen::inRange(-1000, 1000), [](int i) { return value::of_real(i / 7.0); }),
      rc::gen::just(value{}));
  return rc::gen::container<std::vector<row>>(
      rc::gen::map(rc::gen::container<std::vector<value>>(cols->size(), value_gen),
                   [cols](std::vector<value> v) { return make_row(cols, std::move(v)); }));
}
}  // namespace

TEST(Encoder, OneHotGrowsAndMapsUnseenValuesToTheReservedSlot) {
  const auto cols = names({"contract", "churn"});
  f::encoder enc{{.label = "churn", .positive = "Yes"}};
  f::sparse_vector x;
  const auto monthly = make_row(cols, {value::of_text("Month-to-month"), value::of_text("yes")});
  enc.learn_one(monthly, x);  // a new column: nothing to encode yet; the state learns it
  EXPECT_EQ(x.size(), 0u);
  enc.learn_one(monthly, x);
  EXPECT_EQ(enc.feature_name(x[0].index), "contract=Month-to-month");
  const auto monthly_slot = x[0].index;
  const auto one_year = make_row(cols, {value::of_text("One year"), value::of_text("No")});
  enc.learn_one(one_year, x);  // first sight of a value: unseen, then added
  EXPECT_EQ(enc.feature_name(x[0].index), "contract=<unseen>");
  enc.transform(one_year, x);
  ASSERT_EQ(x.size(), 1u);
  EXPECT_NE(x[0].index, monthly_slot);
  EXPECT_EQ(enc.feature_name(x[0].index), "contract=One year");
  const auto dim = enc.dimension();
  enc.transform(make_row(cols, {value::of_text("Two year"), value{}}), x);
  EXPECT_EQ(enc.feature_name(x[0].index), "contract=<unseen>");
  EXPECT_EQ(enc.dimension(), dim);  // frozen: no growth at inference
  enc.transform(make_row(cols, {value{}, value{}}), x);
  EXPECT_EQ(enc.feature_name(x[0].index), "contract=<null>");
  EXPECT_EQ(enc.label_of(make_row(cols, {value{}, value::of_text("YES")})), true);
  EXPECT_EQ(enc.label_of(make_row(cols, {value{}, value::of_text("no")})), false);
  EXPECT_EQ(enc.label_of(make_row(cols, {value{}, value{}})), std::nullopt);
}

TEST(Encoder, MaxCategoriesSendsOverflowToTheUnseenSlot) {
  const auto cols = names({"id_like"});
  f::encoder enc{{.max_categories = 2}};
  f::sparse_vector x;
  for (const char* v : {"a", "b", "c", "d"}) enc.learn_one(make_row(cols, {value::of_text(v)}), x);
  EXPECT_EQ(enc.feature_name(x[0].index), "id_like=<unseen>");
}

TEST(Encoder, NumericColumnsAreStandardisedWithWelfordStatistics) {
  const auto cols = names({"charges"});
  f::encoder enc;
  f::sparse_vector x;
  const std::vector<double> xs{10, 20, 30, 40, 55.5};
  f::standard_scaler ref;
  for (double v : xs) {
    enc.learn_one(make_row(cols, {value::of_real(v)}), x);
    const double expected = ref.transform(v);  // statistics before this record
    ref.learn(v);
    if (expected == 0.0) {
      EXPECT_EQ(x.size(), 0u);
    } else {
      ASSERT_EQ(x.size(), 1u);
      EXPECT_NEAR(x[0].value, expected, 1e-6);
    }
  }
  // numpy.mean / numpy.std([10, 20, 30, 40, 55.5]) (population std): 31.1, 15.774663229368796
  EXPECT_NEAR(ref.mean(), 31.1, 1e-12);
  EXPECT_NEAR(ref.stddev(), 15.774663229368796, 1e-9);
  enc.transform(make_row(cols, {value{}}), x);  // null: the missing indicator
  ASSERT_EQ(x.size(), 1u);
  EXPECT_EQ(enc.feature_name(x[0].index), "charges=<null>");
  enc.transform(make_row(cols, {value::of_text("n/a")}), x);  // text in a numeric column
  EXPECT_EQ(enc.feature_name(x[0].index), "charges=<null>");
}

// The deviation kept with every learn is the one the statistics give at that moment, bit for bit
// (transform divides by it without recomputing it).
RC_GTEST_PROP(EncoderProps, ScalerKeepsTheDeviationOfItsStatistics, (std::vector<double> xs)) {
  f::standard_scaler s;
  RC_ASSERT(s.stddev() == 0.0 && s.transform(1.0) == 0.0);
  for (const double x : xs) {
    RC_PRE(std::isfinite(x) && std::fabs(x) < 1e150);
    s.learn(x);
    const double sd = std::sqrt(s.variance());
    RC_ASSERT(s.stddev() == sd);
    RC_ASSERT(s.transform(x) == (sd > 0.0 ? (x - s.mean()) / sd : 0.0));
  }
}

TEST(Encoder, BucketingRawHashingAndIgnore) {
  const auto cols = names({"id", "tenure", "score", "city", "noise"});
  f::encoder enc{{.id = "id",
                  .ignore = {"noise"},
                  .columns = {{"tenure", f::column_kind::bucketed, {12, 24, 48}},
                              {"score", f::column_kind::raw},
                              {"city", f::column_kind::hashed}},
                  .hash_bits = 10}};
  f::sparse_vector x;
  const auto r = make_row(cols, {value::of_text("c-1"), value::of_int(30), value::of_real(2.5),
                                 value::of_text("Paris"), value::of_int(7)});
  enc.learn_one(r, x);
  EXPECT_EQ(x.size(), 0u);  // the columns are learned from the first row
  enc.transform(r, x);
  ASSERT_EQ(x.size(), 3u);
  std::set<std::string> got;
  for (const auto& e : x) got.insert(enc.feature_name(e.index));
  EXPECT_TRUE(got.count("tenure[2]")) << *got.begin();  // 24 < 30 <= 48
  EXPECT_TRUE(got.count("score"));
  const auto h = f::feature_hash{10}.slot(f::feature_hash{10}.column_seed("city"), "Paris");
  EXPECT_TRUE(got.count("hash:" + std::to_string(h.index)));
  for (const auto& e : x) {
    if (e.index == h.index) {
      EXPECT_EQ(e.value, h.sign);
    }
  }
  EXPECT_EQ(enc.kind_of("noise"), f::column_kind::ignore);
  EXPECT_EQ(enc.kind_of("id"), f::column_kind::ignore);
  EXPECT_THROW(f::encoder({.columns = {{"t", f::column_kind::bucketed, {3, 1}}}}),
               std::invalid_argument);
}

TEST(Encoder, InteractionsCrossTheNamedGroups) {
  const auto cols = names({"contract", "internet", "tenure"});
  f::encoder enc{{.columns = {{"tenure", f::column_kind::raw}},
                  .interactions = {{{"contract"}, {"internet", "tenure"}}},
                  .hash_bits = 16}};
  f::sparse_vector x;
  const auto r =
      make_row(cols, {value::of_text("Monthly"), value::of_text("Fiber"), value::of_int(3)});
  enc.learn_one(r, x);
  enc.learn_one(r, x);
  // 3 base features + contract x internet + contract x tenure
  EXPECT_EQ(x.size(), 5u);
  EXPECT_TRUE(unique_indices(x));
  bool has_tenure_cross = false;
  for (const auto& e : x)
    has_tenure_cross |= std::fabs(std::fabs(e.value) - 3.0f) < 1e-6f &&
                        enc.feature_name(e.index).rfind("hash:", 0) == 0;
  EXPECT_TRUE(has_tenure_cross);
}

RC_GTEST_PROP(EncoderProps, TrainAndServeGiveIdenticalVectors, ()) {
  // What learn_one feeds the model equals what transform serves from the same state.
  const auto cols = names({"a", "b", "c", "label"});
  const auto rows = *gen_rows(cols);
  const bool hashed = *rc::gen::arbitrary<bool>();
  f::encoder_options opt{.label = "label", .positive = "a"};
  if (hashed) {
    opt.columns = {{"b", f::column_kind::hashed}};
    opt.interactions = {{{"a"}, {"c"}}};
    opt.hash_bits = 8;
  }
  f::encoder enc{opt};
  f::sparse_vector trained, served;
  for (const auto& r : rows) {
    enc.transform(r, served);
    enc.learn_one(r, trained);
    RC_ASSERT(same(trained, served));
    RC_ASSERT(unique_indices(trained));
    for (const auto& e : trained) RC_ASSERT(e.index < enc.dimension());
  }
}

RC_GTEST_PROP(EncoderProps, EncodingIsDeterministic, ()) {
  const auto cols = names({"a", "b", "c"});
  const auto rows = *gen_rows(cols);
  f::encoder one{{.interactions = {{{"a", "b"}, {"c"}}}, .hash_bits = 12}};
  f::encoder two{{.interactions = {{{"a", "b"}, {"c"}}}, .hash_bits = 12}};
  f::sparse_vector x, y;
  for (const auto& r : rows) {
    one.learn_one(r, x);
    // the same content under another columns object: the layout is by name
    auto copy = r;
    copy.names = std::make_shared<const riptide::clean::columns>(*r.names);
    two.learn_one(copy, y);
    RC_ASSERT(same(x, y));
  }
}

TEST(Encoder, NoAllocationOnceWarm) {
  const auto cols = names({"a", "b"});
  f::encoder enc;
  f::sparse_vector x;
  const auto r1 = make_row(cols, {value::of_text("p"), value::of_real(1.0)});
  const auto r2 = make_row(cols, {value::of_text("q"), value::of_real(2.0)});
  for (int i = 0; i < 10; ++i) enc.learn_one(i % 2 ? r1 : r2, x);
  const auto* data = x.begin();
  const auto dim = enc.dimension();
  for (int i = 0; i < 1000; ++i) enc.learn_one(i % 2 ? r1 : r2, x);
  EXPECT_EQ(x.begin(), data);  // the buffer was reused, never reallocated
  EXPECT_EQ(enc.dimension(), dim);
}

TEST(Encode, AdaptorSkipsQuarantinedRowsAndCarriesLabels) {
  const auto cols = names({"plan", "churn"});
  std::vector<row> rows;
  rows.push_back(make_row(cols, {value::of_text("basic"), value::of_text("no")}));
  rows.push_back(make_row(cols, {value::of_text("pro"), value::of_text("yes")}));
  rows.push_back(make_row(cols, {value::of_text("pro"), value::of_text("yes")}));
  rows.back().status = riptide::clean::disposition::duplicate;
  rows.push_back(make_row(cols, {value::of_text("pro"), value{}}));
  rows.back().status = riptide::clean::disposition::repaired;
  f::encoder enc{{.label = "churn", .positive = "yes"}};
  std::vector<std::optional<bool>> labels;
  std::vector<const row*> seen;
  for (const auto& ex : rows | f::encode(enc)) {
    labels.push_back(ex.label);
    seen.push_back(ex.row);
    EXPECT_EQ(ex.x.size(), seen.size() == 1 ? 0u : 1u);  // the first row meets a new column
  }
  ASSERT_EQ(labels.size(), 3u);
  EXPECT_EQ(labels[0], false);
  EXPECT_EQ(labels[1], true);
  EXPECT_EQ(labels[2], std::nullopt);
  EXPECT_EQ(seen[2], &rows[3]);
  // serving with the frozen state gives the same slots
  std::vector<std::uint32_t> served;
  for (const auto& ex : rows | f::transform(enc)) served.push_back(ex.x[0].index);
  ASSERT_EQ(served.size(), 3u);
  EXPECT_EQ(served[1], served[2]);
}

TEST(Encoder, NumericTextIsReadAsNumbersAndBoolLabelsFollowPositive) {
  // Untyped CSV fields: a column whose first value reads as a number is numeric.
  const auto cols = names({"amount", "plan", "paid"});
  f::encoder enc{{.label = "paid", .positive = "no"}};
  f::sparse_vector x;
  for (const char* a : {"10", "+20", "3e1", "oops"})
    enc.learn_one(make_row(cols, {value::of_text(a), value::of_text("12a"), value::of_bool(true)}),
                  x);
  EXPECT_EQ(enc.kind_of("amount"), f::column_kind::numeric);
  EXPECT_EQ(enc.kind_of("plan"), f::column_kind::categorical);
  enc.transform(make_row(cols, {value::of_text("40"), value{}, value{}}), x);
  ASSERT_GE(x.size(), 1u);
  EXPECT_EQ(enc.feature_name(x[0].index), "amount");
  EXPECT_NEAR(x[0].value, (40.0 - 20.0) / std::sqrt(200.0 / 3.0), 1e-5);  // stats of 10, 20, 30
  enc.transform(make_row(cols, {value::of_text("oops"), value{}, value{}}), x);
  EXPECT_EQ(enc.feature_name(x[0].index), "amount=<null>");
  // positive = "no" on a bool label: the false rows are the positives
  EXPECT_EQ(enc.label_of(make_row(cols, {value{}, value{}, value::of_bool(false)})), true);
  EXPECT_EQ(enc.label_of(make_row(cols, {value{}, value{}, value::of_bool(true)})), false);
}

TEST(Encode, ComposesWithStdViewsAndRangeV3Views) {
  const auto cols = names({"plan", "churn"});
  std::vector<row> rows;
  for (int i = 0; i < 6; ++i)
    rows.push_back(
        make_row(cols, {value::of_text(i % 2 ? "a" : "b"), value::of_text(i % 2 ? "yes" : "no")}));
  f::encoder enc{{.label = "churn", .positive = "yes"}};
  int n = 0;
  for (const auto& ex : rows | std::views::take(4) | f::encode(enc)) n += ex.label.has_value();
  EXPECT_EQ(n, 4);
  // an rvalue view is moved into the adaptor
  for (const auto& ex : std::views::all(rows) | f::transform(enc)) n += ex.label.has_value();
  EXPECT_EQ(n, 10);
}

// Value identities are each chain's own: two chains hand out the same identities to different
// values, and an encoder scratch fed by both must not serve one's slot for the other's value.
TEST(Encoder, IdentitiesOfTwoChainsNeverMeetInOneScratch) {
  riptide::features::encoder enc{{.label = "y", .positive = "1"}};
  auto a = riptide::clean::chain{}.then(riptide::clean::trim{});
  auto b = riptide::clean::chain{}.then(riptide::clean::trim{});
  auto ra = riptide::io::read_csv_text("c,y\n x,1\nx ,1\n");
  auto rb = riptide::io::read_csv_text("c,y\n y,0\ny ,0\n");
  riptide::features::sparse_vector x;
  std::vector<std::uint32_t> ids_a, ids_b;
  std::vector<std::string> slots_a, slots_b;
  for (int pass = 0; pass < 2; ++pass) {  // the first pass learns both values, the second serves
    auto ia = ra.begin();
    auto ib = rb.begin();
    for (int i = 0; i < 2; ++i, ++ia, ++ib) {
      for (const bool first : {true, false}) {
        const auto& row = first ? a.process(*ia) : b.process(*ib);
        if (pass == 0) {
          enc.learn_one(row, x);
          continue;
        }
        (first ? ids_a : ids_b).push_back(row.values[0].identity());
        enc.transform(row, x);
        ASSERT_EQ(x.size(), 1u);
        (first ? slots_a : slots_b).push_back(enc.feature_name(x[0].index));
      }
    }
    if (pass == 0) {
      ra = riptide::io::read_csv_text("c,y\n x,1\nx ,1\n");
      rb = riptide::io::read_csv_text("c,y\n y,0\ny ,0\n");
    }
  }
  ASSERT_NE(ids_a[0], 0u);
  EXPECT_EQ(ids_a, ids_b);  // the same identities, for different values
  EXPECT_EQ(slots_a, (std::vector<std::string>{"c=x", "c=x"}));
  EXPECT_EQ(slots_b, (std::vector<std::string>{"c=y", "c=y"}));
}

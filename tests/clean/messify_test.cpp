// riptide::synth::messify: for any seed, the telco preset recovers the ground truth from the dirty
// variant: every recoverable record cleans to what its original cleans to, every unrecoverable
// one is quarantined, copies of records that came through are duplicates, counts add up.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <riptide/clean/apply.hpp>
#include <riptide/clean/boolean.hpp>
#include <riptide/clean/case_fold.hpp>
#include <riptide/clean/cast.hpp>
#include <riptide/clean/infer.hpp>
#include <riptide/clean/map_values.hpp>
#include <riptide/clean/preset.hpp>
#include <riptide/clean/text.hpp>
#include <riptide/features/encoder.hpp>
#include <riptide/io/csv.hpp>
#include <riptide/io/jsonl.hpp>
#include <riptide/synth/messify.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "clean/same_row.hpp"

namespace clean = riptide::clean;
namespace synth = riptide::synth;

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
  std::vector<std::string> keys;  // column keys of the values (JSON Lines order keys freely)
  std::string reason;
};

using synth::messify_format;

// Calls f on every record of `text` read as `format`.
template <class F>
void for_each_record(const std::string& text, messify_format format, F f) {
  if (format == messify_format::csv) {
    for (const riptide::io::record_view& rec : riptide::io::read_csv_text(text)) f(rec);
  } else {
    for (const riptide::io::record_view& rec : riptide::io::read_jsonl_text(text)) f(rec);
  }
}

std::vector<outcome> clean_with(clean::chain& chain, const std::string& text,
                                messify_format format) {
  std::vector<outcome> out;
  for_each_record(text, format, [&](const riptide::io::record_view& rec) {
    const auto& row = chain.process(rec);
    std::vector<std::string> keys;
    if (row.names)
      for (const auto& n : row.names->names) keys.push_back(clean::text::column_key(n));
    out.push_back({row.status, row.values, std::move(keys), row.reason});
  });
  EXPECT_TRUE(chain.report().balanced());
  return out;
}

// The telco preset.
std::vector<outcome> clean_telco(const std::string& text, messify_format format) {
  auto chain = clean::preset("telco");
  return clean_with(chain, text, format);
}

// The generic chain, inferred from the records of `text` themselves (as for an unknown dataset).
std::vector<outcome> clean_generic(const std::string& text, messify_format format) {
  clean::inference inf;
  for_each_record(text, format, [&](const riptide::io::record_view& rec) { inf.add(rec); });
  auto chain = inf.make_chain();
  return clean_with(chain, text, format);
}

// Equal values; with `booleans_by_truth`, two boolean spellings of the same truth value are equal
// too (a JSON export writes true where the CSV said Yes, and the generic chain keeps the spelling
// most frequent in its input).
bool same_value(const riptide::value& a, const riptide::value& b, bool booleans_by_truth) {
  if (a.is_real() && b.is_real())
    return std::fabs(a.as_real() - b.as_real()) <= 1e-9 * std::fabs(b.as_real());
  if (a == b) return true;
  if (!booleans_by_truth) return false;
  std::string ta, tb;
  clean::format_value(a, ta);
  clean::format_value(b, tb);
  const auto ba = clean::parse_bool(ta), bb = clean::parse_bool(tb);
  return ba && bb && *ba == *bb;
}

// Same values column by column, matched by column key (the order may differ).
bool same_values(const outcome& got, const outcome& want, bool booleans_by_truth) {
  if (got.values.size() != want.values.size()) return false;
  for (std::size_t i = 0; i < want.values.size(); ++i) {
    const auto j =
        got.keys == want.keys
            ? i
            : static_cast<std::size_t>(
                  std::find(got.keys.begin(), got.keys.end(), want.keys.at(i)) - got.keys.begin());
    if (j >= got.values.size() || !same_value(got.values[j], want.values[i], booleans_by_truth))
      return false;
  }
  return true;
}

bool flows(clean::disposition d) {
  return d == clean::disposition::clean || d == clean::disposition::repaired;
}

// messify(first 800 Telco records, seed) written as `format` and cleaned by `cleanse` recovers
// the ground truth: every recoverable record cleans to what its original cleans to, every
// unrecoverable one (or one whose original is rejected) is quarantined with a reason, later
// copies of a record that came through are duplicates. With `originals_flow`, the cleaner must
// also pass every original record.
template <class Cleanse>
void check_recovery(std::uint64_t seed, messify_format format, Cleanse cleanse,
                    bool originals_flow) {
  const auto& original_csv = telco_head();
  const auto original = cleanse(original_csv, messify_format::csv);
  const auto m = synth::messify(original_csv, seed, {.format = format});
  const auto dirty = cleanse(m.text, format);
  RC_ASSERT(dirty.size() == m.truth.size());
  std::map<std::size_t, bool> came_through;  // source -> an earlier record of it flowed
  for (std::size_t j = 0; j < dirty.size(); ++j) {
    const auto& t = m.truth[j];
    const auto& got = dirty[j];
    const auto& want = original.at(t.source);
    RC_LOG() << "seed " << seed << " record " << j << " source " << t.source << " status "
             << clean::to_string(got.status) << " reason " << got.reason << " unrecoverable "
             << t.unrecoverable << "\n";
    if (originals_flow) RC_ASSERT(flows(want.status));
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
    RC_ASSERT(same_values(got, want, format == messify_format::jsonl));
    came_through[t.source] = true;
  }
}

}  // namespace

RC_GTEST_PROP(CleanMessify, TelcoPresetRecoversTheGroundTruth, ()) {
  check_recovery(*rc::gen::arbitrary<std::uint64_t>(), messify_format::csv, clean_telco, false);
}

RC_GTEST_PROP(CleanMessify, TelcoPresetRecoversTheGroundTruthFromJsonLines, ()) {
  check_recovery(*rc::gen::arbitrary<std::uint64_t>(), messify_format::jsonl, clean_telco, false);
}

RC_GTEST_PROP(CleanMessify, GenericChainRecoversTheGroundTruthWithoutRules, ()) {
  check_recovery(*rc::gen::arbitrary<std::uint64_t>(), messify_format::csv, clean_generic, true);
}

RC_GTEST_PROP(CleanMessify, GenericChainRecoversTheGroundTruthFromJsonLines, ()) {
  check_recovery(*rc::gen::arbitrary<std::uint64_t>(), messify_format::jsonl, clean_generic, true);
}

namespace {

// `chain` run as configured (its leading per-value operators column by column, with remembered
// results) and step by step (fuse(false)) on `text`: the same disposition, reason, values (type
// and content) and repairs (in the same order) for every record, and the same report.
void check_fused_equals_step_by_step(const clean::chain& chain, const std::string& text,
                                     messify_format format) {
  auto fused = chain;
  auto plain = chain;
  plain.fuse(false);
  std::vector<std::pair<clean::row, std::string>> rows;  // the step-by-step rows, copied
  for_each_record(text, format, [&](const riptide::io::record_view& rec) {
    rows.emplace_back(plain.process(rec), "");
  });
  std::size_t j = 0;
  std::size_t repairs = 0;
  std::map<std::uint32_t, riptide::value> identified;  // value identity -> the first value with it
  for_each_record(text, format, [&](const riptide::io::record_view& rec) {
    const auto& got = fused.process(rec);
    // values of one identity are equal (the promise the encoder relies on)
    for (const auto& v : got.values)
      if (v.identity() != 0) {
        const auto [it, first] = identified.emplace(v.identity(), v);
        RC_ASSERT(it->second.type() == v.type());
        RC_ASSERT(it->second == v);
      }
    RC_ASSERT(j < rows.size());
    const auto& want = rows[j++].first;
    RC_LOG() << "record " << j << " reason " << want.reason << "\n";
    riptide::test::expect_same_row(got, want);
    repairs += want.repairs.size();
  });
  RC_ASSERT(j == rows.size());
  RC_ASSERT(fused.report().to_json() == plain.report().to_json());
  RC_ASSERT(repairs > 0u);  // the messy text made some
  RC_ASSERT(!identified.empty());
}

// Rows of `chain` on `text` encoded as they come (categorical values the chain recognised carry
// identities: the encoder's array path) and with the identities cleared (its dictionary path):
// bit-identical vectors, learning and serving.
void check_identities_encode_as_texts(const clean::chain& chain, const std::string& text,
                                      messify_format format) {
  auto run = chain;
  riptide::features::encoder fast{{.label = "churn", .positive = "yes", .id = "customer_id"}};
  riptide::features::encoder slow{fast.options()};
  riptide::features::sparse_vector x, y;
  std::size_t identified = 0;
  std::vector<clean::row> kept;
  for_each_record(text, format, [&](const riptide::io::record_view& rec) {
    const auto& r = run.process(rec);
    if (r.status == clean::disposition::quarantined || r.status == clean::disposition::duplicate)
      return;
    auto plain = r;  // owns its texts
    for (auto& v : plain.values) {
      identified += v.identity() != 0;
      v.set_identity(0);
    }
    fast.learn_one(r, x);
    slow.learn_one(plain, y);
    RC_ASSERT(x.size() == y.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
      RC_ASSERT(x[i].index == y[i].index);
      RC_ASSERT(x[i].value == y[i].value);
    }
    kept.push_back(r);  // a copy keeps the identities
  });
  RC_ASSERT(identified > 0u);
  for (const auto& r : kept) {
    auto plain = r;
    for (auto& v : plain.values) v.set_identity(0);
    fast.transform(r, x);
    slow.transform(plain, y);
    RC_ASSERT(x.size() == y.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
      RC_ASSERT(x[i].index == y[i].index);
      RC_ASSERT(x[i].value == y[i].value);
    }
  }
}

}  // namespace

RC_GTEST_PROP(CleanMessify, FusedChainEqualsStepByStep, ()) {
  const auto seed = *rc::gen::arbitrary<std::uint64_t>();
  const auto format = *rc::gen::element(messify_format::csv, messify_format::jsonl);
  const auto m = synth::messify(telco_head(), seed, {.format = format});
  check_fused_equals_step_by_step(clean::preset("telco"), m.text, format);
  clean::inference inf;
  for_each_record(m.text, format, [&](const riptide::io::record_view& rec) { inf.add(rec); });
  check_fused_equals_step_by_step(inf.make_chain(), m.text, format);
  // Several repairs per value from several operators (trimmed, null token, case folded, mapped),
  // so that the fused run must put them back in operator order; and an operator on descending
  // columns, which ends the fused prefix.
  const auto chain =
      clean::trim{.collapse_spaces = true} | clean::null_tokens{} |
      clean::case_fold{.columns = {"gender", "Contract", "Churn"},
                       .to = clean::letter_case::upper,
                       .repair = true} |
      clean::map_values{.columns = {"*"},
                        .mapping = {{"MALE", "M"}, {"No internet service", "No"}, {"Yes", "Y"}},
                        .repair = true} |
      clean::cast{.columns = {"tenure"}, .to = clean::type::integer} |
      clean::boolean{.columns = {"PaperlessBilling", "Partner"},
                     .true_value = riptide::value::of_text("Y"),
                     .false_value = riptide::value::of_text("No")} |
      clean::map_values{.columns = {"*"}, .mapping = {{"FEMALE", "F"}}, .repair = true};
  check_fused_equals_step_by_step(chain, m.text, format);
}

RC_GTEST_PROP(CleanMessify, EncoderGivesIdentifiedValuesTheVectorsOfTheirTexts, ()) {
  const auto seed = *rc::gen::arbitrary<std::uint64_t>();
  const auto format = *rc::gen::element(messify_format::csv, messify_format::jsonl);
  const auto m = synth::messify(telco_head(), seed, {.format = format});
  check_identities_encode_as_texts(clean::preset("telco"), m.text, format);
  clean::inference inf;  // the generic chain (its columns keep the export's names)
  for_each_record(m.text, format, [&](const riptide::io::record_view& rec) { inf.add(rec); });
  check_identities_encode_as_texts(inf.make_chain(), m.text, format);
}

TEST(CleanMessify, SameSeedSameOutputAndTruthJson) {
  const auto a = synth::messify(telco_head(), 42);
  const auto b = synth::messify(telco_head(), 42);
  const auto c = synth::messify(telco_head(), 43);
  EXPECT_EQ(a.text, b.text);
  EXPECT_NE(a.text, c.text);
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

TEST(CleanMessify, JsonLinesShowEveryKindOfMessAndBreakOnlyWhereTheTruthSays) {
  std::set<std::string> kinds;
  const auto kind = [](const std::string& mess) { return mess.substr(0, mess.find(':')); };
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    const auto m = synth::messify(telco_head(), seed, {.format = messify_format::jsonl});
    for (const auto& f : m.file_messes) kinds.insert(kind(f));
    std::size_t j = 0;
    for (const riptide::io::record_view& rec : riptide::io::read_jsonl_text(m.text)) {
      ASSERT_LT(j, m.truth.size());
      const auto& t = m.truth[j++];
      for (const auto& x : t.messes) kinds.insert(kind(x));
      const auto bad = kind(t.unrecoverable);
      if (!bad.empty()) kinds.insert(bad);
      // Broken JSON, bad bytes and NUL bytes make error records; the rest is read.
      const bool broken = bad == "truncated" || bad == "bad_json" || bad == "bad_quote" ||
                          bad == "invalid_utf8" || bad == "nul_byte";
      EXPECT_EQ(rec.ok(), !broken) << "seed " << seed << " line " << rec.where.line << " " << bad;
    }
    EXPECT_EQ(j, m.truth.size()) << "seed " << seed;
  }
  // (null_spelling is left out: it needs a blank value, and the Telco head has two.)
  for (const char* k :
       {"bom", "line_ends", "header", "key_order", "json_types", "absent", "json_null",
        "whitespace", "case", "number_format", "boolean", "newline", "truncated", "bad_json",
        "bad_quote", "invalid_utf8", "nul_byte", "wrong_type", "out_of_range"})
    EXPECT_TRUE(kinds.count(k)) << k;
}

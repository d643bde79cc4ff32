// riptide::clean: text and number primitives, each operator, the chain, the range adaptor.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <riptide/clean/apply.hpp>
#include <riptide/clean/preset.hpp>
#include <riptide/clean/rules.hpp>
#include <riptide/sketch/p2_quantile.hpp>

#include <algorithm>
#include <bit>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "clean/records.hpp"
#include "clean/same_row.hpp"
#include "riptide/detail/equal_bytes.hpp"
#include "riptide/detail/short_decimal.hpp"

namespace clean = riptide::clean;
namespace io = riptide::io;
namespace sketch = riptide::sketch;
using riptide::value;
using riptide::test::records;

// ---------------------------------------------------------------------------------------------
// Text

TEST(CleanText, TrimRemovesUnicodeSpacesAndInvisibleCharacters) {
  EXPECT_EQ(clean::text::trim("  a b \t"), "a b");
  EXPECT_EQ(clean::text::trim("\xC2\xA0x\xE2\x80\xAF"), "x");        // NBSP, narrow NBSP
  EXPECT_EQ(clean::text::trim("\xEF\xBB\xBFid\xE2\x80\x8B"), "id");  // BOM, ZWSP
  EXPECT_EQ(clean::text::trim("\xE3\x80\x80\xE2\x80\x83"), "");      // ideographic, em space
  EXPECT_EQ(clean::text::trim("caf\xC3\xA9 "), "caf\xC3\xA9");       // é kept whole
  EXPECT_EQ(clean::text::trim("\xE2\x82\xAC"), "\xE2\x82\xAC");      // € is not a space
  EXPECT_EQ(clean::text::trim(std::string_view("\xFF\xC2", 2)), std::string_view("\xFF\xC2", 2));
  std::string out;
  clean::text::clean_spaces("a\xE2\x80\x8B b\r\n\tc", out, true);
  EXPECT_EQ(out, "a b c");
  clean::text::clean_spaces("a\xE2\x80\x8B  b", out, false);
  EXPECT_EQ(out, "a  b");
}

// The fast paths (ASCII ends, SWAR scan) answer exactly as the full character scans, on text
// built from the bytes that matter (spaces, controls, pieces of NBSP / ZWSP / BOM, letters).
RC_GTEST_PROP(CleanText, FastPathsAgreeWithTheFullScans, ()) {
  static constexpr char bytes[] = {' ',    ' ',    'a',    'Z',    '\t',   '\n',   '\x01',
                                   '\x7F', '~',    '\xC2', '\xA0', '\xE2', '\x80', '\x8B',
                                   '\xEF', '\xBB', '\xBF', '-',    '.',    '1'};
  const auto picks =
      *rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, sizeof bytes));
  std::string s;
  for (const auto k : picks) s.push_back(bytes[k]);
  RC_ASSERT(clean::text::trim(s) == clean::text::trim_utf8(s));
  for (const bool collapse : {false, true})
    RC_ASSERT(clean::text::needs_inner_cleaning(s, collapse) ==
              clean::text::needs_inner_cleaning_utf8(s, collapse));
}

// Short-text keys (detail/equal_bytes.hpp), which the null tokens, allowed values and category
// dictionaries compare: equal keys <=> equal texts up to 16 bytes, and the lowered key is the key
// of the ASCII-lowered text (so lowered keys agree with text::iequals), on letters around 'A'..'Z'
// and 'a'..'z', bytes with the high bit set, and lengths 0 to 20.
RC_GTEST_PROP(CleanText, TextKeysAgreeWithTheTexts, ()) {
  static constexpr char bytes[] = {'@', 'A', 'M',    'Z',    '[',    '`',    'a',  'z',
                                   '{', '/', '\xC1', '\xE1', '\xDA', '\xFA', '\0', ' '};
  const auto gen_text = [] {
    const auto n = *rc::gen::inRange<std::size_t>(0, 21);
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s.push_back(bytes[*rc::gen::inRange<std::size_t>(0, 16)]);
    return s;
  };
  const std::string a = gen_text();
  std::string b = *rc::gen::arbitrary<bool>() ? a : gen_text();
  if (!b.empty() && *rc::gen::arbitrary<bool>())  // flip the case of one letter
    for (auto& c : b)
      if (std::isalpha(static_cast<unsigned char>(c)) && c < 0x7F) {
        c ^= 0x20;
        break;
      }
  using riptide::detail::text_key;
  const auto ka = text_key::of(a), kb = text_key::of(b);
  if (a.size() <= text_key::exact_up_to && b.size() <= text_key::exact_up_to) {
    RC_ASSERT((ka == kb) == (a == b));
    RC_ASSERT((ka.ascii_lowered() == kb.ascii_lowered()) == clean::text::iequals(a, b));
  }
  std::string lowered = a;
  for (auto& c : lowered) c = clean::text::to_lower(c);
  RC_ASSERT(ka.ascii_lowered() == text_key::of(lowered));
  RC_ASSERT(riptide::detail::same_text(a, b) == (a == b));
}

TEST(CleanText, CaseMappingCoversLatinGreekAndCyrillicLetters) {
  std::string out;
  EXPECT_TRUE(clean::text::map_case("\xC3\x89T\xC3\x89 \xC3\x86", out, false));  // ÉTÉ Æ
  EXPECT_EQ(out, "\xC3\xA9t\xC3\xA9 \xC3\xA6");                                  // été æ
  EXPECT_TRUE(
      clean::text::map_case("\xC5\x81\xC3\xB3"
                            "d\xC5\xBA",
                            out, true));  // Łódź
  EXPECT_EQ(out,
            "\xC5\x81\xC3\x93"
            "D\xC5\xB9");                                                      // ŁÓDŹ
  EXPECT_TRUE(clean::text::map_case("\xCE\xA3\xCE\x9F\xCE\xA6", out, false));  // ΣΟΦ
  EXPECT_EQ(out, "\xCF\x83\xCE\xBF\xCF\x86");                                  // σοφ
  EXPECT_TRUE(clean::text::map_case("\xD0\x96\xD1\x83\xD0\xBA", out, true));   // Жук
  EXPECT_EQ(out, "\xD0\x96\xD0\xA3\xD0\x9A");                                  // ЖУК
  EXPECT_TRUE(clean::text::map_case("\xC3\xBF", out, true));                   // ÿ -> Ÿ
  EXPECT_EQ(out, "\xC5\xB8");
  // Unchanged: ß (no one-character upper case), ×, CJK, invalid bytes.
  EXPECT_FALSE(clean::text::map_case("\xC3\x9F\xC3\x97\xE6\x97\xA5\xFF", out, true));
  EXPECT_EQ(out, "\xC3\x9F\xC3\x97\xE6\x97\xA5\xFF");
  // Every mapped letter round-trips (lower then upper and back), and mapping is idempotent.
  for (char32_t c = 0; c < 0x800; ++c) {
    const auto lo = clean::text::lower_code_point(c), up = clean::text::upper_code_point(c);
    const auto code = static_cast<unsigned>(c);
    EXPECT_EQ(clean::text::lower_code_point(lo), lo) << code;
    EXPECT_EQ(clean::text::upper_code_point(up), up) << code;
    if (lo != c) {
      EXPECT_EQ(clean::text::upper_code_point(lo), c) << code;
    }
    EXPECT_LT(lo, 0x800u);
    EXPECT_LT(up, 0x800u);
  }
  // Categories are canonicalised across such spellings.
  clean::allowed a{.columns = {"city"}, .values = {"Z\xC3\xBCrich"}};  // Zürich
  io::schema s({"city"});
  clean::binder b(s, {});
  a.bind(b);
  clean::work w;
  w.values = {value::of_text(" Z\xC3\x9CRICH ")};  // " ZÜRICH "
  EXPECT_TRUE(a.run(w));
  EXPECT_EQ(w.values[0].as_text(), "Z\xC3\xBCrich");
}

TEST(CleanText, SnakeCaseAndColumnKeys) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"customerID", "customer_id"},        {"SeniorCitizen", "senior_citizen"},
      {"StreamingTV", "streaming_tv"},      {"tenure", "tenure"},
      {"HTTPServer", "http_server"},        {"Monthly Charges ($)", "monthly_charges"},
      {" total-charges ", "total_charges"}, {"already_snake", "already_snake"},
      {"Q1Revenue", "q1_revenue"},          {"__x__", "x"}};
  for (const auto& [in, out] : cases) EXPECT_EQ(clean::text::snake_case(in), out) << in;
  EXPECT_EQ(clean::text::column_key("Customer ID"), "customerid");
  EXPECT_EQ(clean::text::column_key("\xEF\xBB\xBF"
                                    "customer_id"),
            "customerid");
  EXPECT_EQ(clean::text::column_key("CUSTOMERID"), clean::text::column_key("customerID"));
}

// ---------------------------------------------------------------------------------------------
// Numbers

TEST(CleanNumber, ReadsLocaleVariants) {
  struct c {
    const char* text;
    double value;
    bool tolerated;
  };
  const std::vector<c> cases = {{"1889.5", 1889.5, false},
                                {"-3", -3, false},
                                {"+56.95", 56.95, true},
                                {"1,889.50", 1889.5, true},
                                {"1.889,50", 1889.5, true},
                                {"1 889,50", 1889.5, true},
                                {"1\xC2\xA0"
                                 "889,5",
                                 1889.5, true},
                                {"1'889.5", 1889.5, true},
                                {"$29.85", 29.85, true},
                                {"29.85 \xE2\x82\xAC", 29.85, true},
                                {"-$5", -5, true},
                                {"$-5", -5, true},
                                {"($5.00)", -5, true},
                                {"\xE2\x88\x92"
                                 "5",
                                 -5, true},
                                {"1.8895e3", 1889.5, false},
                                {"1E-2", 0.01, false},
                                {".5", 0.5, false},
                                {"5.", 5, false},
                                {" 42 ", 42, true},
                                {"1,234,567", 1234567, true},
                                {"1.234.567", 1234567, true},
                                {"0,5", 0.5, true},
                                {"12,5", 12.5, true},
                                {"1.234", 1.234, false},
                                {"-0", 0, false},
                                {"007", 7, false},
                                {"\xC2\xA3"
                                 "3",
                                 3, true}};
  for (const auto& k : cases) {
    const auto n = clean::parse_number(k.text);
    ASSERT_EQ(n.status, clean::number_status::ok) << k.text;
    EXPECT_DOUBLE_EQ(n.value, k.value) << k.text;
    EXPECT_EQ(n.tolerated, k.tolerated) << k.text;
  }
  EXPECT_TRUE(clean::parse_number("42").exact_integer);
  EXPECT_EQ(clean::parse_number("9007199254740993").integer, 9007199254740993LL);
  EXPECT_FALSE(std::signbit(clean::parse_number("-0").value));
}

namespace {
// Two readings of one text agree in every field (value bit for bit, sign of zero included).
void assert_same_number(const clean::parsed_number& a, const clean::parsed_number& b) {
  RC_ASSERT(a.value == b.value);
  RC_ASSERT(std::signbit(a.value) == std::signbit(b.value));
  RC_ASSERT(a.integral == b.integral);
  RC_ASSERT(a.exact_integer == b.exact_integer);
  RC_ASSERT(a.integer == b.integer);
  RC_ASSERT(a.tolerated == b.tolerated);
}
}  // namespace

// parse_number's from_chars fast path gives what the tolerant scan gives, for every mark.
RC_GTEST_PROP(CleanNumber, FastPathAgreesWithTheTolerantScan, ()) {
  static constexpr char bytes[] = {'0', '1', '9', '5', '.', '-', ',', 'e', '+', ' '};
  const auto picks =
      *rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, sizeof bytes));
  std::string s;
  for (const auto k : picks) s.push_back(bytes[k]);
  for (const auto mark :
       {clean::decimal_mark::automatic, clean::decimal_mark::dot, clean::decimal_mark::comma}) {
    const auto a = clean::parse_number(s, mark);
    const auto b = clean::detail::parse_tolerant(s, mark);
    RC_ASSERT(a.status == b.status);
    if (a.status != clean::number_status::ok) continue;
    assert_same_number(a, b);
  }
}

// Plain numbers of 1 to 18 digits, with and without fraction and sign, read as std::from_chars
// reads them (the fast path and the tolerant scan agree with it).
RC_GTEST_PROP(CleanNumber, PlainNumbersReadAsFromChars, ()) {
  const auto digits = [](std::size_t lo, std::size_t hi) {
    return rc::gen::container<std::string>(*rc::gen::inRange(lo, hi + 1),
                                           rc::gen::inRange('0', static_cast<char>('9' + 1)));
  };
  std::string s = *rc::gen::element(std::string(), std::string("-"));
  s += *digits(1, 18);
  if (*rc::gen::arbitrary<bool>()) s += "." + *digits(1, 17);
  const auto a = clean::parse_number(s);
  const auto b = clean::detail::parse_tolerant(s, clean::decimal_mark::automatic);  // from_chars
  RC_LOG() << s << "\n";
  RC_ASSERT(a.status == clean::number_status::ok);
  RC_ASSERT(b.status == clean::number_status::ok);
  assert_same_number(a, b);
}

namespace {
// read_short_decimal either declines or gives std::from_chars's double, bit for bit; it reads
// every plain decimal of at most 15 digits.
void check_short_decimal(const std::string& s) {
  double fast = 0.0;
  bool fraction = false;
  const bool read = riptide::detail::read_short_decimal(s, fast, &fraction);
  double slow = 0.0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), slow);
  // -?[0-9]+(.[0-9]+)?, checked by hand
  std::size_t i = s.starts_with('-') ? 1 : 0, digits = 0, run = 0;
  bool plain = true, dot = false;
  for (; i < s.size(); ++i) {
    if (s[i] >= '0' && s[i] <= '9') {
      ++digits;
      ++run;
    } else if (s[i] == '.' && !dot && run > 0) {
      dot = true;
      run = 0;
    } else {
      plain = false;
    }
  }
  plain = plain && run > 0;
  if (plain) RC_ASSERT(r.ec == std::errc() && r.ptr == s.data() + s.size());
  RC_LOG() << s << "\n";
  if (plain && digits <= 15) RC_ASSERT(read);
  if (!read) return;
  RC_ASSERT(plain);
  RC_ASSERT(std::bit_cast<std::uint64_t>(fast) == std::bit_cast<std::uint64_t>(slow));
  RC_ASSERT(fraction == (s.find('.') != std::string::npos));
}
}  // namespace

// Random digit strings around the 15-digit limit, with fractions of every length (1e-15 to
// 1e15 scales, halfway cases included), signs, leading zeros, and strings it must decline.
RC_GTEST_PROP(CleanNumber, ShortDecimalIsBitIdenticalToFromChars, ()) {
  const auto digits = [](std::size_t lo, std::size_t hi) {
    return rc::gen::container<std::string>(*rc::gen::inRange(lo, hi + 1),
                                           rc::gen::inRange('0', static_cast<char>('9' + 1)));
  };
  std::string s = *rc::gen::element(std::string(), std::string("-"), std::string("+"));
  const std::size_t int_digits = *rc::gen::inRange<std::size_t>(0, 18);
  s += *digits(int_digits, int_digits);
  if (*rc::gen::arbitrary<bool>()) s += "." + *digits(0, 17);
  if (*rc::gen::inRange(0, 8) == 0) s += *rc::gen::element(std::string("e5"), std::string("x"));
  if (s.empty()) s = "0";
  check_short_decimal(s);
}

TEST(CleanNumber, ShortDecimalEdgeCases) {
  for (const char* s : {"0",
                        "-0",
                        "0.0",
                        "-0.000",
                        "000000000000001",
                        "999999999999999",
                        "-999999999999999",
                        "99999999999999.9",
                        "0.99999999999999",
                        "0.00000000000001",
                        "1.00000000000005",
                        "9007199254740.99",
                        "56.95",
                        "1889.5",
                        "29.85",
                        "0.1",
                        "0.3",
                        "2.675",
                        "1.005",
                        "123456789012345"}) {
    double fast = 0.0, slow = 0.0;
    ASSERT_TRUE(riptide::detail::read_short_decimal(s, fast)) << s;
    std::from_chars(s, s + std::strlen(s), slow);
    EXPECT_EQ(std::bit_cast<std::uint64_t>(fast), std::bit_cast<std::uint64_t>(slow)) << s;
  }
  double x = 0.0;
  for (const char* s : {"", "-", ".", "1.", ".5", "+1", "1e3", "1,5", " 1", "1 ", "--1", "0x1",
                        "1234567890123456", "0.1234567890123456", "1.2.3", "inf", "nan"})
    EXPECT_FALSE(riptide::detail::read_short_decimal(s, x)) << s;
}

TEST(CleanNumber, RejectsAmbiguousAndInvalidText) {
  EXPECT_EQ(clean::parse_number("1,234").status, clean::number_status::ambiguous);
  EXPECT_EQ(clean::parse_number("").status, clean::number_status::empty);
  EXPECT_EQ(clean::parse_number("  ").status, clean::number_status::empty);
  for (const char* bad :
       {"abc", "1,23,4", "1.2.3,4,5", "12 34", "1,234 567", "1..2",  "--1",  "(-5)",
        "1e",  "1e+",    "e5",        "inf",   "nan",       "0x10",  "1.5.", "$",
        "-",   "1,2.3",  "1.234,5.6", "5%",    "12abc",     "1,,234"}) {
    EXPECT_NE(clean::parse_number(bad).status, clean::number_status::ok) << bad;
  }
  EXPECT_EQ(clean::parse_number("1e400").status, clean::number_status::out_of_range);
  EXPECT_NE(clean::parse_number(std::string(5000, '9')).status, clean::number_status::ok);
}

TEST(CleanNumber, KnownDecimalMarkRemovesAmbiguity) {
  EXPECT_EQ(clean::parse_number("1,234", clean::decimal_mark::dot).value, 1234);
  EXPECT_EQ(clean::parse_number("1,234", clean::decimal_mark::comma).value, 1.234);
  EXPECT_EQ(clean::parse_number("1.234", clean::decimal_mark::comma).value, 1234);
  EXPECT_NE(clean::parse_number("1.2.3", clean::decimal_mark::dot).status,
            clean::number_status::ok);
}

// ---------------------------------------------------------------------------------------------
// Chains over test records

namespace {

struct run_result {
  std::vector<clean::row> rows;
  clean::quarantine rejected;
  clean::report report;
};

run_result run(clean::chain& chain, records& recs) {
  run_result r;
  for (const auto& row : recs.views() | clean::apply(chain, r.rejected)) r.rows.push_back(row);
  r.report = chain.report();
  return r;
}

}  // namespace

TEST(CleanChain, DispositionsReasonsAndAccounting) {
  records recs({"id", "n", "kind"});
  recs.add({"a", "1", "x"})
      .add({" b", "2", "x"})
      .add({"c", "two", "x"})
      .add({"d", "N/A", "x"})
      .add({"e", "3", "zz"})
      .add_error(io::error_code::field_count, "3 fields expected, 2 found", "f,4")
      .add({"a", "1", "x"});
  auto chain = clean::trim{} | clean::null_tokens{} |
               clean::cast{.columns = {"n"}, .to = clean::type::integer} |
               clean::required{.columns = {"n"}} |
               clean::allowed{.columns = {"kind"}, .values = {"x", "y"}} | clean::dedup{};
  const auto r = run(chain, recs);
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0].status, clean::disposition::clean);
  EXPECT_EQ(r.rows[1].status, clean::disposition::repaired);
  ASSERT_EQ(r.rows[1].repairs.size(), 1u);
  EXPECT_EQ(r.rows[1].repairs[0].column, "id");
  EXPECT_EQ(r.rows[1].repairs[0].what, "trimmed");
  EXPECT_EQ(r.rows[1].values[0].as_text(), "b");
  EXPECT_EQ(r.report.in, 7u);
  EXPECT_EQ(r.report.clean, 1u);
  EXPECT_EQ(r.report.repaired, 1u);
  EXPECT_EQ(r.report.quarantined, 4u);
  EXPECT_EQ(r.report.duplicates, 1u);
  EXPECT_TRUE(r.report.balanced());
  EXPECT_EQ(r.report.reasons.at("cast(n): not a number"), 1u);
  EXPECT_EQ(r.report.reasons.at("required(n): required value is null"), 1u);
  EXPECT_EQ(r.report.reasons.at("allowed(kind): not an allowed value"), 1u);
  EXPECT_EQ(r.report.reasons.at("read: field_count"), 1u);
  EXPECT_EQ(r.report.reasons.at("dedup: duplicate"), 1u);
  EXPECT_EQ(r.report.repairs.at("trim(id): trimmed"), 1u);
  const auto& q = r.rejected.records();
  ASSERT_EQ(q.size(), 5u);
  EXPECT_EQ(q[0].reason, "cast(n): not a number: 'two'");
  EXPECT_EQ(q[0].line, 4u);
  EXPECT_EQ(q[0].raw, "c,two,x");
  EXPECT_EQ(q[2].reason, "allowed(kind): not an allowed value: 'zz'");
  EXPECT_EQ(q[3].reason, "read: field_count: 3 fields expected, 2 found");
  EXPECT_EQ(q[3].raw, "f,4");
  EXPECT_EQ(q[4].status, clean::disposition::duplicate);
  EXPECT_EQ(q[4].reason, "dedup: duplicate of line 2");
}

TEST(CleanChain, ARecordThatCouldNotBeReadHasNoValues) {
  // Not the previous record's values: their borrowed text may have gone with the reader's buffer
  // (JSON Lines: simdjson's string buffer is reallocated by a longer line).
  records recs({"id", "n"});
  recs.add({"a", "1"}).add_error(io::error_code::json_syntax, "cut short", "{\"id\":");
  auto chain = clean::trim{} | clean::cast{.columns = {"n"}, .to = clean::type::integer};
  const auto& views = recs.views();
  const auto& first = chain.process(views[0]);
  ASSERT_EQ(first.status, clean::disposition::clean);
  ASSERT_FALSE(first.values[0].is_null());
  const auto& second = chain.process(views[1]);
  EXPECT_EQ(second.status, clean::disposition::quarantined);
  ASSERT_EQ(second.values.size(), 2u);
  for (const auto& v : second.values) EXPECT_TRUE(v.is_null());
}

TEST(CleanChain, BindsHeaderSpellingsAndOptionalColumns) {
  records recs({"Customer ID", " Monthly Charges "});
  recs.add({"7590", "29.85"});
  auto chain = clean::cast{.columns = {"MonthlyCharges"}} | clean::case_fold{.columns = {"Churn"}} |
               clean::rename{.mapping = {{"customerID", "customer_id"},
                                         {"MonthlyCharges", "monthly_charges"},
                                         {"Churn", "churn"}}};
  chain.optional("Churn").output({"customer_id", "monthly_charges", "churn"});
  const auto r = run(chain, recs);
  ASSERT_EQ(r.rows.size(), 1u) << r.report.to_json();
  EXPECT_EQ(r.rows[0].names->names, (std::vector<std::string>{"customer_id", "monthly_charges"}));
  EXPECT_EQ(r.rows[0].get("monthly_charges")->as_real(), 29.85);
  EXPECT_EQ(r.rows[0].get("churn"), nullptr);
}

TEST(CleanChain, MissingRequiredColumnQuarantinesEveryRecordWithTheBindingError) {
  records recs({"a"});
  recs.add({"1"}).add({"2"});
  auto chain = clean::chain{}.then(clean::cast{.columns = {"tenure"}});
  const auto r = run(chain, recs);
  EXPECT_TRUE(r.rows.empty());
  EXPECT_EQ(r.report.quarantined, 2u);
  EXPECT_NE(chain.binding_error().find("rule 1 (cast): column 'tenure' is not in the input"),
            std::string::npos)
      << chain.binding_error();
  EXPECT_NE(r.rejected.records()[0].reason.find("binding: "), std::string::npos);
}

// The binding error names the first 20 columns and counts the rest: every quarantined record
// carries it, so it must not grow with a wide schema.
TEST(CleanChain, MissingColumnMessageListsTheFirstColumnsOnly) {
  std::vector<std::string> names;
  for (int i = 0; i < 25; ++i) names.push_back(std::string(1, 'c').append(std::to_string(i)));
  records recs(names);
  recs.add(std::vector<std::string>(25, "1"));
  auto chain = clean::chain{}.then(clean::cast{.columns = {"tenure"}});
  const auto r = run(chain, recs);
  EXPECT_EQ(r.report.quarantined, 1u);
  const std::string& e = chain.binding_error();
  EXPECT_NE(e.find("(columns: c0, c1, "), std::string::npos) << e;
  EXPECT_NE(e.find(", c19, ... 5 more)"), std::string::npos) << e;
  EXPECT_EQ(e.find("c20"), std::string::npos) << e;
}

TEST(CleanChain, JsonKindsLoadTypedAndSchemaGrowthRebinds) {
  records recs({"n", "flag"});
  recs.add_kinds({"42", "true"}, {io::field_kind::integer, io::field_kind::boolean})
      .add_kinds({"1e3", ""}, {io::field_kind::real, io::field_kind::null})
      .add_kinds({"7"}, {io::field_kind::integer});  // "flag" missing
  auto chain = clean::chain{}.then(clean::cast{.columns = {"n"}, .to = clean::type::integer});
  const auto r = run(chain, recs);
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_EQ(r.rows[0].values[0].as_int(), 42);
  EXPECT_TRUE(r.rows[0].values[1].as_bool());
  EXPECT_EQ(r.rows[1].values[0].as_int(), 1000);
  EXPECT_TRUE(r.rows[1].values[1].is_null());
  EXPECT_TRUE(r.rows[2].values[1].is_null());
  recs.schema().add("late");
  recs.add_kinds({"8", "false", "x"},
                 {io::field_kind::integer, io::field_kind::boolean, io::field_kind::text});
  const auto r2 = run(chain, recs);
  ASSERT_EQ(r2.rows.size(), 4u);
  EXPECT_EQ(r2.rows[3].names->size(), 3u);
  EXPECT_EQ(r2.rows[3].get("late")->as_text(), "x");
}

TEST(CleanOperators, CastsBooleansBucketsRangesAndMaps) {
  records recs({"b", "i", "r", "t", "cat"});
  recs.add({"Y", "1.2e1", "1.889,50", "x", "No internet service"})
      .add({"off", "12.5", "1", "x", "Yes"})
      .add({"maybe", "1", "1", "x", "Yes"})
      .add({"1", "-4", "1", "x", "Yes"})
      .add({"0", "200", "2", "x", "Yes"});
  auto chain =
      clean::boolean{.columns = {"b"},
                     .true_value = value::of_text("Yes"),
                     .false_value = value::of_text("No")} |
      clean::cast{
          .columns = {"i"}, .to = clean::type::integer, .on_error = clean::cast_error::null} |
      clean::cast{.columns = {"r"}} |
      clean::range_check{.column = "i", .min = 0, .on_fail = clean::range_action::quarantine} |
      clean::range_check{.column = "i", .max = 100, .on_fail = clean::range_action::clamp} |
      clean::bucket{
          .column = "r", .into = "r_group", .buckets = {{1, "low"}}, .otherwise = "high"} |
      clean::map_values{.columns = {"cat"}, .mapping = {{"No internet service", "No"}}};
  const auto r = run(chain, recs);
  ASSERT_EQ(r.rows.size(), 3u) << r.report.to_json();
  EXPECT_EQ(r.rows[0].values[0].as_text(), "Yes");
  EXPECT_EQ(r.rows[0].values[1].as_int(), 12);
  EXPECT_EQ(r.rows[0].values[2].as_real(), 1889.5);
  EXPECT_EQ(r.rows[0].get("r_group")->as_text(), "high");
  EXPECT_EQ(r.rows[0].values[4].as_text(), "No");
  EXPECT_EQ(r.rows[1].values[0].as_text(), "No");
  EXPECT_TRUE(r.rows[1].values[1].is_null());  // 12.5 is no integer: on_error null
  EXPECT_EQ(r.rows[1].get("r_group")->as_text(), "low");
  EXPECT_EQ(r.rows[2].values[1].as_int(), 100);  // clamped
  EXPECT_EQ(r.report.reasons.at("boolean(b): not a boolean"), 1u);
  EXPECT_EQ(r.report.reasons.at("range(i): out of range"), 1u);
  EXPECT_EQ(r.report.repairs.at("range(i): clamped"), 1u);
  EXPECT_EQ(r.report.repairs.at("cast(i): unreadable -> null"), 1u);
}

TEST(CleanOperators, CrossCheckFlagsWithoutDropping) {
  records recs({"total", "months", "monthly"});
  recs.add({"100", "10", "10"}).add({"5000", "10", "10"}).add({"", "10", "10"});
  auto chain =
      clean::null_tokens{} | clean::cast{.columns = {"*"}} |
      clean::cross_check{
          .column = "total", .factors = {"months", "monthly"}, .rel_tol = 0.1, .into = "suspect"};
  const auto r = run(chain, recs);
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_FALSE(r.rows[0].get("suspect")->as_bool());
  EXPECT_TRUE(r.rows[1].get("suspect")->as_bool());
  EXPECT_TRUE(r.rows[2].get("suspect")->is_null());
  EXPECT_EQ(r.report.flags.at("cross_check(total): inconsistent with product"), 1u);
  EXPECT_EQ(r.report.clean, 3u);
}

TEST(CleanOperators, StreamingImputation) {
  records recs({"x", "y", "z"});
  recs.add({"", "5", ""}).add({"1", "1", "a"}).add({"3", "3", ""}).add({"", "", ""});
  auto chain = clean::null_tokens{} | clean::cast{.columns = {"x", "y"}} |
               clean::impute{.column = "x"} |
               clean::impute{.column = "y", .strategy = clean::impute_strategy::median} |
               clean::impute{.column = "z",
                             .strategy = clean::impute_strategy::constant,
                             .constant = value::of_text("none")};
  const auto r = run(chain, recs);
  ASSERT_EQ(r.rows.size(), 4u);
  EXPECT_TRUE(r.rows[0].values[0].is_null());  // no history yet
  EXPECT_EQ(r.rows[0].values[2].as_text(), "none");
  EXPECT_EQ(r.rows[3].values[0].as_real(), 2.0);  // mean of 1, 3
  EXPECT_EQ(r.rows[3].values[1].as_real(), 3.0);  // median of 5, 1, 3
  EXPECT_EQ(r.rows[3].status, clean::disposition::repaired);
  EXPECT_EQ(r.report.repairs.at("impute(x): imputed mean"), 1u);
}

TEST(CleanOperators, P2MedianTracksTheTrueMedian) {
  sketch::p2_quantile m;
  std::uint64_t state = 12345;
  std::vector<double> xs;
  for (int i = 0; i < 20000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const double x = static_cast<double>(state >> 11) / 9007199254740992.0;
    xs.push_back(x);
    m.add(x);
  }
  std::nth_element(xs.begin(), xs.begin() + 10000, xs.end());
  EXPECT_NEAR(m.estimate(), xs[10000], 0.01);
}

TEST(CleanOperators, DedupWindowIsBoundedAndKeyed) {
  records recs({"id", "v"});
  for (const char* id : {"a", "b", "c", "a", "c"}) recs.add({id, "1"});
  auto by_key = clean::chain{}.then(clean::dedup{.key = {"id"}, .window = 2});
  const auto r = run(by_key, recs);
  // window 2: when the second "a" arrives only b, c are remembered; "c" again is a duplicate.
  EXPECT_EQ(r.rows.size(), 4u);
  EXPECT_EQ(r.report.duplicates, 1u);
  records same({"id", "v"});
  same.add({"a", "1"}).add({"a", "2"}).add({"a", "1"});
  auto whole = clean::chain{}.then(clean::dedup{});
  EXPECT_EQ(run(whole, same).report.duplicates, 1u);
}

TEST(CleanOperators, DedupEvictionKeepsTheTableConsistent) {
  // Many keys through a tiny window: every re-occurrence within the window is a duplicate, every
  // one beyond it is not.
  clean::dedup d{.key = {"k"}, .window = 7};
  io::schema s({"k"});
  clean::binder b(s, {});
  d.bind(b);
  clean::work w;
  std::vector<std::uint64_t> last_kept(300, UINT64_MAX);
  std::uint64_t kept = 0;
  std::uint64_t state = 7;
  for (int i = 0; i < 20000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const auto k = (state >> 33) % 300;
    w.values = {value::of_int(static_cast<std::int64_t>(k))};
    w.reset();
    const bool fresh = d.run(w);
    const bool expect_fresh = last_kept[k] == UINT64_MAX || kept - last_kept[k] >= 7;
    ASSERT_EQ(fresh, expect_fresh) << i;
    if (fresh) last_kept[k] = ++kept;
    // the occupancy bits (which let a lookup skip an empty home slot) mirror the slot bytes
    for (std::size_t slot = 0; slot < d.bytes_.size(); ++slot)
      ASSERT_EQ((d.occupied_[slot / 64] >> (slot % 64)) & 1u, d.bytes_[slot] != 0 ? 1u : 0u)
          << i << " slot " << slot;
  }
}

TEST(CleanOperators, DedupMatchesAWindowOfTheLastKeptRecords) {
  // Against a plain model (the last `window` kept keys, with the line each was kept at), for
  // windows from 1 (only the previous kept record, which waits outside the table) up: the same
  // decisions and the same first-occurrence lines.
  for (const std::size_t window : {1u, 2u, 3u, 7u, 64u, 1000u}) {
    clean::dedup d{.key = {"k"}, .window = window};
    io::schema s({"k"});
    clean::binder b(s, {});
    d.bind(b);
    clean::work w;
    io::record_view rec;
    w.record = &rec;
    std::deque<std::pair<std::uint64_t, std::uint64_t>> kept;  // (key, line), oldest first
    std::uint64_t state = window;
    const std::uint64_t keys = window * 3 + 2;
    for (std::uint64_t line = 1; line <= 30000; ++line) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      const auto k = (state >> 33) % keys;
      rec.where.line = line;
      w.values = {value::of_int(static_cast<std::int64_t>(k))};
      w.reset();
      const bool fresh = d.run(w);
      const auto it =
          std::find_if(kept.begin(), kept.end(), [k](const auto& e) { return e.first == k; });
      ASSERT_EQ(fresh, it == kept.end()) << "window " << window << " line " << line;
      if (!fresh) {
        ASSERT_EQ(w.duplicate_of, it->second) << "window " << window << " line " << line;
        continue;
      }
      kept.emplace_back(k, line);
      if (kept.size() > window) kept.pop_front();
    }
  }
}

RC_GTEST_PROP(CleanOperators, DedupFindsExactlyTheRecordsOfEqualValues, ()) {
  // Records of two columns from a pool of values of every type (12 and 12.0, "" and null, -0.0 and
  // 0.0, bools, texts), some carrying identities (as the chain's remembered values do: equal
  // identities only on equal values, and equal values with or without one, or with different
  // ones): duplicates are exactly the records whose values equal a kept one's (type and content).
  std::vector<value> pool = {value{},
                             value::of_text(""),
                             value::of_int(12),
                             value::of_real(12),
                             value::of_real(-0.0),
                             value::of_real(0.0),
                             value::of_bool(true),
                             value::of_bool(false),
                             value::of_text("Yes"),
                             value::of_text("No"),
                             value::of_text("12"),
                             value::of_text("No ")};
  std::vector<std::uint32_t> ids(pool.size() * 2);  // two identities per pool value
  riptide::identity_source source;
  const auto first = source.take(static_cast<std::uint32_t>(ids.size()));
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = first + static_cast<std::uint32_t>(i);
  const auto picks = *rc::gen::container<std::vector<std::pair<int, int>>>(
      rc::gen::pair(rc::gen::inRange(0, static_cast<int>(pool.size() * 3)),
                    rc::gen::inRange(0, static_cast<int>(pool.size() * 3))));
  clean::dedup d{.key = {"a", "b"}, .window = 1000};
  io::schema s({"a", "b"});
  clean::binder b(s, {});
  d.bind(b);
  clean::work w;
  std::vector<std::pair<value, value>> kept;
  const auto pick = [&](int k) {
    value v = pool[static_cast<std::size_t>(k) % pool.size()];
    const auto which = static_cast<std::size_t>(k) / pool.size();  // no identity, first, second
    if (which > 0) v.set_identity(ids[(static_cast<std::size_t>(k) % pool.size()) * 2 + which - 1]);
    return v;
  };
  for (const auto& [x, y] : picks) {
    w.values = {pick(x), pick(y)};
    w.reset();
    const auto same = [&](const value& p, const value& q) {
      return p.type() == q.type() && p == q;  // -0.0 == 0.0 as doubles
    };
    const bool seen = std::any_of(kept.begin(), kept.end(), [&](const auto& e) {
      return same(e.first, w.values[0]) && same(e.second, w.values[1]);
    });
    RC_ASSERT(d.run(w) == !seen);
    if (!seen) kept.emplace_back(w.values[0], w.values[1]);
  }
}

RC_GTEST_PROP(CleanChain, PerValueOperatorsAfterTheFusedOnesEqualStepByStep, ()) {
  // Per-value operators after one that is not (rename) see values the fused run identified; the
  // chain remembers per column and identity what each made of them (a rewritten text with an
  // identity of its own, the repairs). Records from a pool of texts (mixed case, spaces, null
  // tokens, numbers, unreadable numbers, non-ASCII; column c with more distinct texts than a
  // column memo keeps) give, record by record, what the operators give step by step: the same
  // disposition, reason, values and repairs in order; values of one identity are equal; and a
  // value a later operator rewrote carries an identity.
  const std::vector<std::string> pool = {"Yes",
                                         " yes",
                                         "no",
                                         "N\xC3\x89"
                                         "E",
                                         "\xD0\x96\xD0\xA3\xD0\x9A",
                                         "",
                                         "MiXeD  12",
                                         "NULL",
                                         "12",
                                         " 7 ",
                                         "x7",
                                         "UPPER"};
  const bool upper = *rc::gen::arbitrary<bool>();
  const bool repair = *rc::gen::arbitrary<bool>();
  auto fused =
      clean::trim{.collapse_spaces = true} | clean::null_tokens{} | clean::rename{} |
      clean::case_fold{.columns = {"a", "b"},
                       .to = upper ? clean::letter_case::upper : clean::letter_case::lower,
                       .repair = repair} |
      clean::map_values{
          .columns = {"*"}, .mapping = {{"YES", "Y"}, {"yes", "y"}, {"NO", "N"}}, .repair = true} |
      clean::cast{.columns = {"c"}, .to = clean::type::integer};
  auto plain = fused;
  plain.fuse(false);
  const auto picks = *rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 3 * 52));
  records recs({"a", "b", "c"});
  for (std::size_t r = 0; r + 3 <= picks.size(); r += 3) {
    const auto text = [&](std::size_t k) {
      return pool[static_cast<std::size_t>(k) % pool.size()];
    };
    const auto c = static_cast<std::size_t>(picks[r + 2]) % 52;  // 40 numbers beside the pool
    recs.add({text(static_cast<std::size_t>(picks[r])),
              text(static_cast<std::size_t>(picks[r + 1])),
              c < pool.size() ? pool[c] : std::to_string(c * 7)});
  }
  std::vector<std::pair<std::uint32_t, value>> identified;  // identity -> the first value with it
  std::size_t rewritten = 0, rewritten_identified = 0;
  for (const auto& rec : recs.views()) {
    const auto& got = fused.process(rec);
    const auto& want = plain.process(rec);
    riptide::test::expect_same_row(got, want);
    for (std::size_t i = 0; i < want.values.size(); ++i) {
      if (const auto id = got.values[i].identity(); id != 0) {
        const auto it = std::find_if(identified.begin(), identified.end(),
                                     [id](const auto& e) { return e.first == id; });
        if (it == identified.end()) {
          identified.emplace_back(id, got.values[i]);
        } else {
          RC_ASSERT(it->second.type() == got.values[i].type());
          RC_ASSERT(it->second == got.values[i]);
        }
      }
    }
    if (got.status != clean::disposition::quarantined && rec.fields[0].text == "Yes") {
      ++rewritten;  // "Yes": case folded, then mapped
      rewritten_identified += got.values[0].identity() != 0;
    }
  }
  RC_ASSERT(fused.report().to_json() == plain.report().to_json());
  RC_ASSERT(rewritten == 0 || rewritten_identified > 0);
}

TEST(CleanOperators, RegexChecksAndGiantFields) {
  records recs({"id"});
  recs.add({"7590-VHVEG"}).add({"x"}).add({std::string(1 << 20, 'A')});
  auto chain =
      clean::chain{}.then(clean::regex_check{.columns = {"id"}, .pattern = "[0-9]{4}-[A-Z]+"});
  const auto r = run(chain, recs);
  EXPECT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.report.reasons.at("regex(id): does not match pattern"), 1u);
  EXPECT_EQ(r.report.reasons.at("regex(id): too long for pattern"), 1u);
  EXPECT_LT(r.rejected.records()[1].reason.size(), 200u);  // the value is quoted in excerpt
}

TEST(CleanApply, OwnsAnRvalueChainAndWorksWithoutSink) {
  records recs({"n"});
  recs.add({"1"}).add({"x"});
  auto view = recs.views() | clean::apply(clean::chain{}.then(clean::cast{.columns = {"n"}}));
  int n = 0;
  for (const auto& row : view) n += row.values[0].is_real();
  EXPECT_EQ(n, 1);
  EXPECT_EQ(view.report().quarantined, 1u);
  EXPECT_TRUE(view.report().balanced());
  static_assert(std::ranges::input_range<decltype(view)>);
}

// ---------------------------------------------------------------------------------------------
// Rules

TEST(CleanRules, EveryOperatorLoadsFromJson) {
  const auto chain = clean::load_rules(R"({
    "name": "all", "optional": ["maybe"],
    "steps": [
      {"op": "null_tokens", "tokens": ["-"], "case_insensitive": false, "trim": false},
      {"op": "trim", "columns": "*", "collapse_spaces": true, "repair": false},
      {"op": "case", "columns": ["a"], "to": "upper"},
      {"op": "map", "columns": "a", "values": {"X": "Y"}, "case_insensitive": true},
      {"op": "cast", "columns": ["n"], "to": "int", "decimal": ",", "on_error": "null"},
      {"op": "boolean", "columns": "b", "true": 1, "false": 0},
      {"op": "bucket", "column": "n", "into": "g", "buckets": [{"max": 1, "label": "lo"}],
       "otherwise": "hi"},
      {"op": "required", "columns": "a"},
      {"op": "drop_if_null"},
      {"op": "range", "column": "n", "min": 0, "max": 10, "on_fail": "flag"},
      {"op": "allowed", "columns": "a", "values": ["Y"], "canonicalize": false},
      {"op": "regex", "columns": "a", "pattern": "[A-Z]+", "max_length": 10},
      {"op": "cross_check", "column": "n", "factors": ["n"], "rel_tol": 0, "abs_tol": 1,
       "on_fail": "quarantine", "into": "bad"},
      {"op": "impute", "column": "n", "strategy": "median"},
      {"op": "rename", "map": {"a": "A"}, "snake_case": true},
      {"op": "drop_columns", "columns": ["g"]},
      {"op": "dedup", "key": ["A"], "window": 10}
    ],
    "output": ["A", "n", "b", "maybe"]})");
  EXPECT_EQ(chain.size(), 17u);
  EXPECT_EQ(chain.name(), "all");
  EXPECT_EQ(chain.op(4), "cast");
}

TEST(CleanRules, BadRulesNameTheRuleAndTheField) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{", "not valid JSON"},
      {"[]", "must be a JSON object"},
      {R"({"stepz": []})", "unknown field \"stepz\""},
      {R"({})", "field 'steps': missing"},
      {R"({"steps": [1]})", "rule 1: must be a JSON object"},
      {R"({"steps": [{}]})", "rule 1, field 'op': missing"},
      {R"({"steps": [{"op": "trimm"}]})", "rule 1 (trimm), field 'op': unknown op \"trimm\""},
      {R"({"steps": [{"op": "trim"}, {"op": "cast", "columns": "x", "to": "flaot"}]})",
       "rule 2 (cast), field 'to': must be one of integer"},
      {R"({"steps": [{"op": "cast", "name": "charges", "colums": "x"}]})",
       "rule 1 (cast 'charges'): unknown field \"colums\""},
      {R"({"steps": [{"op": "cast"}]})", "rule 1 (cast), field 'columns': missing"},
      {R"({"steps": [{"op": "cast", "columns": [1]}]})", "field 'columns': must be a string"},
      {R"({"steps": [{"op": "range", "column": "x", "min": "a"}]})",
       "field 'min': must be a number"},
      {R"({"steps": [{"op": "range", "column": "x", "min": 5, "max": 1}]})",
       "field 'max': is below"},
      {R"({"steps": [{"op": "range", "column": "x"}]})", "field 'min': give min, max or both"},
      {R"({"steps": [{"op": "regex", "columns": "x", "pattern": "(["}]})",
       "field 'pattern': invalid regular expression"},
      {R"({"steps": [{"op": "bucket", "column": "x", "into": "g", "buckets": [{"max": 5,
          "label": "a"}, {"max": 1, "label": "b"}]}]})",
       "field 'max': bounds must increase"},
      {R"({"steps": [{"op": "bucket", "column": "x", "into": "g", "buckets": []}]})",
       "field 'buckets': must not be empty"},
      {R"({"steps": [{"op": "map", "values": {"a": 1}}]})", "field 'values': the value of \"a\""},
      {R"({"steps": [{"op": "dedup", "window": 0}]})", "field 'window'"},
      {R"({"steps": [{"op": "impute", "column": "x", "strategy": "constant"}]})", "field 'value'"},
      {R"({"steps": [{"op": "boolean", "columns": "x", "true": 1, "false": 1}]})", "field 'false'"},
      {R"({"steps": [{"op": "trim", "repair": "yes"}]})", "field 'repair': must be true or false"},
      {R"({"steps": [{"op": "rename"}]})", "rule 1 (rename), field 'map': missing"},
  };
  for (const auto& [json, expected] : cases) {
    try {
      clean::load_rules(json, "r.json");
      ADD_FAILURE() << "accepted: " << json;
    } catch (const clean::rules_error& e) {
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos)
          << "rules: " << json << "\nerror: " << e.what();
      EXPECT_EQ(std::string(e.what()).rfind("r.json", 0), 0u) << e.what();
    }
  }
  EXPECT_THROW(clean::load_rules_file("/nonexistent/rules.json"), clean::rules_error);
  EXPECT_THROW(clean::preset("nosuch"), clean::rules_error);
}

TEST(CleanRules, RenameCollisionIsABindingError) {
  records recs({"a", "b"});
  recs.add({"1", "2"});
  auto chain = clean::load_rules(R"({"steps": [{"op": "rename", "map": {"a": "b"}}]})");
  const auto r = run(chain, recs);
  EXPECT_EQ(r.report.quarantined, 1u);
  EXPECT_NE(chain.binding_error().find("two columns are now named 'b'"), std::string::npos);
}

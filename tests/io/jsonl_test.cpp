// riptide::io::jsonl: examples, broken lines, and RapidCheck properties (round trip through a
// reference JSON writer, chunk-size invariance).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <range/v3/view/take.hpp>
#include <riptide/io/jsonl.hpp>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "reader_fixtures.hpp"

namespace io = riptide::io;
namespace test = riptide::test;

namespace {

struct jrec : test::record_facts {
  std::map<std::string, std::pair<io::field_kind, std::string>> fields;
  bool operator==(const jrec&) const = default;
};

std::ostream& operator<<(std::ostream& os, const jrec& r) {
  os << "{" << static_cast<const test::record_facts&>(r);
  for (const auto& [k, v] : r.fields) os << " " << k << "=" << v.second;
  return os << "}";
}

jrec snap(const io::record_view& r) {
  jrec s;
  static_cast<test::record_facts&>(s) = test::record_facts(r);
  for (std::size_t i = 0; i < r.fields.size(); ++i)
    if (r.fields[i].kind != io::field_kind::missing) {
      char number[32];
      s.fields[r.columns->name(i)] = {r.fields[i].kind,
                                      std::string(io::text_of(r.fields[i], number))};
    }
  return s;
}

std::vector<jrec> read_all(io::jsonl_reader reader) {
  return test::collect(std::move(reader), snap);
}

std::vector<jrec> read_text(const std::string& text) {
  return read_all(io::read_jsonl_text(text));
}

std::vector<jrec> read_chunked(const std::string& text, std::size_t chunk) {
  io::jsonl_options opts;
  opts.chunk_bytes = chunk;
  return read_all(io::read_jsonl(test::chunked_source(text, chunk), opts));
}

using kv = std::pair<io::field_kind, std::string>;

}  // namespace

TEST(Jsonl, FlattensNestedObjectsKeepsArraysAndTypesScalars) {
  auto reader = io::read_jsonl_text(
      "{\"id\":7,\"name\":\"Ann \\\"A\\\" "
      "\\u00e9\",\"plan\":{\"tier\":{\"level\":2},\"price\":9.5},"
      "\"tags\":[1, \"x\", {\"y\":null}],\"active\":true,\"note\":null,\"empty\":{},"
      "\"big\":18446744073709551615,\"neg\":-3,\"exp\":1e3}\n");
  const auto rs = read_all(reader);
  ASSERT_EQ(rs.size(), 1u);
  ASSERT_TRUE(rs[0].error == io::error_code::none) << rs[0];
  const auto& f = rs[0].fields;
  EXPECT_EQ(f.at("id"), kv(io::field_kind::integer, "7"));
  EXPECT_EQ(f.at("name"), kv(io::field_kind::text, "Ann \"A\" \xC3\xA9"));
  EXPECT_EQ(f.at("plan.tier.level"), kv(io::field_kind::integer, "2"));
  EXPECT_EQ(f.at("plan.price"), kv(io::field_kind::real, "9.5"));
  EXPECT_EQ(f.at("tags"), kv(io::field_kind::text, "[1,\"x\",{\"y\":null}]"));
  EXPECT_EQ(f.at("active"), kv(io::field_kind::boolean, "true"));
  EXPECT_EQ(f.at("note"), kv(io::field_kind::null, "null"));
  EXPECT_EQ(f.at("empty"), kv(io::field_kind::text, "{}"));
  EXPECT_EQ(f.at("big"), kv(io::field_kind::real, "18446744073709551615"));
  EXPECT_EQ(f.at("neg"), kv(io::field_kind::integer, "-3"));
  EXPECT_EQ(f.at("exp"), kv(io::field_kind::real, "1000"));
  EXPECT_EQ(reader.columns().names(),
            (std::vector<std::string>{"id", "name", "plan.tier.level", "plan.price", "tags",
                                      "active", "note", "empty", "big", "neg", "exp"}));
}

TEST(Jsonl, MixedKeySetsGrowTheSchema) {
  auto reader = io::read_jsonl_text("{\"a\":1,\"b\":2}\n{\"c\":3,\"a\":4}\n{\"b\":5}\n");
  std::vector<std::vector<io::field_kind>> kinds;
  for (const auto& r : reader) {
    ASSERT_TRUE(r.ok());
    kinds.push_back({r.get("a").kind, r.get("b").kind, r.get("c").kind});
    if (r.where.index == 1) {
      EXPECT_EQ(r.get("a").integer(), 4);  // numbers are values (text_of gives their text)
      EXPECT_EQ(r.get("c").integer(), 3);
      EXPECT_TRUE(r.get("a").text.empty());
    }
  }
  using k = io::field_kind;
  EXPECT_EQ(kinds, (std::vector<std::vector<k>>{{k::integer, k::integer, k::missing},
                                                {k::integer, k::missing, k::integer},
                                                {k::missing, k::integer, k::missing}}));
  EXPECT_EQ(reader.columns().names(), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(Jsonl, MalformedLinesAreErrorRecordsWithSimdjsonsText) {
  const std::string text =
      "{\"a\":1}\n{\"a\":2,\n\n{\"a\":3} x\r\n[1,2]\n{\"a\":tru}\n{\"a\":\"\xFF\"}\n{\"a\":4}";
  auto reader = io::read_jsonl_text(text);
  const auto rs = read_all(reader);
  ASSERT_EQ(rs.size(), 7u);
  EXPECT_EQ(rs[0].error, io::error_code::none);
  EXPECT_EQ(rs[1].error, io::error_code::json_syntax);
  EXPECT_EQ(rs[1].line, 2u);
  EXPECT_EQ(rs[1].offset, 8u);
  EXPECT_EQ(rs[1].raw, "{\"a\":2,");
  EXPECT_FALSE(rs[1].message.empty());
  EXPECT_EQ(rs[2].error, io::error_code::json_syntax);  // trailing content
  EXPECT_EQ(rs[2].line, 4u);
  EXPECT_EQ(rs[2].raw, "{\"a\":3} x");
  EXPECT_EQ(rs[3].error, io::error_code::json_syntax);  // not an object
  EXPECT_EQ(rs[4].error, io::error_code::json_syntax);
  EXPECT_EQ(rs[5].error, io::error_code::invalid_utf8);
  EXPECT_EQ(rs[6].error, io::error_code::none);
  EXPECT_EQ(rs[6].fields.at("a"), kv(io::field_kind::integer, "4"));
  EXPECT_EQ(rs[6].line, 8u);
  EXPECT_EQ(rs[6].offset, text.size() - 7);
  EXPECT_EQ(reader.stats().errors, 5u);
  EXPECT_EQ(reader.stats().blank_lines, 1u);
  EXPECT_EQ(reader.stats().bytes, text.size());
}

TEST(Jsonl, NulBytesAreNamed) {
  std::string text = "{\"a\":\"x";
  text += '\0';
  text += "\"}\n";
  const auto rs = read_text(text);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].error, io::error_code::nul_byte);
}

TEST(Jsonl, ByteOrderMarkCrlfAndBlankLines) {
  auto reader = io::read_jsonl_text("\xEF\xBB\xBF{\"a\":1}\r\n  \r\n\t\n{\"a\":2}\r\n");
  const auto rs = read_all(reader);
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].offset, 3u);
  EXPECT_EQ(rs[0].raw, "{\"a\":1}");
  EXPECT_EQ(rs[1].line, 4u);
  EXPECT_EQ(reader.stats().blank_lines, 2u);
}

TEST(Jsonl, TooLongLinesInStreamsAreCut) {
  io::jsonl_options opts;
  opts.max_record_bytes = 16;
  opts.chunk_bytes = 4;
  std::istringstream in("{\"a\":\"" + std::string(50, 'x') + "\"}\n{\"a\":1}\n");
  const auto rs = read_all(io::read_jsonl(in, opts));
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].error, io::error_code::too_large);
  EXPECT_EQ(rs[1].error, io::error_code::none);
  EXPECT_EQ(rs[1].line, 2u);
  EXPECT_EQ(rs[1].offset, 59u);
}

TEST(Jsonl, ComposesWithRangeV3ViewsOverAFile) {
  const auto path = std::filesystem::temp_directory_path() / "riptide_jsonl_test.jsonl";
  {
    std::ofstream out(path, std::ios::binary);
    for (int i = 0; i < 50; ++i) out << "{\"i\":" << i << ",\"sq\":" << i * i << "}\n";
  }
  std::vector<std::string> squares;
  for (const auto& r : io::read_jsonl(path) | ranges::views::take(10)) {
    char number[32];
    squares.emplace_back(io::text_of(r.get("sq"), number));
  }
  std::filesystem::remove(path);
  ASSERT_EQ(squares.size(), 10u);
  EXPECT_EQ(squares[9], "81");
}

TEST(Jsonl, ValueErrorsNameTheMemberHoldingThem) {
  const auto rs = read_text(
      "{\"id\":1,\"plan\":{\"price\":9.5}}\n"
      "{\"id\":2,\"plan\":{\"price\":1e999}}\n"
      "{\"id\":3,\"ok\":tru}\n"
      "{\"id\":4,\"tags\":[1,\"bad \\q escape\"]}\n"
      "{\"id\":5,\n");
  ASSERT_EQ(rs.size(), 5u);
  EXPECT_EQ(rs[0].error, io::error_code::none);
  EXPECT_EQ(rs[1].error, io::error_code::json_syntax);
  EXPECT_NE(rs[1].message.find("(member \"plan.price\")"), std::string::npos) << rs[1].message;
  EXPECT_EQ(rs[1].error_field, 1);  // the column plan.price, known from line 1
  EXPECT_NE(rs[2].message.find("(member \"ok\")"), std::string::npos) << rs[2].message;
  EXPECT_EQ(rs[2].error_field, -1);  // no column "ok" yet
  EXPECT_NE(rs[3].message.find("(member \"tags\")"), std::string::npos) << rs[3].message;
  // A line cut short is not one member's error.
  EXPECT_EQ(rs[4].error, io::error_code::json_syntax);
  EXPECT_EQ(rs[4].message.find("member"), std::string::npos) << rs[4].message;
  EXPECT_EQ(rs[4].error_field, -1);
}

// --- Properties -------------------------------------------------------------------------------

namespace {

struct jvalue {
  io::field_kind kind;
  std::string text;  // the expected field text
  std::string json;  // as written
};

std::string json_escape(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

rc::Gen<jvalue> value_gen() {
  return rc::gen::oneOf(
      rc::gen::map(
          test::joined(rc::gen::container<std::vector<std::string>>(rc::gen::element<std::string>(
              "a", " ", "\"", "\\", "\n", "\r", "\t", "\x01", "\xC3\xA9", "\xF0\x9F\x98\x80", ",",
              "{", "}", "[", "]", ":"))),
          [](const std::string& s) {
            return jvalue{io::field_kind::text, s, json_escape(s)};
          }),
      rc::gen::map(rc::gen::arbitrary<std::int64_t>(),
                   [](std::int64_t i) {
                     return jvalue{io::field_kind::integer, std::to_string(i), std::to_string(i)};
                   }),
      rc::gen::map(rc::gen::arbitrary<double>(),
                   [](double d) {
                     if (!std::isfinite(d)) d = 0.5;
                     // Written with 17 digits, read back in shortest round-trip form.
                     char buf[64];
                     std::snprintf(buf, sizeof buf, "%.17e", d);
                     char shortest[64];
                     const auto r = std::to_chars(shortest, shortest + sizeof shortest, d);
                     return jvalue{
                         io::field_kind::real,
                         std::string(shortest, static_cast<std::size_t>(r.ptr - shortest)), buf};
                   }),
      rc::gen::map(rc::gen::arbitrary<bool>(),
                   [](bool b) {
                     const std::string t = b ? "true" : "false";
                     return jvalue{io::field_kind::boolean, t, t};
                   }),
      rc::gen::just(jvalue{io::field_kind::null, "null", "null"}));
}

}  // namespace

RC_GTEST_PROP(JsonlProperty, WrittenObjectsReadBackEqual, ()) {
  const auto keys = std::vector<std::string>{"id", "name", "x y", "caf\xC3\xA9", "q\"k", "n"};
  const auto rows = *rc::gen::container<std::vector<std::vector<std::pair<int, jvalue>>>>(
      rc::gen::container<std::vector<std::pair<int, jvalue>>>(
          rc::gen::pair(rc::gen::inRange(0, static_cast<int>(keys.size())), value_gen())));
  const std::string eol = *rc::gen::element<std::string>("\n", "\r\n");
  std::string text;
  std::vector<std::map<std::string, kv>> expected;
  for (const auto& row : rows) {
    std::map<std::string, kv> e;
    text += '{';
    bool first = true;
    for (const auto& [k, v] : row) {
      // Nested: odd key numbers go under "obj".
      if (!first) text += ',';
      first = false;
      if (k % 2 == 1) {
        text += "\"obj\":{" + json_escape(keys[k]) + ":" + v.json + "}";
        e["obj." + keys[k]] = {v.kind, v.text};
      } else {
        text += json_escape(keys[k]) + ":" + v.json;
        e[keys[k]] = {v.kind, v.text};
      }
    }
    text += '}' + eol;
    expected.push_back(e);
  }
  const auto rs = read_text(text);
  RC_ASSERT(rs.size() == rows.size());
  for (std::size_t i = 0; i < rs.size(); ++i) {
    RC_ASSERT(rs[i].error == io::error_code::none);
    RC_ASSERT(rs[i].line == i + 1);
    RC_ASSERT(rs[i].fields == expected[i]);
  }
}

RC_GTEST_PROP(JsonlProperty, AnyChunkSizeGivesTheSameRecords, ()) {
  const std::string text =
      *test::joined(rc::gen::container<std::vector<std::string>>(rc::gen::element<std::string>(
          "{\"a\":1}", "{\"b\":{\"c\":[1,2]}}", "\n", "\n", "\r\n", "{", "}", "\"", ":", ",",
          "\"k\"", "1.5", "true", "null", " ", "\xFF", std::string(1, '\0'), "\xEF\xBB\xBF")));
  const auto chunk = *rc::gen::inRange<std::size_t>(1, 64);
  RC_ASSERT(read_chunked(text, chunk) == read_text(text));
}

// Doubles are written as std::to_chars writes them, whether by the fast short-decimal path or not.
RC_GTEST_PROP(JsonlProperty, DoublesAreFormattedAsToChars, ()) {
  const auto check = [](double x) {
    char fast[32], reference[32];
    const std::string_view text = io::text_of(io::field::from_real(x), fast);
    const auto r = std::to_chars(reference, reference + sizeof reference, x);
    RC_ASSERT(text == std::string_view(reference, static_cast<std::size_t>(r.ptr - reference)));
  };
  // Short decimals (the fast path), around its limits, and arbitrary doubles.
  const auto mantissa =
      *rc::gen::inRange<std::int64_t>(-2'000'000'000'000'000, 2'000'000'000'000'000);
  const auto decimals = *rc::gen::inRange(0, 9);
  const auto shift = *rc::gen::inRange(0, 56);
  check(static_cast<double>(mantissa >> shift) / std::pow(10.0, decimals));
  check(static_cast<double>(*rc::gen::inRange(-100000, 100000)) / 100.0);
  check(static_cast<double>(*rc::gen::inRange(1, 1000)) *
        std::pow(10.0, *rc::gen::inRange(-12, 20)));
  const double any = *rc::gen::arbitrary<double>();
  if (std::isfinite(any)) check(any);
}

// Integers read back as std::to_chars writes them (small ones take a branch-free path), with kind
// integer, or real beyond int64.
RC_GTEST_PROP(JsonlProperty, IntegersAreFormattedAsToChars, ()) {
  const auto check = [](auto x, io::field_kind kind) {
    char reference[32];
    const auto r = std::to_chars(reference, reference + sizeof reference, x);
    const std::string text(reference, r.ptr);
    const auto rs = read_text("{\"n\":" + text + "}\n{\"n\":" + text + "}\n");
    RC_ASSERT(rs.size() == 2u);
    for (const auto& rec : rs) RC_ASSERT((rec.fields.at("n") == kv{kind, text}));
  };
  check(*rc::gen::inRange<std::int64_t>(-20000, 20000), io::field_kind::integer);
  check(*rc::gen::arbitrary<std::int64_t>(), io::field_kind::integer);
  check(*rc::gen::inRange<std::uint64_t>(std::uint64_t{1} << 63, ~std::uint64_t{0}),
        io::field_kind::real);
}

// A JSON number's value (the field's payload) and its text (materialised on demand by
// io::text_of) agree: std::from_chars of the text gives the payload bit for bit, in the reader's
// view and in an owning io::record copy. Within int64 the text is not materialised by the reader.
RC_GTEST_PROP(JsonlProperty, NumberPayloadAndTextAgree, ()) {
  std::string json;
  const int shape = *rc::gen::inRange(0, 5);
  switch (shape) {
    case 0:
      json = std::to_string(*rc::gen::inRange<std::int64_t>(-20000, 20000));
      break;
    case 1:
      json = std::to_string(*rc::gen::arbitrary<std::int64_t>());
      break;
    case 2:
      json = std::to_string(
          *rc::gen::inRange<std::uint64_t>(std::uint64_t{1} << 63, ~std::uint64_t{0}));
      break;
    case 3: {
      const auto mantissa = *rc::gen::inRange<std::int64_t>(-2'000'000'000, 2'000'000'000);
      json = std::to_string(mantissa / 100) + "." + std::to_string(std::abs(mantissa % 100)) +
             *rc::gen::element<std::string>("", "0", "e3", "E-7", "e+300");
      break;
    }
    default: {
      const double any = *rc::gen::arbitrary<double>();
      RC_PRE(std::isfinite(any));
      char buf[32];
      json.assign(buf,
                  std::to_chars(buf, buf + sizeof buf, any, std::chars_format::scientific).ptr);
    }
  }
  auto reader = io::read_jsonl_text("{\"n\":" + json + "}\n");
  std::vector<io::record> copies;
  for (const auto& r : reader) {
    RC_ASSERT(r.ok());
    copies.emplace_back(r);
    const io::field& f = r.fields[0];
    RC_ASSERT(f.has_number);
    RC_ASSERT(f.text.empty() == (shape != 2));  // beyond int64: kept as text too
    for (const io::field& g : {f, copies.back().view().fields[0]}) {
      char buf[32];
      const std::string_view text = io::text_of(g, buf);
      RC_ASSERT(g.has_number);
      RC_ASSERT(g.kind == f.kind);
      if (g.kind == io::field_kind::integer) {
        std::int64_t x = 0;
        const auto r2 = std::from_chars(text.data(), text.data() + text.size(), x);
        RC_ASSERT((r2.ec == std::errc() && r2.ptr == text.data() + text.size()));
        RC_ASSERT(std::bit_cast<std::uint64_t>(x) == g.number_bits);
      } else {
        double x = 0;
        const auto r2 = std::from_chars(text.data(), text.data() + text.size(), x);
        RC_ASSERT((r2.ec == std::errc() && r2.ptr == text.data() + text.size()));
        RC_ASSERT(std::bit_cast<std::uint64_t>(x) == g.number_bits);
      }
    }
  }
  RC_ASSERT(copies.size() == 1u);
}

namespace {

// A JSON object of random shape: keys from a small set (so shapes overlap between lines), nested
// objects (some empty) up to depth 3, and the flattened fields it should read as.
struct shaped {
  std::string json;
  std::map<std::string, kv> fields;
};

shaped shaped_object(std::size_t depth, const std::string& prefix) {
  shaped out;
  out.json = "{";
  const auto members = *rc::gen::inRange<std::size_t>(0, depth == 0 ? 5 : 3);
  for (std::size_t m = 0; m < members; ++m) {
    const std::string key = *rc::gen::element<std::string>("a", "b", "c", "ab");
    const std::string name = prefix.empty() ? key : prefix + "." + key;
    if (m > 0) out.json += ',';
    out.json += "\"" + key + "\":";
    if (depth < 3 && *rc::gen::inRange(0, 3) == 0) {
      const shaped inner = shaped_object(depth + 1, name);
      out.json += inner.json;
      // A name repeated in one record keeps its last value.
      if (inner.fields.empty()) out.fields[name] = {io::field_kind::text, "{}"};
      for (const auto& [k, v] : inner.fields) out.fields[k] = v;
    } else {
      const int v = *rc::gen::inRange(0, 100);
      out.json += std::to_string(v);
      out.fields[name] = {io::field_kind::integer, std::to_string(v)};
    }
  }
  out.json += "}";
  return out;
}

}  // namespace

// Lines whose key sets and nesting change from line to line (the reader reuses the previous
// line's key sequence while it matches) read as each line read on its own.
RC_GTEST_PROP(JsonlProperty, ChangingShapesReadAsEachLineAlone, ()) {
  const auto count = *rc::gen::inRange<std::size_t>(1, 12);
  std::string text;
  std::vector<shaped> lines;
  for (std::size_t i = 0; i < count; ++i) {
    lines.push_back(shaped_object(0, ""));
    // Often repeat the previous line's shape exactly.
    if (i > 0 && *rc::gen::inRange(0, 3) == 0) lines.back() = lines[i - 1];
    text += lines.back().json + "\n";
  }
  const auto rs = read_text(text);
  RC_ASSERT(rs.size() == count);
  for (std::size_t i = 0; i < count; ++i) {
    RC_ASSERT(rs[i].error == io::error_code::none);
    RC_ASSERT(rs[i].fields == lines[i].fields);
    const auto alone = read_text(lines[i].json + "\n");
    RC_ASSERT(alone.size() == 1u);
    RC_ASSERT(alone[0].fields == rs[i].fields);
  }
}

namespace {

// One line of a messy JSON Lines stream: a good object (of a changing shape, sometimes padded
// with blanks), or one of the ways lines break: cut short, trailing text, two objects, not an
// object, bad UTF-8, a NUL byte, an unclosed string (which confuses simdjson about everything
// after it), an object continued on the next line, a bad value; or a blank line.
std::string messy_line() {
  switch (*rc::gen::inRange(0, 6)) {
    case 0:
    case 1:
      return shaped_object(0, "").json;
    case 2:
      return *rc::gen::element<std::string>(" ", "\t", "", "\r") + shaped_object(0, "").json +
             *rc::gen::element<std::string>(" ", "\t ", "", "\r");
    case 3:
      return *rc::gen::element<std::string>("", " ", "\t\r", "  ");
    default:
      return *rc::gen::element<std::string>(
          "{\"a\":1", "{\"a\":1} x", "{\"a\":1}{\"b\":2}", "{\"a\":1} {\"b\":2}", "[1,2]", "7",
          "\"s\"", "{\"a\":\"\xFF\"}", std::string("{\"a\":\"x\0y\"}", 11),
          std::string("{\"a\":1}\0", 8), "{\"a\":\"open", "\"", "{\"a\":", "1}", "{\"a\":tru}",
          "{\"a\":1e999}", "{\"a\":[1,\"\\q\"]}", "{\"a\":{\"b\":}}", "}", "{", "\xEF\xBB\xBF{}");
  }
}

struct read_result {
  std::vector<jrec> records;
  std::uint64_t blank_lines, lines, bytes, errors;
  bool operator==(const read_result&) const = default;
};

read_result read_with(const std::string& text, std::size_t batch_bytes, std::size_t chunk,
                      std::size_t max_record_bytes = std::size_t{64} << 20,
                      bool on_demand = false) {
  io::jsonl_options opts;
  opts.on_demand = on_demand;
  opts.batch_bytes = batch_bytes;
  opts.max_record_bytes = max_record_bytes;
  if (chunk > 0) opts.chunk_bytes = chunk;
  auto reader = chunk > 0 ? io::read_jsonl(test::chunked_source(text, chunk), opts)
                          : io::read_jsonl_text(text, opts);
  read_result out;
  for (const auto& r : reader) out.records.push_back(snap(r));
  const auto& s = reader.stats();
  out.blank_lines = s.blank_lines;
  out.lines = s.lines;
  out.bytes = s.bytes;
  out.errors = s.errors;
  return out;
}

}  // namespace

// Parsing lines in batches (simdjson parse_many, restarted after a line it cannot take) gives
// exactly the records, errors, messages and counts of parsing each line alone, for any batch
// size and any chunk size, and with a line length limit too; so does reading them with
// On-Demand first (the default).
RC_GTEST_PROP(JsonlProperty, BatchesReadAsLineByLine, ()) {
  const auto count = *rc::gen::inRange<std::size_t>(0, 40);
  std::string text = *rc::gen::element<std::string>("", "", "\xEF\xBB\xBF");
  for (std::size_t i = 0; i < count; ++i)
    text += messy_line() + *rc::gen::element<std::string>("\n", "\n", "\r\n");
  if (*rc::gen::arbitrary<bool>() && !text.empty()) text.pop_back();  // no final line end
  const auto line_by_line = read_with(text, 0, 0);
  RC_ASSERT(line_by_line.records.size() + line_by_line.blank_lines == line_by_line.lines);
  const auto batch = *rc::gen::element<std::size_t>(1, 16, 64, 200, 1024, std::size_t{256} << 10);
  RC_ASSERT(read_with(text, batch, 0) == line_by_line);
  const auto chunk = *rc::gen::inRange<std::size_t>(1, 300);
  RC_ASSERT(read_with(text, batch, chunk) == line_by_line);
  const auto limit = *rc::gen::inRange<std::size_t>(1, 80);
  RC_ASSERT(read_with(text, batch, chunk, limit) == read_with(text, 0, chunk, limit));
  RC_ASSERT(read_with(text, 0, 0, std::size_t{64} << 20, true) == line_by_line);
  RC_ASSERT(read_with(text, batch, 0, std::size_t{64} << 20, true) == line_by_line);
  RC_ASSERT(read_with(text, batch, chunk, limit, true) == read_with(text, 0, chunk, limit));
}

namespace {

// Any JSON value as text: numbers of every kind simdjson knows (int64, beyond int64, beyond
// 2^64, -0.0, 1e300, out of range), strings with escapes and UTF-8, literals, arrays holding
// anything (kept as their text), objects (nested, empty) with keys from a pool that makes
// shapes repeat, collide when flattened ("a.b" and {"a":{"b":}}) and cross the tape walk's key
// word boundaries (12, 28 bytes).
std::string any_key() {
  return *rc::gen::element<std::string>(
      "a", "b", "ab", "a.b", "", "\\u00e9t\\u00e9", "caf\xC3\xA9", "tab\\tkey", "q\\\"uote",
      "twelve_bytes", "thirteen_byte", "key_of_exactly_28_bytes_long",
      "key_of_exactly_29_bytes_long_", "a_key_much_longer_than_the_two_sixteen_byte_words_cover");
}

std::string any_json(std::size_t depth);

std::string any_object(std::size_t depth) {
  std::string json = "{";
  const auto members = *rc::gen::inRange<std::size_t>(0, depth == 0 ? 7 : 4);
  for (std::size_t m = 0; m < members; ++m) {
    if (m > 0) json += ',';
    json += '"';  // (appended piece by piece: GCC 12 warns falsely on a + chain here)
    json += any_key();
    json += "\":";
    json += any_json(depth + 1);
  }
  return json + "}";
}

std::string any_json(std::size_t depth) {
  switch (*rc::gen::inRange(0, depth < 3 ? 9 : 7)) {
    case 0:
      return std::to_string(*rc::gen::arbitrary<std::int64_t>());
    case 1:
      return *rc::gen::element<std::string>(
          "0", "-0", "-0.0", "0.0", "1e300", "-1e-300", "1.5", "2.5e-3", "18446744073709551615",
          "9223372036854775808", "9223372036854775807", "-9223372036854775808",
          "18446744073709551616", "1e999", "123456789012345678901234567890");
    case 2: {
      const double any = *rc::gen::arbitrary<double>();
      if (!std::isfinite(any)) return "1";
      char buf[32];
      return std::string(buf, std::to_chars(buf, buf + sizeof buf, any).ptr);
    }
    case 3:
      return *rc::gen::element<std::string>(
          "\"\"", "\"plain\"", "\"esc\\n\\t\\\\\\/\\\"\"", "\"\\u00e9\\ud83d\\ude00\"",
          "\"\xC3\xBC\xF0\x9F\x98\x80\"", "\"with, comma: and {braces}\"", "\"\\u0000nul\"");
    case 4:
      return *rc::gen::element<std::string>("true", "false", "null");
    case 5:
    case 6: {
      const std::size_t n = *rc::gen::inRange<std::size_t>(0, 6);
      std::string s(n, 'x');
      for (auto& c : s) c = *rc::gen::element('a', 'b', 'c', ' ', '.', '9');
      return "\"" + s + "\"";
    }
    case 7: {
      std::string json = "[";
      const auto n = *rc::gen::inRange<std::size_t>(0, 4);
      for (std::size_t i = 0; i < n; ++i) json += (i > 0 ? "," : "") + any_json(depth + 1);
      return json + "]";
    }
    default:
      return any_object(depth + 1);
  }
}

// An object with these keys (repeats allowed) and values of any type.
std::string object_with_keys(const std::vector<std::string>& keys) {
  std::string json = "{";
  for (std::size_t m = 0; m < keys.size(); ++m) {
    if (m > 0) json += ',';
    json += '"';
    json += keys[m];
    json += "\":";
    json += any_json(1);
  }
  return json + "}";
}

// Everything a record says, numbers bit for bit.
struct full_record : test::record_facts {
  std::vector<std::tuple<std::string, io::field_kind, std::string, bool, std::uint64_t>> fields;
  bool operator==(const full_record&) const = default;
};

std::ostream& operator<<(std::ostream& os, const full_record& r) {
  os << "{" << static_cast<const test::record_facts&>(r);
  for (const auto& [name, kind, text, number, bits] : r.fields)
    os << " " << name << "=" << static_cast<int>(kind) << ":" << text << ":" << number << ":"
       << bits;
  return os << "}";
}

std::vector<full_record> read_full(const std::string& text, bool element_walk,
                                   std::size_t batch_bytes,
                                   io::newline_kernel newlines = io::newline_kernel::automatic,
                                   bool on_demand = false) {
  io::jsonl_options opts;
  opts.on_demand = on_demand;
  opts.element_walk = element_walk;
  opts.batch_bytes = batch_bytes;
  opts.newlines = newlines;
  std::vector<full_record> out;
  for (const auto& r : io::read_jsonl_text(text, opts)) {
    full_record s;
    static_cast<test::record_facts&>(s) = test::record_facts(r);
    for (std::size_t i = 0; i < r.fields.size(); ++i) {
      const io::field& f = r.fields[i];
      if (f.kind == io::field_kind::missing) continue;
      s.fields.emplace_back(r.columns->name(i), f.kind, std::string(f.text), f.has_number,
                            f.has_number ? f.number_bits : 0);
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

// Reading simdjson's tape directly gives exactly the records of reading it through
// dom::element: fields (kinds, texts, numbers bit for bit, arrays' text), columns, errors and
// messages, over lines of any values whose shapes often repeat (the tape walk then leaves the
// last record's fields uncleared), with values of the same or other types, change, shrink and
// grow, and broken lines between them.
RC_GTEST_PROP(JsonlProperty, TapeWalkReadsAsElementWalk, ()) {
  const auto count = *rc::gen::inRange<std::size_t>(1, 30);
  std::vector<std::string> lines;
  std::vector<std::string> keys;  // the keys of the last keyed line (cases 6 and 7)
  std::string text;
  for (std::size_t i = 0; i < count; ++i) {
    switch (*rc::gen::inRange(0, 8)) {
      case 6:  // new keys, each key maybe twice
        keys.clear();
        for (auto n = *rc::gen::inRange(0, 7); n > 0; --n) keys.push_back(any_key());
        lines.push_back(object_with_keys(keys));
        break;
      case 7:  // the last keyed line's keys with values of other types (or an object: a new shape)
        lines.push_back(object_with_keys(keys));
        break;
      case 0:
      case 1:
        lines.push_back(any_object(0));
        break;
      case 2:
      case 3:  // the last line again, or with other values of the same types
        lines.push_back(lines.empty() ? any_object(0) : lines.back());
        break;
      case 4:
        lines.push_back(messy_line());
        break;
      default:
        lines.push_back(shaped_object(0, "").json);
    }
    text += lines.back() + "\n";
  }
  const auto batch = *rc::gen::element<std::size_t>(0, 64, std::size_t{256} << 10);
  const auto by_elements = read_full(text, true, batch);
  RC_ASSERT(read_full(text, false, batch) == by_elements);
  RC_ASSERT(read_full(text, false, 0) == read_full(text, true, 0));
  // On-Demand first (the default), the DOM parser for the lines it gives up on.
  RC_ASSERT(read_full(text, false, batch, io::newline_kernel::automatic, true) == by_elements);
}

// The kernels this CPU has, for the newline scan.
std::vector<io::newline_kernel> newline_kernels() {
  std::vector<io::newline_kernel> kernels{io::newline_kernel::portable};
  if (io::detail::cpu_has_newline_avx2()) kernels.push_back(io::newline_kernel::avx2);
  if (io::detail::cpu_has_newline_avx512()) kernels.push_back(io::newline_kernel::avx512);
  return kernels;
}

// Every newline kernel finds exactly the '\n' bytes a plain loop finds, in blocks of any length
// at any alignment, whatever the other bytes and however dense the newlines.
RC_GTEST_PROP(NewlineScan, EveryKernelFindsEveryNewline, ()) {
  const auto size = *rc::gen::inRange<std::size_t>(0, 700);
  const auto offset = *rc::gen::inRange<std::size_t>(0, 64);
  const auto one_in = *rc::gen::inRange(1, 300);  // about one byte in one_in is a newline
  std::mt19937 rng(*rc::gen::arbitrary<std::uint32_t>());
  std::string bytes(offset + size, '\0');
  for (auto& c : bytes)
    c = static_cast<int>(rng() % static_cast<unsigned>(one_in)) == 0 ? '\n'
                                                                     : static_cast<char>(rng());
  std::vector<std::uint32_t> expected;
  for (std::size_t i = 0; i < size; ++i)
    if (bytes[offset + i] == '\n') expected.push_back(static_cast<std::uint32_t>(i));
  for (const auto kernel : newline_kernels()) {
    io::newline_scanner scanner(kernel);
    const auto found = scanner.find(bytes.data() + offset, size);
    RC_ASSERT(std::vector<std::uint32_t>(found.begin(), found.end()) == expected);
  }
}

// The reader gives the same records, errors and counts with every newline kernel.
RC_GTEST_PROP(JsonlProperty, EveryNewlineKernelReadsTheSame, ()) {
  std::string text;
  for (auto n = *rc::gen::inRange(1, 40); n > 0; --n) text += messy_line() + "\n";
  const auto batch = *rc::gen::element<std::size_t>(64, 4096, std::size_t{256} << 10);
  const auto portable = read_full(text, false, batch, io::newline_kernel::portable);
  for (const auto kernel : newline_kernels())
    RC_ASSERT(read_full(text, false, batch, kernel) == portable);
}

// The tape walk's key words: keys that differ only past a 16-byte word, or only in length, or
// only in their middle bytes, are told apart.
TEST(Jsonl, TapeWalkTellsNearKeysApart) {
  const std::string long_a = "a_key_much_longer_than_the_two_sixteen_byte_words_cover_A";
  std::string long_b = long_a;
  long_b[30] = 'X';  // a middle byte
  const std::string text =
      "{\"twelve_bytes\":1,\"" + long_a + "\":2}\n" + "{\"twelve_byteZ\":1,\"" + long_b +
      "\":2}\n" + "{\"twelve_bytes_\":1,\"" + long_a + "\":2}\n" + "{\"twelve_byte\":1,\"" +
      long_a + "\":2}\n" + "{\"twelve_bytes\":1,\"" + long_a + "\":2}\n";
  auto reader = io::read_jsonl_text(text);
  std::vector<std::vector<std::string>> keys;
  for (const auto& r : reader) {
    ASSERT_TRUE(r.ok());
    keys.emplace_back();
    for (std::size_t i = 0; i < r.fields.size(); ++i)
      if (r.fields[i].kind != io::field_kind::missing) keys.back().push_back(r.columns->name(i));
  }
  ASSERT_EQ(keys.size(), 5u);
  EXPECT_EQ(keys[0], (std::vector<std::string>{"twelve_bytes", long_a}));
  EXPECT_EQ(keys[1], (std::vector<std::string>{"twelve_byteZ", long_b}));
  EXPECT_EQ(keys[2], (std::vector<std::string>{long_a, "twelve_bytes_"}));
  EXPECT_EQ(keys[3], (std::vector<std::string>{long_a, "twelve_byte"}));
  EXPECT_EQ(keys[4], (std::vector<std::string>{"twelve_bytes", long_a}));
  EXPECT_EQ(reader.columns().size(), 6u);
}

// A record repeating the last record's keys in the same order but at other depths (a member
// moving into or out of a nested object) is not read with the last record's columns.
TEST(Jsonl, RepeatedKeysAtOtherDepthsKeepTheirNames) {
  const std::string text =
      "{\"a\":{\"b\":1},\"c\":2}\n{\"a\":{\"b\":1,\"c\":2}}\n{\"a\":{\"b\":1},\"c\":2}\n"
      "{\"a\":{},\"b\":1}\n{\"a\":{\"b\":1}}\n{\"a\":{\"b\":{\"c\":\"x\"}}}\n"
      "{\"a\":{\"b\":{},\"c\":\"x\"}}\n";
  const auto by_tape = read_full(text, false, 0);
  EXPECT_EQ(by_tape, read_full(text, true, 0));
  EXPECT_EQ(read_full(text, false, std::size_t{256} << 10), by_tape);
  EXPECT_EQ(read_full(text, false, 0, io::newline_kernel::automatic, true), by_tape);
  ASSERT_EQ(by_tape.size(), 7u);
  using fields = decltype(by_tape[0].fields);
  const auto integer = [](const std::string& name, std::int64_t v) {
    return std::make_tuple(name, io::field_kind::integer, std::string(), true,
                           std::bit_cast<std::uint64_t>(v));
  };
  const auto text_field = [](const std::string& name, const std::string& t) {
    return std::make_tuple(name, io::field_kind::text, t, false, std::uint64_t{0});
  };
  EXPECT_EQ(by_tape[1].fields, (fields{integer("a.b", 1), integer("a.c", 2)}));
  EXPECT_EQ(by_tape[2].fields, (fields{integer("a.b", 1), integer("c", 2)}));
  EXPECT_EQ(by_tape[3].fields, (fields{text_field("a", "{}"), integer("b", 1)}));
  EXPECT_EQ(by_tape[4].fields, (fields{integer("a.b", 1)}));
  EXPECT_EQ(by_tape[6].fields, (fields{text_field("a.b", "{}"), text_field("a.c", "x")}));
}

// The On-Demand walk (the default) reads what the DOM parser reads, on the lines where the two
// could part: repeated keys spelt with escapes, keys that need escapes, keys longer than the
// two 16-byte words, values changing type under repeated keys, arrays (their minified text),
// integers beyond int64, -0, empty objects, text after the object, and lines it gives up on
// (errors, new columns) between repeating ones. Columns appear as with the DOM parser: a line
// that is an error adds none, even when its valid members come first.
TEST(Jsonl, OnDemandReadsAsTheDomParser) {
  const std::string long_key = "a_key_much_longer_than_the_two_sixteen_byte_words_cover";
  std::string text;
  const auto add = [&text](const std::string& line) {
    text += line;
    text += '\n';
  };
  add("{\"a\":1,\"b\":\"x\"}");
  add("{\"\\u0061\":2,\"b\":\"y\"}");  // "a" spelt with an escape
  add("{\"a\":3,\"b\":\"z\"}");
  add("{\"q\\\"uote\":1,\"back\\\\slash\":2,\"tab\\t\":3}");
  add("{\"q\\\"uote\":4,\"back\\\\slash\":5,\"tab\\t\":6}");
  add("{\"" + long_key + "\":1,\"a\":[1,\"two\",{\"x\":null},[],-0.0,1e3]}");
  add("{\"" + long_key + "\":\"now text\",\"a\":{\"nested\":true}}");
  add("{\"" + long_key + "\":9223372036854775808,\"a\":-0}");
  add("{\"" + long_key + "\":18446744073709551615,\"a\":{}}");
  add("{\"" + long_key + "\":1,\"a\":{}} ");
  add("{\"" + long_key + "\":1,\"a\":{}} x");
  add("{\"" + long_key + "\":1,\"a\":{}}}");
  add("{\"" + long_key + "\":1,\"a\":{},\"new\":tru}");
  add("{\"" + long_key + "\":1,\"a\":{},\"other\":1e999}");
  add("{\"" + long_key + "\":1,\"a\":{},\"third\":18446744073709551616}");
  add("{\"" + long_key + "\":2,\"a\":{}}");
  add("{\"" + long_key + "\":2,\"a\":{},\"new\":true}");
  add("{\"" + long_key + "\":3,\"a\":{},\"new\":false}");
  add("{\"" + long_key + "X\":3,\"a\":{},\"new\":false}");
  add("{\"b\":null,\"a\":\"\\u00e9\\n\"}");
  // Numbers of more than 19 digits (simdjson 3.0.1's On-Demand reads them as 0), in a value and
  // in an array, and 19-character ones.
  add("{\"b\":3.141592653589793238,\"a\":[0.1234567890123456789012345,1]}");
  add("{\"b\":12345678901234567890123.5,\"a\":[-1.234567890123456e-300]}");
  add("{\"b\":1.234567890123456e-30,\"a\":[1234567890123456789]}");
  add("{\"b\":null,\"a\":\"plain\"}");
  add("[1,2]");
  add("{\"b\":null,\"a\":\"plain\"}");
  const auto by_dom = read_full(text, false, 0);
  EXPECT_EQ(read_full(text, false, 0, io::newline_kernel::automatic, true), by_dom);
  for (const std::size_t batch : {std::size_t{64}, std::size_t{256} << 10})  // On-Demand batches
    EXPECT_EQ(read_full(text, false, batch, io::newline_kernel::automatic, true), by_dom);
  EXPECT_EQ(read_full(text, true, 0), by_dom);
  io::jsonl_options dom;
  dom.on_demand = false;
  auto dom_reader = io::read_jsonl_text(text, dom);
  auto od_reader = io::read_jsonl_text(text);
  auto d = dom_reader.begin();
  std::size_t errors = 0;
  for (const auto& r : od_reader) {  // the schema grows line by line as the DOM parser's
    ASSERT_NE(d, dom_reader.end());
    EXPECT_EQ(od_reader.columns().names(), dom_reader.columns().names()) << r.where.line;
    errors += r.ok() ? 0 : 1;
    ++d;
  }
  EXPECT_EQ(errors, 6u);
  ASSERT_EQ(by_dom.size(), 26u);
  EXPECT_FALSE(od_reader.columns().find("other").has_value());
  EXPECT_FALSE(od_reader.columns().find("third").has_value());
}

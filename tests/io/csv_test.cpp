// riptide::io::csv: examples, broken inputs, and RapidCheck properties (round trip through a
// reference writer, chunk-size invariance, SIMD == scalar == exact state machine).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <range/v3/view/take.hpp>
#include <riptide/io/csv.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "reader_fixtures.hpp"

namespace io = riptide::io;
namespace test = riptide::test;

namespace {

const std::string telco_train =
    std::string(RIPTIDE_SOURCE_DIR) + "/data/telco_customer_churn_train_data.csv";

// Everything a record says, owned, for comparisons.
struct snapshot : test::record_facts {
  std::vector<std::string> fields;
  bool operator==(const snapshot&) const = default;
};

std::ostream& operator<<(std::ostream& os, const snapshot& s) {
  os << "{" << static_cast<const test::record_facts&>(s) << " [";
  for (const auto& f : s.fields) os << '<' << f << '>';
  return os << "]}";
}

snapshot snap(const io::record_view& r) {
  snapshot s;
  static_cast<test::record_facts&>(s) = test::record_facts(r);
  for (const auto& f : r.fields) s.fields.emplace_back(f.text);
  return s;
}

std::vector<snapshot> read_all(io::csv_reader reader) {
  return test::collect(std::move(reader), snap);
}

std::vector<snapshot> read_text(const std::string& text, io::csv_options opts = {}) {
  return read_all(io::read_csv_text(text, std::move(opts)));
}

// The same text pushed through a callback source `chunk` bytes at a time.
std::vector<snapshot> read_chunked(const std::string& text, std::size_t chunk,
                                   io::csv_options opts = {}) {
  opts.chunk_bytes = std::max<std::size_t>(chunk, 1);
  return read_all(io::read_csv(test::chunked_source(text, chunk), std::move(opts)));
}

std::vector<std::string> texts(const snapshot& s) {
  return s.fields;
}

}  // namespace

// --- Examples ---------------------------------------------------------------------------------

TEST(Csv, ReadsHeaderFieldsAndProvenance) {
  auto reader = io::read_csv_text("id,name,score\n1,Ann,3.5\n2,Bob,\n");
  const auto rs = read_all(reader);
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(reader.columns().names(), (std::vector<std::string>{"id", "name", "score"}));
  EXPECT_EQ(texts(rs[0]), (std::vector<std::string>{"1", "Ann", "3.5"}));
  EXPECT_EQ(texts(rs[1]), (std::vector<std::string>{"2", "Bob", ""}));
  EXPECT_EQ(rs[0].line, 2u);
  EXPECT_EQ(rs[0].offset, 14u);
  EXPECT_EQ(rs[0].index, 0u);
  EXPECT_EQ(rs[1].line, 3u);
  EXPECT_EQ(rs[1].offset, 24u);
  EXPECT_EQ(rs[1].index, 1u);
  EXPECT_EQ(rs[1].raw, "2,Bob,");
  EXPECT_EQ(rs[0].source, "<text>");
  EXPECT_EQ(reader.stats().records, 2u);
  EXPECT_EQ(reader.stats().errors, 0u);
}

TEST(Csv, QuotedFieldsKeepDelimitersQuotesAndLineBreaks) {
  const auto rs = read_text("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",\"\"\nlast,one\n");
  ASSERT_EQ(rs.size(), 3u);
  EXPECT_EQ(texts(rs[0]), (std::vector<std::string>{"x, y", "say \"hi\""}));
  EXPECT_EQ(texts(rs[1]), (std::vector<std::string>{"two\nlines", ""}));
  EXPECT_EQ(rs[1].line, 3u);
  EXPECT_EQ(texts(rs[2]), (std::vector<std::string>{"last", "one"}));
  EXPECT_EQ(rs[2].line, 5u);  // the quoted line break counts as a line
}

TEST(Csv, LineEndsLfCrlfAndLoneCr) {
  for (const std::string eol : {"\n", "\r\n", "\r"}) {
    const std::string text = "a,b" + eol + "1,2" + eol + "\"3" + eol + "x\",4" + eol + "5,6";
    const auto rs = read_text(text);
    ASSERT_EQ(rs.size(), 3u) << "eol size " << eol.size();
    EXPECT_EQ(texts(rs[0]), (std::vector<std::string>{"1", "2"}));
    EXPECT_EQ(texts(rs[1]), (std::vector<std::string>{"3" + eol + "x", "4"}));
    EXPECT_EQ(texts(rs[2]), (std::vector<std::string>{"5", "6"}));
    EXPECT_EQ(rs[2].line, 5u);
    EXPECT_EQ(rs[2].offset, text.size() - 3);
  }
}

TEST(Csv, SkipsUtf8ByteOrderMarkButCountsItsBytes) {
  auto reader = io::read_csv_text("\xEF\xBB\xBFid,x\n1,2\n");
  const auto rs = read_all(reader);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(reader.columns().name(0), "id");
  EXPECT_EQ(rs[0].offset, 8u);
}

TEST(Csv, BlankLinesAreSkippedAndCounted) {
  auto reader = io::read_csv_text("\n\na,b\n\n1,2\r\n\r\n\r3,4\n\n");
  const auto rs = read_all(reader);
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].line, 5u);
  EXPECT_EQ(rs[1].line, 8u);
  EXPECT_EQ(reader.stats().blank_lines, 6u);
  EXPECT_EQ(reader.stats().errors, 0u);
}

TEST(Csv, DetectsTheDelimiterFromTheHeader) {
  for (const char d : {',', ';', '\t', '|'}) {
    // Delimiters inside quotes do not vote.
    std::string text = "\"x,y,z\"" + std::string(1, d) + "b" + std::string(1, d) + "c\n";
    text += std::string("1") + d + "2" + d + "3\n";
    auto reader = io::read_csv_text(text);
    const auto rs = read_all(reader);
    EXPECT_EQ(reader.delimiter(), d);
    ASSERT_EQ(rs.size(), 1u);
    EXPECT_TRUE(rs[0].error == io::error_code::none) << rs[0];
    EXPECT_EQ(texts(rs[0]), (std::vector<std::string>{"1", "2", "3"}));
  }
  // Quoted text does not vote.
  auto reader = io::read_csv_text("\"a;b;c;d\",e\n1,2\n");
  EXPECT_EQ(reader.delimiter(), ',');
}

TEST(Csv, HeaderNamesAreTrimmedAndMadeUnique) {
  auto reader = io::read_csv_text(" id ,\tname,,name, \n1,2,3,4,5\n");
  EXPECT_EQ(reader.columns().names(),
            (std::vector<std::string>{"id", "name", "column_3", "name.1", "column_5"}));
}

TEST(Csv, WithoutHeaderColumnsAreNumbered) {
  io::csv_options opts;
  opts.header = false;
  auto reader = io::read_csv_text("1,2\n3,4\n", opts);
  const auto rs = read_all(reader);
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(reader.columns().names(), (std::vector<std::string>{"column_1", "column_2"}));
  EXPECT_EQ(rs[0].line, 1u);
  EXPECT_EQ(rs[0].offset, 0u);
}

TEST(Csv, EmptyInputHasNoRecords) {
  for (const std::string text : {"", "\n\n", "\xEF\xBB\xBF"}) {
    auto reader = io::read_csv_text(text);
    EXPECT_TRUE(read_all(reader).empty());
    EXPECT_EQ(reader.columns().size(), 0u);
  }
  auto header_only = io::read_csv_text("a,b\n");
  EXPECT_TRUE(read_all(header_only).empty());
  EXPECT_EQ(header_only.columns().size(), 2u);
}

// --- Broken inputs ----------------------------------------------------------------------------

TEST(Csv, RaggedRowsAreErrorRecordsAndReadingGoesOn) {
  const std::string text = "a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n";
  const auto rs = read_text(text);
  ASSERT_EQ(rs.size(), 4u);
  EXPECT_EQ(rs[0].error, io::error_code::none);
  EXPECT_EQ(rs[1].error, io::error_code::field_count);
  EXPECT_EQ(rs[1].line, 3u);
  EXPECT_EQ(rs[1].offset, text.find("4,5"));
  EXPECT_EQ(rs[1].error_field, 2);
  EXPECT_EQ(rs[1].raw, "4,5");
  EXPECT_EQ(rs[1].message, "expected 3 fields, found 2");
  EXPECT_EQ(texts(rs[1]), (std::vector<std::string>{"4", "5"}));
  EXPECT_EQ(rs[2].error, io::error_code::field_count);
  EXPECT_EQ(rs[2].error_field, 3);
  EXPECT_EQ(rs[3].error, io::error_code::none);
  EXPECT_EQ(texts(rs[3]), (std::vector<std::string>{"10", "11", "12"}));
  EXPECT_EQ(rs[3].index, 3u);
}

TEST(Csv, UnterminatedQuoteEndsAtItsLineAndLaterRecordsAreRead) {
  const std::string text = "a,b\n1,2\n3,\"open\n5,6\n7,8";
  const auto rs = read_text(text);
  ASSERT_EQ(rs.size(), 4u);
  EXPECT_EQ(rs[1].error, io::error_code::unterminated_quote);
  EXPECT_EQ(rs[1].line, 3u);
  EXPECT_EQ(rs[1].offset, 8u);
  EXPECT_EQ(rs[1].error_field, 1);
  EXPECT_EQ(rs[1].raw, "3,\"open");
  EXPECT_NE(rs[1].message.find("unterminated quote"), std::string::npos);
  EXPECT_EQ(texts(rs[2]), (std::vector<std::string>{"5", "6"}));
  EXPECT_EQ(rs[2].line, 4u);
  EXPECT_EQ(texts(rs[3]), (std::vector<std::string>{"7", "8"}));
}

TEST(Csv, TruncatedFileEndsInAnErrorRecord) {
  const std::string text = "a,b\n1,\"complete\"\n2,\"trunc";
  const auto rs = read_text(text);
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].error, io::error_code::none);
  EXPECT_EQ(rs[1].error, io::error_code::unterminated_quote);
  EXPECT_EQ(rs[1].offset, text.find("2,"));
  EXPECT_EQ(rs[1].raw, "2,\"trunc");
}

TEST(Csv, BadQuotesAreErrorRecords) {
  const std::string text = "a,b\n1,x\"y\n\"p\"q,2\n3,4\n";
  const auto rs = read_text(text);
  ASSERT_EQ(rs.size(), 3u);
  EXPECT_EQ(rs[0].error, io::error_code::bad_quote);
  EXPECT_EQ(rs[0].error_field, 1);
  EXPECT_EQ(rs[0].line, 2u);
  EXPECT_EQ(rs[0].raw, "1,x\"y");
  EXPECT_EQ(rs[1].error, io::error_code::bad_quote);
  EXPECT_EQ(rs[1].error_field, 0);
  EXPECT_EQ(rs[1].offset, text.find("\"p"));
  EXPECT_EQ(texts(rs[2]), (std::vector<std::string>{"3", "4"}));

  io::csv_options lenient;
  lenient.lenient_quotes = true;
  const auto ls = read_text("a,b\n1,5'10\"\n", lenient);
  ASSERT_EQ(ls.size(), 1u);
  EXPECT_EQ(texts(ls[0]), (std::vector<std::string>{"1", "5'10\""}));
}

TEST(Csv, NulBytesAndInvalidUtf8AreErrorRecordsNamingTheField) {
  std::string text = "a,b,c\n1,2,3\n4,x";
  text += '\0';
  text += "y,6\n7,\xC3\xA9t\xC3\xA9,9\n10,\xFF\xFE,12\n13,14,15\n";
  const auto rs = read_text(text);
  ASSERT_EQ(rs.size(), 5u);
  EXPECT_EQ(rs[1].error, io::error_code::nul_byte);
  EXPECT_EQ(rs[1].error_field, 1);
  EXPECT_EQ(rs[1].line, 3u);
  EXPECT_EQ(rs[1].offset, 12u);
  EXPECT_EQ(rs[1].message, "NUL byte in field 2 (b)");
  EXPECT_EQ(rs[2].error, io::error_code::none);  // valid UTF-8
  EXPECT_EQ(rs[3].error, io::error_code::invalid_utf8);
  EXPECT_EQ(rs[3].error_field, 1);
  EXPECT_EQ(rs[3].line, 5u);
  EXPECT_EQ(rs[4].error, io::error_code::none);
}

TEST(Csv, StreamErrorsBecomeIoErrorRecords) {
  auto calls = std::make_shared<int>(0);
  struct failing : io::byte_source {
    int n = 0;
    io::read_result read(char* dst, std::size_t) override {
      if (n++ == 0) {
        std::memcpy(dst, "a,b\n1,2\n", 8);
        return {8, {}};
      }
      return {0, "disk on fire"};
    }
    std::string name() const override { return "failing"; }
  };
  const auto rs = read_all(io::read_csv(std::make_unique<failing>()));
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].error, io::error_code::none);
  EXPECT_EQ(rs[1].error, io::error_code::io_error);
  EXPECT_EQ(rs[1].offset, 8u);
  EXPECT_EQ(rs[1].message, "failing: disk on fire");
}

TEST(Csv, TooLargeRecordsInStreamsAreCutAtTheirFirstLine) {
  io::csv_options opts;
  opts.max_record_bytes = 16;
  opts.chunk_bytes = 4;
  std::istringstream in("a,b\n1,\"" + std::string(40, 'x') + "\n2,3\n");
  const auto rs = read_all(io::read_csv(in, opts));
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].error, io::error_code::too_large);
  EXPECT_EQ(rs[0].line, 2u);
  EXPECT_EQ(texts(rs[1]), (std::vector<std::string>{"2", "3"}));
}

TEST(Csv, MissingFileIsASetupError) {
  EXPECT_THROW(io::read_csv("/nonexistent/file.csv"), std::system_error);
  io::csv_options bad;
  bad.delimiter = '"';
  EXPECT_THROW(io::read_csv_text("a", bad), std::invalid_argument);
}

// --- Real file, ranges ------------------------------------------------------------------------

TEST(Csv, ComposesWithRangeV3Views) {
  std::vector<std::string> ids;
  for (const auto& r : io::read_csv(telco_train) | ranges::views::take(10)) {
    EXPECT_TRUE(r.ok());
    ids.emplace_back(r.get("customerID").text);
    EXPECT_EQ(r.where.source, telco_train);
  }
  ASSERT_EQ(ids.size(), 10u);
  EXPECT_EQ(ids[0], "7590-VHVEG");
  EXPECT_EQ(ids[1], "5575-GNVDE");
}

TEST(Csv, ReadsTheTelcoFileFromMemoryStreamAndChunks) {
  auto reader = io::read_csv(telco_train);
  const auto mapped = read_all(reader);
  ASSERT_EQ(mapped.size(), 7043u);
  EXPECT_EQ(reader.columns().size(), 21u);
  EXPECT_EQ(reader.stats().errors, 0u);
  std::size_t blank_total = 0;
  for (const auto& r : mapped) blank_total += r.fields[19] == " " ? 1 : 0;
  EXPECT_EQ(blank_total, 11u);

  std::ifstream file(telco_train, std::ios::binary);
  io::csv_options opts;
  opts.source_name = telco_train;
  opts.chunk_bytes = 4093;
  EXPECT_EQ(read_all(io::read_csv(file, opts)), mapped);
}

// The read-ahead hint a reader gives a mapped file (MADV_POPULATE_READ) changes no byte, leaves
// errno alone, and takes any range: clipped to the file, empty, past the end, overflowing.
TEST(Csv, MappedFileReadAheadHintIsHarmless) {
  std::ifstream file(telco_train, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  io::mapped_file m(telco_train);
  ASSERT_EQ(m.contiguous()->size(), bytes.size());
  errno = 0;
  for (const auto& [offset, length] :
       std::vector<std::pair<std::size_t, std::size_t>>{{0, 0},
                                                        {0, 1},
                                                        {1, 4096},
                                                        {5000, bytes.size()},
                                                        {bytes.size() - 1, SIZE_MAX},
                                                        {bytes.size(), 10},
                                                        {SIZE_MAX / 2, SIZE_MAX},
                                                        {0, SIZE_MAX}})
    m.will_read(offset, length);
  EXPECT_EQ(errno, 0);
  EXPECT_EQ(*m.contiguous(), bytes);
  // through the buffered window the reader announces its progress to
  io::buffered_input in(std::make_unique<io::mapped_file>(telco_train));
  for (std::size_t pos = 0; pos < bytes.size(); pos += 65536) in.reading_at(pos);
  in.reading_at(bytes.size());
  EXPECT_EQ(in.window(), bytes);
}

TEST(Csv, ReadsAPathThatCannotBeMapped) {
  // A FIFO (as with `riptide profile <(zcat data.csv.gz)`) is read chunk by chunk.
  const auto fifo = std::filesystem::temp_directory_path() / "riptide_csv_test.fifo";
  std::filesystem::remove(fifo);
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << "a,b\n1,2\n3,4\n"; });
  const auto rs = read_all(io::read_csv(fifo));
  writer.join();
  std::filesystem::remove(fifo);
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(texts(rs[1]), (std::vector<std::string>{"3", "4"}));
  EXPECT_EQ(rs[1].source, fifo.string());
}

TEST(Csv, OwningRecordOutlivesTheReader) {
  std::vector<io::record> kept;
  {
    auto reader = io::read_csv_text("a,b\n\"x\"\"y\",2\n");
    for (const auto& r : reader) kept.emplace_back(r);
  }
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].view().fields[0].text, "x\"y");
  EXPECT_EQ(kept[0].view().where.source, "<text>");
}

// --- Properties -------------------------------------------------------------------------------

namespace {

// Field bytes: plain text, structure (quotes, delimiters, line ends), spaces and UTF-8.
rc::Gen<std::string> field_gen() {
  return test::joined(rc::gen::container<std::vector<std::string>>(rc::gen::element<std::string>(
      "a", "Z", "0", "7", " ", "\"", ",", ";", "\t", "|", "\n", "\r", "\r\n", "\xC3\xA9",
      "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "x y", "''")));
}

struct written {
  std::string text;
  std::vector<std::uint64_t> offsets, lines;
};

// A reference RFC 4180 writer: quotes a field when it must (or when asked to), doubles quotes.
written write_csv(const std::vector<std::vector<std::string>>& rows, char delim,
                  const std::string& eol, bool quote_all, bool final_eol) {
  written w;
  std::uint64_t line = 1;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    w.offsets.push_back(w.text.size());
    w.lines.push_back(line);
    for (std::size_t c = 0; c < rows[r].size(); ++c) {
      const std::string& f = rows[r][c];
      if (c > 0) w.text += delim;
      const bool must = f.find_first_of(std::string("\"\r\n") + delim) != std::string::npos ||
                        (f.empty() && rows[r].size() == 1);
      if (must || quote_all) {
        w.text += '"';
        for (const char ch : f) {
          if (ch == '"') w.text += '"';
          w.text += ch;
        }
        w.text += '"';
      } else {
        w.text += f;
      }
      // Line breaks inside the field count as lines.
      for (std::size_t i = 0; i < f.size(); ++i)
        if (f[i] == '\n' || (f[i] == '\r' && (i + 1 >= f.size() || f[i + 1] != '\n'))) ++line;
    }
    if (r + 1 < rows.size() || final_eol) w.text += eol;
    ++line;
  }
  return w;
}

// Arbitrary bytes biased towards CSV structure and breakage.
rc::Gen<std::string> messy_text_gen() {
  return test::joined(rc::gen::scale(
      4, rc::gen::container<std::vector<std::string>>(rc::gen::element<std::string>(
             "a", "bc", "1", ",", ",", ";", "\"", "\"", "\"\"", "\n", "\n", "\r", "\r\n",
             std::string(1, '\0'), "\xC3\xA9", "\xFF", "\xC3", " ", "\xEF\xBB\xBF",
             "0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEF"
             "GHIJKLMNOPQRSTUVWXYZ"))));
}

}  // namespace

RC_GTEST_PROP(CsvProperty, WrittenTablesReadBackEqual, ()) {
  const auto columns = *rc::gen::inRange<std::size_t>(1, 20);
  const auto rows = *rc::gen::container<std::vector<std::vector<std::string>>>(
      rc::gen::container<std::vector<std::string>>(columns, field_gen()));
  const char delim = *rc::gen::element(',', ';', '\t', '|');
  const std::string eol = *rc::gen::element<std::string>("\n", "\r\n", "\r");
  const bool quote_all = *rc::gen::arbitrary<bool>();
  const bool final_eol = *rc::gen::arbitrary<bool>();
  const written w = write_csv(rows, delim, eol, quote_all, final_eol);

  io::csv_options opts;
  opts.header = false;
  opts.delimiter = delim;
  const auto rs = read_text(w.text, opts);
  RC_ASSERT(rs.size() == rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    RC_ASSERT(rs[r].error == io::error_code::none);
    RC_ASSERT(rs[r].fields == rows[r]);
    RC_ASSERT(rs[r].offset == w.offsets[r]);
    RC_ASSERT(rs[r].line == w.lines[r]);
    RC_ASSERT(rs[r].index == r);
  }
}

RC_GTEST_PROP(CsvProperty, AnyChunkSizeGivesTheSameRecords, ()) {
  const std::string text = *messy_text_gen();
  const auto chunk = *rc::gen::inRange<std::size_t>(1, 80);
  const bool header = *rc::gen::arbitrary<bool>();
  io::csv_options opts;
  opts.header = header;
  const auto whole = read_text(text, opts);
  RC_ASSERT(read_chunked(text, chunk, opts) == whole);
}

RC_GTEST_PROP(CsvProperty, SimdScalarAndExactScannersAgree, ()) {
  const std::string text = *messy_text_gen();
  io::csv_options opts;
  opts.scan = io::scan_mode::exact;
  const auto exact = read_text(text, opts);
  opts.scan = io::scan_mode::scalar;
  RC_ASSERT(read_text(text, opts) == exact);
  // Index batches of any size (records straddling them are re-indexed or parsed exactly).
  opts.index_bytes = *rc::gen::inRange<std::size_t>(1, 300);
  RC_ASSERT(read_text(text, opts) == exact);
  if (io::detail::cpu_has_avx2()) {
    opts.scan = io::scan_mode::avx2;
    RC_ASSERT(read_text(text, opts) == exact);
  }
  if (io::detail::cpu_has_avx512()) {
    opts.scan = io::scan_mode::avx512;
    RC_ASSERT(read_text(text, opts) == exact);
  }
}

// Well-formed tables with a header (the fast path's case: every record has the header's field
// count), with a row broken now and then: every scanner and batch size reads what the exact state
// machine reads.
RC_GTEST_PROP(CsvProperty, ScannersAgreeOnTablesWithOccasionalBrokenRows, ()) {
  const auto columns = *rc::gen::inRange<std::size_t>(1, 20);
  auto rows = *rc::gen::container<std::vector<std::vector<std::string>>>(
      rc::gen::container<std::vector<std::string>>(columns, field_gen()));
  rows.insert(rows.begin(), std::vector<std::string>(columns, "h"));
  const bool quote_all = *rc::gen::arbitrary<bool>();
  const std::string eol = *rc::gen::element<std::string>("\n", "\r\n", "\r");
  std::string text = write_csv(rows, ',', eol, quote_all, true).text;
  const auto breaks = *rc::gen::container<std::vector<std::size_t>>(
      rc::gen::inRange<std::size_t>(0, text.size() + 1));
  for (const std::size_t at : breaks)
    text.insert(std::min(at, text.size()),
                *rc::gen::element<std::string>("\"", ",", "\n", std::string(1, '\0'), "\xC3(",
                                               "\xFF", "\xE2\x82"));
  io::csv_options opts;
  opts.scan = io::scan_mode::exact;
  const auto exact = read_text(text, opts);
  opts.index_bytes = *rc::gen::inRange<std::size_t>(1, 200);
  std::vector<io::scan_mode> modes{io::scan_mode::scalar};
  if (io::detail::cpu_has_avx2()) modes.push_back(io::scan_mode::avx2);
  if (io::detail::cpu_has_avx512()) modes.push_back(io::scan_mode::avx512);
  for (const auto mode : modes) {
    opts.scan = mode;
    RC_ASSERT(read_text(text, opts) == exact);
  }
}

// The structural index itself (positions, per-block bits, flags) is the same from every kernel,
// for any batch bounds.
RC_GTEST_PROP(CsvProperty, EveryKernelBuildsTheSameIndex, ()) {
  const auto bytes = *rc::gen::container<std::string>(rc::gen::element<char>(
      'a', ',', ';', '"', '\n', '\r', '\0', '\xFF', '\x80', ' ', '\xC3', '\xA9'));
  const std::size_t from = *rc::gen::inRange<std::size_t>(0, bytes.size() + 1);
  const std::size_t to = *rc::gen::inRange<std::size_t>(from, bytes.size() + 1);
  const char delim = *rc::gen::element(',', ';');
  const auto index_with = [&](io::scan_mode mode) {
    io::structural_index out;
    io::structural_scanner{mode}.index(bytes.data(), from, to, delim, '"', out);
    return out;
  };
  const io::structural_index a = index_with(io::scan_mode::scalar);
  RC_ASSERT(a.has_quote == (bytes.substr(from, to - from).find('"') != std::string::npos));
  RC_ASSERT(a.has_special ==
            std::any_of(bytes.begin() + static_cast<std::ptrdiff_t>(from),
                        bytes.begin() + static_cast<std::ptrdiff_t>(to),
                        [](char c) { return c == '\0' || static_cast<unsigned char>(c) >= 0x80; }));
  bool inside = false, quoted_line_end = false;
  for (std::size_t i = from; i < to; ++i) {
    if (bytes[i] == '"') inside = !inside;
    quoted_line_end |= inside && (bytes[i] == '\n' || bytes[i] == '\r');
  }
  RC_ASSERT(a.has_quoted_line_end == quoted_line_end);
  // The line-end bits are the structural positions that are line ends.
  std::size_t line_ends = 0;
  for (std::size_t k = 0; k < a.count; ++k) {
    const std::size_t p = a.positions[k];
    const bool bit = (a.line_end_bits[p / 64] >> (p % 64)) & 1;
    RC_ASSERT(bit == (bytes[from + p] == '\n' || bytes[from + p] == '\r'));
    line_ends += bit;
  }
  std::size_t bits = 0;
  for (std::size_t k = 0; k < (to - from + 63) / 64; ++k)
    bits += static_cast<std::size_t>(__builtin_popcountll(a.line_end_bits[k]));
  RC_ASSERT(bits == line_ends);
  std::vector<io::scan_mode> modes;
  if (io::detail::cpu_has_avx2()) modes.push_back(io::scan_mode::avx2);
  if (io::detail::cpu_has_avx512()) modes.push_back(io::scan_mode::avx512);
  for (const auto mode : modes) {
    const io::structural_index b = index_with(mode);
    RC_ASSERT(b.count == a.count);
    RC_ASSERT(std::equal(a.positions.begin(), a.positions.begin() + a.count, b.positions.begin()));
    const std::size_t blocks = (to - from + 63) / 64;
    RC_ASSERT(
        std::equal(a.quote_bits.begin(), a.quote_bits.begin() + blocks, b.quote_bits.begin()));
    RC_ASSERT(std::equal(a.line_end_bits.begin(), a.line_end_bits.begin() + blocks,
                         b.line_end_bits.begin()));
    RC_ASSERT(b.ends_inside_quote == a.ends_inside_quote);
    RC_ASSERT(b.has_quote == a.has_quote);
    RC_ASSERT(b.has_special == a.has_special);
    RC_ASSERT(b.has_quoted_line_end == a.has_quoted_line_end);
  }
}

RC_GTEST_PROP(CsvProperty, Avx2AndScalarBlockMasksAreIdentical, ()) {
  const auto bytes = *rc::gen::container<std::string>(
      64, rc::gen::element<char>('a', ',', ';', '"', '\n', '\r', '\0', '\xFF', '\x80', ' '));
  const char delim = *rc::gen::element(',', ';', '\t', '|');
  const auto length = *rc::gen::inRange<std::size_t>(0, 65);
  const io::structural_scanner scalar{io::scan_mode::scalar};
  const auto a = scalar.scan(bytes.data(), length, delim, '"');
  for (std::size_t i = 0; i < 64; ++i) {
    const std::uint64_t bit = std::uint64_t{1} << i;
    const bool in = i < length;
    RC_ASSERT(((a.quote & bit) != 0) == (in && bytes[i] == '"'));
    RC_ASSERT(((a.delimiter & bit) != 0) == (in && bytes[i] == delim));
    RC_ASSERT(((a.line_end & bit) != 0) == (in && (bytes[i] == '\n' || bytes[i] == '\r')));
  }
  if (!io::detail::cpu_has_avx2()) return;
  const io::structural_scanner avx2{io::scan_mode::avx2};
  const auto b = avx2.scan(bytes.data(), length, delim, '"');
  RC_ASSERT(a.quote == b.quote);
  RC_ASSERT(a.delimiter == b.delimiter);
  RC_ASSERT(a.line_end == b.line_end);
}

RC_GTEST_PROP(CsvProperty, EveryByteIsAccountedFor, ()) {
  // Record raw bytes, blank lines and line ends tile the input: the last record ends where
  // the input (minus trailing line ends) ends, and records appear in order without overlap.
  const std::string text = *messy_text_gen();
  io::csv_options opts;
  opts.header = false;
  auto reader = io::read_csv_text(text, opts);
  std::uint64_t next_free = 0;
  for (const auto& r : reader) {
    RC_ASSERT(r.where.byte_offset >= next_free);
    RC_ASSERT(text.compare(r.where.byte_offset, r.raw.size(), r.raw) == 0);
    // Only line ends (and a leading BOM) lie between records.
    for (std::uint64_t i = next_free; i < r.where.byte_offset; ++i)
      RC_ASSERT(text[i] == '\n' || text[i] == '\r' ||
                (i < 3 && r.where.byte_offset >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0));
    next_free = r.where.byte_offset + r.raw.size();
  }
  for (std::uint64_t i = next_free; i < text.size(); ++i)
    RC_ASSERT(text[i] == '\n' || text[i] == '\r' ||
              (i < 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0));
  RC_ASSERT(reader.stats().bytes == text.size());
}

RC_GTEST_PROP(CsvProperty, ABrokenRowIsReportedAndItsNeighboursAreRead, ()) {
  const auto columns = *rc::gen::inRange<std::size_t>(2, 5);
  auto rows = *rc::gen::nonEmpty(rc::gen::container<std::vector<std::vector<std::string>>>(
      rc::gen::container<std::vector<std::string>>(columns, field_gen())));
  std::vector<std::string> header;
  for (std::size_t c = 0; c < columns; ++c)
    header.push_back(std::string(1, 'c').append(std::to_string(c)));
  rows.insert(rows.begin(), header);
  const std::size_t bad = *rc::gen::inRange<std::size_t>(1, rows.size());
  const int kind = *rc::gen::inRange(0, 4);
  const written w = write_csv(rows, ',', "\n", false, true);
  std::string broken;
  io::error_code expected{};
  switch (kind) {
    case 0:
      broken = "only_one_field";
      expected = io::error_code::field_count;
      break;
    case 1:
      broken = "x,y\"z" + std::string(columns - 2, ',');
      expected = io::error_code::bad_quote;
      break;
    case 2:
      broken = "x," + std::string(1, '\0') + std::string(columns - 2, ',');
      expected = io::error_code::nul_byte;
      break;
    default:
      broken = "x,\xC3(" + std::string(columns - 2, ',');
      expected = io::error_code::invalid_utf8;
      break;
  }
  // The written text with row `bad` replaced by the broken line.
  std::string text;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const std::size_t b = w.offsets[r];
    const std::size_t e = r + 1 < rows.size() ? w.offsets[r + 1] : w.text.size();
    text += r == bad ? broken + "\n" : w.text.substr(b, e - b);
  }
  const auto rs = read_text(text);
  RC_ASSERT(rs.size() == rows.size() - 1);
  std::uint64_t offset = w.offsets[1], line = w.lines[1];
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& got = rs[r - 1];
    RC_ASSERT(got.offset == offset);
    RC_ASSERT(got.line == line);
    if (r == bad) {
      RC_ASSERT(got.error == expected);
      RC_ASSERT(got.raw == broken);
      offset += broken.size() + 1;
      line += 1;
    } else {
      RC_ASSERT(got.error == io::error_code::none);
      RC_ASSERT(got.fields == rows[r]);
      const std::size_t e = r + 1 < rows.size() ? w.offsets[r + 1] : w.text.size();
      offset += e - w.offsets[r];
      line += (r + 1 < rows.size() ? w.lines[r + 1] : w.lines[r] + 1) - w.lines[r];
    }
  }
}

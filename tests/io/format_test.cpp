// riptide::io::format: detection by extension and by content (BOM, blanks), --format parsing, and
// open_reader / with_reader on files, on unpeekable inputs (a FIFO) and through prefixed_source.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <riptide/io/format.hpp>
#include <riptide/io/record_source.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace io = riptide::io;
namespace fs = std::filesystem;
using io::format;

namespace {

class Format : public ::testing::Test {
 protected:
  void SetUp() override {
    char tpl[] = "/tmp/riptide-format-XXXXXX";
    ASSERT_NE(::mkdtemp(tpl), nullptr);
    dir_ = tpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string file(const std::string& name, const std::string& text) const {
    const auto p = (dir_ / name).string();
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  fs::path dir_;
};

// Fields of every good record, whatever the reader.
std::vector<std::vector<std::string>> records(io::any_reader& reader) {
  return std::visit(
      [](auto& r) {
        std::vector<std::vector<std::string>> out;
        for (const auto& rec : r) {
          std::vector<std::string> fields;
          for (const auto& f : rec.fields) fields.emplace_back(f.text);
          out.push_back(std::move(fields));
        }
        return out;
      },
      reader);
}

}  // namespace

TEST(FormatRule, Extensions) {
  EXPECT_EQ(io::format_from_extension("a.jsonl"), format::jsonl);
  EXPECT_EQ(io::format_from_extension("a.ndjson"), format::jsonl);
  EXPECT_EQ(io::format_from_extension("dir.d/a.json"), format::jsonl);
  EXPECT_EQ(io::format_from_extension("A.JSON"), format::jsonl);
  EXPECT_EQ(io::format_from_extension("a.csv"), format::csv);
  EXPECT_EQ(io::format_from_extension("a.TSV"), format::csv);
  EXPECT_EQ(io::format_from_extension("a.txt"), format::csv);
  EXPECT_EQ(io::format_from_extension("a.dat"), std::nullopt);
  EXPECT_EQ(io::format_from_extension("a"), std::nullopt);
  EXPECT_EQ(io::format_from_extension("a.json.gz"), std::nullopt);
  EXPECT_EQ(io::format_from_extension("-"), std::nullopt);
}

TEST(FormatRule, Content) {
  EXPECT_EQ(io::sniff_format("{\"a\":1}\n"), format::jsonl);
  EXPECT_EQ(io::sniff_format(" \t\r\n\n  {\"a\":1}"), format::jsonl);
  EXPECT_EQ(io::sniff_format("\xEF\xBB\xBF{\"a\":1}"), format::jsonl);
  EXPECT_EQ(io::sniff_format("\xEF\xBB\xBF\n {"), format::jsonl);
  EXPECT_EQ(io::sniff_format("a,b\n{\n"), format::csv);
  EXPECT_EQ(io::sniff_format("[1,2]\n"), format::csv);
  EXPECT_EQ(io::sniff_format(""), format::csv);
  EXPECT_EQ(io::sniff_format("\n\n  "), format::csv);
  EXPECT_EQ(io::sniff_format("\xEF\xBB\xBF"), format::csv);
  EXPECT_EQ(io::sniff_format("\xEF\xBB{"), format::csv);       // a broken BOM is not blank
  EXPECT_EQ(io::sniff_format(" \xEF\xBB\xBF{"), format::csv);  // a BOM counts only at the start
}

TEST(FormatRule, SnifferTakesChunks) {
  const std::string text = "\xEF\xBB\xBF \r\n{\"a\": 1}";
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    io::format_sniffer s;
    s.feed(std::string_view(text).substr(0, cut));
    s.feed(std::string_view(text).substr(cut));
    EXPECT_TRUE(s.decided());
    EXPECT_EQ(s.result(), format::jsonl) << cut;
  }
}

TEST(FormatRule, ParseFormat) {
  EXPECT_EQ(io::parse_format("csv"), format::csv);
  EXPECT_EQ(io::parse_format("jsonl"), format::jsonl);
  EXPECT_EQ(io::parse_format("auto"), std::nullopt);
  try {
    (void)io::parse_format("json");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("csv, jsonl or auto"), std::string::npos) << e.what();
  }
  EXPECT_EQ(io::to_string(format::jsonl), "jsonl");
  EXPECT_EQ(io::to_string(format::csv), "csv");
}

TEST_F(Format, DetectFormatOfFiles) {
  // The extension wins over the content.
  EXPECT_EQ(io::detect_format(file("x.json", "a,b\n")), format::jsonl);
  EXPECT_EQ(io::detect_format(file("x.csv", "{\"a\":1}\n")), format::csv);
  // Without one, the content (after a BOM and blank lines longer than one read).
  EXPECT_EQ(io::detect_format(file("x.dat", "\xEF\xBB\xBF" + std::string(10000, '\n') + "{}")),
            format::jsonl);
  EXPECT_EQ(io::detect_format(file("noext", "a,b\n1,2\n")), format::csv);
  EXPECT_EQ(io::detect_format(file("empty", "")), format::csv);
  EXPECT_THROW((void)io::detect_format("-"), std::invalid_argument);
  EXPECT_THROW((void)io::detect_format((dir_ / "missing").string()), std::system_error);
}

TEST_F(Format, OpenReaderPicksTheReader) {
  const auto jsonl = file("events", "\n{\"a\":\"1\",\"b\":\"x\"}\n{\"a\":\"2\",\"b\":\"y\"}\n");
  auto r = io::open_reader(jsonl, std::nullopt);
  EXPECT_TRUE(std::holds_alternative<io::jsonl_reader>(r));
  EXPECT_EQ(records(r), (std::vector<std::vector<std::string>>{{"1", "x"}, {"2", "y"}}));
  const auto csv = file("table.json", "a;b\n1;x\n");  // told: CSV, whatever the extension
  auto c = io::open_reader(csv, format::csv);
  EXPECT_TRUE(std::holds_alternative<io::csv_reader>(c));
  EXPECT_EQ(records(c), (std::vector<std::vector<std::string>>{{"1", "x"}}));
  // Options reach the reader.
  io::csv_options opts;
  opts.header = false;
  const auto n = io::with_reader(
      file("t.csv", "1,2\n3,4\n"), std::nullopt,
      [](auto& reader) {
        std::size_t rows = 0;
        for (const auto& rec : reader) rows += rec.ok();
        return rows;
      },
      opts);
  EXPECT_EQ(n, 2u);
}

TEST_F(Format, UnpeekableInputIsSniffedAndReadWhole) {
  // A FIFO without a telling extension: the first bytes are buffered, sniffed and handed on.
  for (const bool json : {true, false}) {
    const auto fifo = (dir_ / (json ? "pipe1" : "pipe2")).string();
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const std::string text =
        json ? "\xEF\xBB\xBF  \n{\"k\":\"v1\"}\n{\"k\":\"v2\"}\n" : "k,l\nv1,w1\nv2,w2\n";
    std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << text; });
    auto r = io::open_reader(fifo, std::nullopt);
    const auto got = records(r);
    writer.join();
    EXPECT_EQ(std::holds_alternative<io::jsonl_reader>(r), json);
    if (json)
      EXPECT_EQ(got, (std::vector<std::vector<std::string>>{{"v1"}, {"v2"}}));
    else
      EXPECT_EQ(got, (std::vector<std::vector<std::string>>{{"v1", "w1"}, {"v2", "w2"}}));
  }
}

TEST(FormatRule, PrefixedSourceYieldsPrefixThenRest) {
  io::prefixed_source s("ab", std::make_unique<io::memory_source>(std::string("cde")));
  std::string got;
  char buf[2];
  for (;;) {
    const auto r = s.read(buf, sizeof buf);
    if (r.bytes == 0) break;
    got.append(buf, r.bytes);
  }
  EXPECT_EQ(got, "abcde");
}

TEST_F(Format, RecordSourceReadsAFileAsOftenAsAskedInTheFormatOfTheRule) {
  const auto csv = file("a.csv", "id,x\n1,2\n3,4\n");
  const auto jsonl = file("b", "\n  {\"id\": 1}\n{\"id\": 2}\n{\"id\": 3}\n");
  io::record_source a{csv}, b{jsonl};
  EXPECT_EQ(a.format(), format::csv);
  EXPECT_EQ(b.format(), format::jsonl);  // no extension: the first non-blank byte
  for (int pass = 0; pass < 3; ++pass) {
    std::vector<std::string> first;
    a([&first](const io::record_view& r) { first.emplace_back(r.fields[0].text); });
    EXPECT_EQ(first, (std::vector<std::string>{"1", "3"}));
    int n = 0;
    b([&n](const io::record_view& r) { n += r.ok(); });
    EXPECT_EQ(n, 3);
  }
  io::record_source forced{jsonl, format::csv};  // the caller's choice wins
  EXPECT_EQ(forced.format(), format::csv);
}

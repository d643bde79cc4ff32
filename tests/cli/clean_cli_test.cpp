// `riptide clean`, run as a user runs it, on the bundled Telco data and on small dirty files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/run.hpp"

using riptide::test::run_riptide;
using riptide::test::slurp;

namespace {

const std::string train =
    std::string(RIPTIDE_SOURCE_DIR) + "/data/telco_customer_churn_train_data.csv";
const std::string score =
    std::string(RIPTIDE_SOURCE_DIR) + "/data/telco_customer_churn_score_data.csv";

std::string temp_path(const std::string& suffix) {
  char path[] = "/tmp/riptide-clean-cli-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) throw std::runtime_error("mkstemp");
  close(fd);
  std::remove(path);
  return std::string(path) + suffix;
}

std::string temp_file(const std::string& content, const std::string& suffix = ".csv") {
  const auto path = temp_path(suffix);
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string line;
  while (std::getline(ss, line)) out.push_back(line);
  return out;
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string f;
  while (std::getline(ss, f, ',')) out.push_back(f);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

}  // namespace

TEST(CleanCli, TelcoPresetGives7032RowsWithTheSparkColumns) {
  const auto out = temp_path(".csv");
  const auto q = temp_path(".jsonl");
  const auto report = temp_path(".json");
  const auto r = run_riptide(
      {"clean", train, "--preset", "telco", "--out", out, "--quarantine", q, "--report", report});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = lines_of(slurp(out));
  ASSERT_EQ(rows.size(), 7033u);
  EXPECT_EQ(rows[0],
            "customer_id,gender,senior_citizen,partner,dependents,tenure,tenure_group,"
            "phone_service,multiple_lines,internet_service,online_security,online_backup,"
            "device_protection,tech_support,streaming_tv,streaming_movies,contract,"
            "paperless_billing,payment_method,monthly_charges,total_charges,churn");
  EXPECT_EQ(rows[1],
            "7590-VHVEG,Female,0,Yes,No,1,Tenure_0-12,No,No,DSL,No,Yes,No,No,No,No,"
            "Month-to-month,Yes,Electronic check,29.85,29.85,no");
  // Numbers in shortest round-trip form and equal to the input's.
  const auto input = lines_of(slurp(train));
  const auto second_in = split(input[2]);
  const auto second_out = split(rows[2]);
  EXPECT_EQ(std::strtod(second_out[20].c_str(), nullptr),
            std::strtod(second_in[19].c_str(), nullptr));
  EXPECT_EQ(second_out[20], "1889.5");
  const auto quarantined = lines_of(slurp(q));
  ASSERT_EQ(quarantined.size(), 11u);
  EXPECT_NE(quarantined[0].find("\"reason\":\"drop_if_null(total_charges): null\""),
            std::string::npos)
      << quarantined[0];
  EXPECT_NE(quarantined[0].find("\"line\":490"), std::string::npos) << quarantined[0];
  EXPECT_NE(quarantined[0].find("\"raw\":\"4472-LVYGI,Female"), std::string::npos);
  EXPECT_NE(quarantined[0].find("\"byte_offset\":"), std::string::npos);
  const auto rep = slurp(report);
  EXPECT_NE(rep.find("\"records\":{\"in\":7043,\"clean\":7032,\"repaired\":0,\"quarantined\":11,"
                     "\"duplicates\":0}"),
            std::string::npos)
      << rep;
  EXPECT_NE(rep.find("\"drop_if_null(total_charges): null\":11"), std::string::npos) << rep;
  EXPECT_NE(r.err.find("7043 records in"), std::string::npos) << r.err;
}

TEST(CleanCli, ScoreFileHasNoChurnColumn) {
  const auto r = run_riptide({"clean", score, "--preset", "telco"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = lines_of(r.out);
  ASSERT_GT(rows.size(), 400u);
  EXPECT_EQ(rows[0].substr(rows[0].size() - 13), "total_charges");
}

TEST(CleanCli, StdinToStdoutAndRulesFile) {
  const auto rules = temp_file(
      R"({"steps": [{"op": "trim"}, {"op": "null_tokens"},
          {"op": "cast", "columns": "n", "to": "integer"}, {"op": "dedup"}]})",
      ".json");
  const auto in = temp_file("id,n\n a,1\nb,x\nc,\"1,234\"\na,1\nd\n");
  const auto r = run_riptide({"clean", "-", "--rules", rules, "--report", "-"}, in);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Rows, then the report on the same stdout.
  EXPECT_EQ(r.out.substr(0, r.out.find('{')), "id,n\na,1\n");
  EXPECT_NE(r.out.find("\"in\":5"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"quarantined\":3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"duplicates\":1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"cast(n): ambiguous number format\":1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"read: field_count\":1"), std::string::npos) << r.out;
}

TEST(CleanCli, WithoutRulesTheGenericChainIsInferredFromTheData) {
  const auto in = temp_file(
      "id,flag,amount,plan\n"
      "1,Yes,30,Basic\n"
      "2,No,45.5,Pro\n"
      "3,yes,\"$1,200.50\",basic \n"
      "4,No, 12 ,Pro\n"
      "5,YES,N/A,PRO\n"
      "6,No,7,Basic\n"
      "7,Yes,8,Basic\n"
      "2,No,45.5,Pro\n");
  const auto report = temp_path(".json");
  const auto r = run_riptide({"clean", in, "--report", report});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Booleans in their most frequent spellings, numbers read with the tolerant rules, categories
  // in their canonical spelling, the null token made null, the duplicate dropped.
  EXPECT_EQ(r.out,
            "id,flag,amount,plan\n"
            "1,Yes,30,Basic\n"
            "2,No,45.5,Pro\n"
            "3,Yes,1200.5,Basic\n"
            "4,No,12,Pro\n"
            "5,Yes,,Pro\n"
            "6,No,7,Basic\n"
            "7,Yes,8,Basic\n");
  EXPECT_NE(r.err.find("generic chain inferred from 8 records"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("flag: boolean"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("amount: real"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("plan: categorical"), std::string::npos) << r.err;
  const auto rep = slurp(report);
  EXPECT_NE(rep.find("\"records\":{\"in\":8,\"clean\":4,\"repaired\":3,\"quarantined\":0,"
                     "\"duplicates\":1}"),
            std::string::npos)
      << rep;
  // A sample smaller than the file: the rest is cleansed with the chain inferred from it.
  const auto r2 = run_riptide({"clean", in, "--infer-rows", "3"});
  ASSERT_EQ(r2.exit_code, 0) << r2.err;
  EXPECT_NE(r2.err.find("inferred from 3 records"), std::string::npos) << r2.err;
  EXPECT_NE(r2.err.find("8 records in"), std::string::npos) << r2.err;
}

TEST(CleanCli, JsonLinesInputIsCleanedToCsvAndABadLineQuarantined) {
  const auto rules = temp_file(
      R"({"steps": [{"op": "trim"}, {"op": "null_tokens"},
          {"op": "cast", "columns": "n", "to": "integer"},
          {"op": "boolean", "columns": "flag"}]})",
      ".json");
  const auto in = temp_file(
      "{\"id\":\"a\",\"n\":1,\"flag\":true}\n"
      "{\"id\":\" b \",\"n\":\"+2\",\"flag\":\"yes\"}\n"
      "{\"id\":\"c\",\"n\":\n"
      "{\"id\":\"d\",\"n\":\"x\",\"flag\":false}\n",
      ".jsonl");
  const auto q = temp_path(".jsonl");
  const auto r = run_riptide(
      {"clean", in, "--format", "jsonl", "--rules", rules, "--quarantine", q, "--report", "-"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find('{')), "id,n,flag\na,1,true\nb,2,true\n");
  EXPECT_NE(r.out.find("\"records\":{\"in\":4,\"clean\":1,\"repaired\":1,\"quarantined\":2,"
                       "\"duplicates\":0}"),
            std::string::npos)
      << r.out;
  const auto quarantined = lines_of(slurp(q));
  ASSERT_EQ(quarantined.size(), 2u);
  EXPECT_NE(quarantined[0].find("\"reason\":\"read: json_syntax"), std::string::npos)
      << quarantined[0];
  EXPECT_NE(quarantined[0].find("\"line\":3"), std::string::npos) << quarantined[0];
  EXPECT_NE(quarantined[0].find("\"raw\":\"{\\\"id\\\":\\\"c\\\",\\\"n\\\":\""), std::string::npos)
      << quarantined[0];
  EXPECT_NE(quarantined[1].find("\"reason\":\"cast(n): not a number: 'x'\""), std::string::npos)
      << quarantined[1];
  EXPECT_NE(quarantined[1].find("\"line\":4"), std::string::npos) << quarantined[1];
}

TEST(CleanCli, MessifiedJsonLinesCleanToRowsOfTheOriginal) {
  // The Telco train file made messy as JSON Lines, then cleaned with the preset: every record is
  // accounted for, every unrecoverable one quarantined, and every row that comes out is a row of
  // the original file's clean output (nothing invented, the mess undone).
  const auto messy = temp_path(".jsonl");
  const auto truth = temp_path(".json");
  const auto m = run_riptide(
      {"messify", train, "--seed", "11", "--format", "jsonl", "--out", messy, "--truth", truth});
  ASSERT_EQ(m.exit_code, 0) << m.err;
  const auto t = slurp(truth);
  std::size_t records = 0, unrecoverable = 0;
  for (auto p = t.find("\"record\":"); p != std::string::npos; p = t.find("\"record\":", p + 1))
    ++records;
  for (auto p = t.find("\"unrecoverable\":\""); p != std::string::npos;
       p = t.find("\"unrecoverable\":\"", p + 1))
    ++unrecoverable;
  ASSERT_GT(records, 7043u);  // plus duplicate copies
  ASSERT_GT(unrecoverable, 100u);
  const auto original = run_riptide({"clean", train, "--preset", "telco"});
  ASSERT_EQ(original.exit_code, 0) << original.err;
  const auto report = temp_path(".json");
  const auto r = run_riptide({"clean", messy, "--preset", "telco", "--report", report});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rep = slurp(report);
  EXPECT_NE(rep.find("\"records\":{\"in\":" + std::to_string(records) + ","), std::string::npos)
      << rep;
  const auto q = rep.find("\"quarantined\":");
  ASSERT_NE(q, std::string::npos) << rep;
  EXPECT_GE(std::stoul(rep.substr(q + 14)), unrecoverable) << rep;
  auto want = lines_of(original.out);
  std::sort(want.begin(), want.end());
  const auto got = lines_of(r.out);
  ASSERT_GT(got.size(), 6500u);
  EXPECT_EQ(got.front(), lines_of(original.out).front());  // the Spark job's header
  for (const auto& row : got) EXPECT_TRUE(std::binary_search(want.begin(), want.end(), row)) << row;
}

TEST(CleanCli, TextNeedingQuotesIsQuoted) {
  const auto rules = temp_file(R"({"steps": [{"op": "trim", "collapse_spaces": false}]})", ".json");
  const auto in = temp_file("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n");
  const auto r = run_riptide({"clean", in, "--rules", rules});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "a,b\n\"x, y\",\"say \"\"hi\"\"\"\n");
}

TEST(CleanCli, BadUsageIsAOneLineErrorWithExitCode2) {
  const auto bad_rules =
      temp_file(R"({"steps": [{"op": "cast", "columns": "n", "to": "flaot"}]})", ".json");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"clean", train, "--preset", "telco", "--rules", bad_rules}, "at most one of --preset"},
      {{"clean", train, "--preset", "nosuch"}, "unknown preset 'nosuch'"},
      {{"clean", "/nonexistent.csv", "--preset", "telco"}, "/nonexistent.csv"},
      {{"clean", train, "--rules", bad_rules}, "rule 1 (cast), field 'to'"},
      {{"clean", train, "--rules", "/nonexistent.json"}, "cannot open the rules file"},
      {{"clean", temp_file("a,b\n1,2\n"), "--preset", "telco"},
       "column 'gender' is not in the input"},
  };
  for (const auto& [args, expected] : cases) {
    const auto r = run_riptide(args);
    EXPECT_EQ(r.exit_code, 2) << args[1] << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
  }
}

TEST(CleanCli, AnOutputNamingTheInputIsRefusedAndTheInputKept) {
  const std::string text = "a,b\n1,x\n2,y\n";
  const auto in = temp_file(text);
  const auto link = temp_path(".csv");
  ASSERT_EQ(symlink(in.c_str(), link.c_str()), 0);
  const std::vector<std::vector<std::string>> cases = {
      {"clean", in, "--out", in},
      {"clean", in, "--quarantine", in},
      {"clean", in, "--report", in},
      {"clean", in, "--out", link},
      {"clean", link, "--report", in},
      {"clean", in, "--preset", "telco", "--out", in},
      {"messify", in, "--seed", "1", "--out", in},
      {"messify", in, "--seed", "1", "--truth", link},
  };
  for (const auto& args : cases) {
    const auto r = run_riptide(args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << " " << args[2] << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find("refusing to overwrite an input"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(in), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_EQ(slurp(in), text) << args[2];
  }
  std::remove(link.c_str());
}

TEST(CleanCli, AnOutputNamingTheFileBehindStandardInputIsRefused) {
  const std::string text = "a,b\n1,x\n";
  const auto in = temp_file(text);
  const auto r = run_riptide({"clean", "-", "--out", in}, in);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("is the input '-' (standard input)"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(in), text);
}

TEST(CleanCli, TwoOutputsNamingOneFileAreRefused) {
  const auto in = temp_file("a,b\n1,x\n");
  const auto out = temp_path(".csv");
  const auto r = run_riptide({"clean", in, "--out", out, "--report", out});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("are the same file"), std::string::npos) << r.err;
}

TEST(CleanCli, AFailedJobLeavesTheOldOutputsAsTheyWere) {
  const auto in = temp_file("a,b\n1,2\n");
  const auto out = temp_file("old rows\n");
  const auto report = temp_file("old report\n", ".json");
  const auto r = run_riptide({"clean", in, "--preset", "telco", "--out", out, "--report", report});
  EXPECT_EQ(r.exit_code, 2) << r.err;  // the preset's columns are not in the input
  EXPECT_EQ(slurp(out), "old rows\n");
  EXPECT_EQ(slurp(report), "old report\n");
}

TEST(CleanCli, JsonExtensionAndJsonContentAreJsonLines) {
  const std::string lines = "{\"a\": \"1\", \"b\": \"x\"}\n{\"a\": \"2\", \"b\": \"y\"}\n";
  const auto rules = temp_file(R"({"steps": [{"op": "trim"}]})", ".json");
  for (const auto& in : {temp_file(lines, ".json"), temp_file(lines, ".data")}) {
    const auto r = run_riptide({"clean", in, "--rules", rules});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "a,b\n1,x\n2,y\n") << in;
  }
  const auto stdin_file = temp_file(lines, ".data");
  const auto r = run_riptide({"clean", "-", "--rules", rules}, stdin_file);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "a,b\n1,x\n2,y\n");
  const auto bad = run_riptide({"clean", stdin_file, "--format", "json"});
  EXPECT_EQ(bad.exit_code, 2);
}

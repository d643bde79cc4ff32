// `riptide drift`, run as a user runs it, on River's documented streams (tests/drift/fixtures).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>

#include "cli/run.hpp"

using riptide::test::run_riptide;

namespace {

std::string fixture(const std::string& name) {
  return std::string(RIPTIDE_SOURCE_DIR) + "/tests/drift/fixtures/" + name + ".txt";
}

long count_lines(const std::string& s) {
  return std::count(s.begin(), s.end(), '\n');
}

std::string temp_file(const std::string& content) {
  char path[] = "/tmp/riptide-drift-cli-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) throw std::runtime_error("mkstemp");
  close(fd);
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

}  // namespace

TEST(DriftCli, PrintsRiversDetectionIndices) {
  const auto two = fixture("py12345_two_distributions");
  EXPECT_EQ(run_riptide({"drift", "--detector", "adwin", two}).out, "1023\n");
  EXPECT_EQ(run_riptide({"drift", "--detector", "page-hinkley", two}).out, "1006\n");
  EXPECT_EQ(
      run_riptide({"drift", "--detector", "kswin", "--alpha", "0.0001", "--seed", "42", two}).out,
      "1016\n");
  const auto errors = fixture("py42_error_rate_rises");
  EXPECT_EQ(run_riptide({"drift", "--detector", "ddm", errors}).out, "1334\n");
  EXPECT_EQ(
      run_riptide({"drift", "--detector", "eddm", "--alpha", "0.8", "--beta", "0.75", errors}).out,
      "1278\n");
  EXPECT_EQ(run_riptide({"drift", "--detector", "hddm-a", errors}).out, "1206\n");
  EXPECT_EQ(run_riptide({"drift", "--detector", "hddm-w", errors}).out, "1077\n");
  const auto s3 = fixture("np_stream_3");
  EXPECT_EQ(run_riptide({"drift", "--detector", "hddm-a", "--two-sided-test", s3}).out,
            "531\n1015\n1545\n");
  EXPECT_EQ(run_riptide({"drift", "--detector", "page-hinkley", "--mode", "up", s3}).out,
            "588\n1681\n");
  EXPECT_EQ(run_riptide({"drift", "--detector", "kswin", "--alpha", "0.0001", "--window-size",
                         "200", "--stat-size", "100", "--seed", "42", fixture("np_stream_1")})
                .out,
            "1042\n");
}

TEST(DriftCli, ReadsStdinAndAppliesParameters) {
  const auto four = fixture("py42_four_segments");
  const auto from_stdin = run_riptide({"drift", "--detector", "adwin"}, four);
  EXPECT_EQ(from_stdin.exit_code, 0) << from_stdin.err;
  EXPECT_EQ(from_stdin.out, "1023\n2015\n3007\n");
  EXPECT_EQ(run_riptide({"drift", "--detector", "adwin", "-"}, four).out, from_stdin.out);
  // clock = 1 checks at every update: detections can only come earlier.
  const auto every = run_riptide({"drift", "--detector", "adwin", "--clock", "1", four});
  EXPECT_EQ(every.exit_code, 0);
  EXPECT_EQ(count_lines(every.out), 3);
  EXPECT_LE(std::stol(every.out), 1023);
}

TEST(DriftCli, WarningsAddWLines) {
  const auto r =
      run_riptide({"drift", "--detector", "ddm", "--warnings", fixture("py42_error_rate_rises")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // River's docstring: first warning at 1084, drift at 1334, next warning at 1492.
  EXPECT_EQ(r.out.rfind("w 1084\n", 0), 0u) << r.out.substr(0, 40);
  EXPECT_NE(r.out.find("w 1333\n1334\n"), std::string::npos);
  EXPECT_NE(r.out.find("w 1492\n"), std::string::npos);
  EXPECT_EQ(r.out.find("w 1334\n"), std::string::npos);
}

TEST(DriftCli, BadNumberNamesTheLine) {
  const auto path = temp_file("0\n1\n0.5\nabc\n1\n");
  const auto r = run_riptide({"drift", "--detector", "adwin", path});
  std::remove(path.c_str());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(":4:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("abc"), std::string::npos) << r.err;
  for (const std::string bad : {"1\n\n2\n", "1\nnan\n", "1\n2x\n", "inf\n"}) {
    const auto p = temp_file(bad);
    const auto rr = run_riptide({"drift", "--detector", "ddm", p});
    std::remove(p.c_str());
    EXPECT_EQ(rr.exit_code, 2) << bad;
    EXPECT_EQ(count_lines(rr.err), 1) << rr.err;
  }
  // A last line without newline and CRLF line ends are fine.
  const auto ok = temp_file("1\r\n+0\r\n1e0");
  const auto rok = run_riptide({"drift", "--detector", "ddm", ok});
  std::remove(ok.c_str());
  EXPECT_EQ(rok.exit_code, 0) << rok.err;
}

TEST(DriftCli, UsageErrorsExitWith2) {
  const auto two = fixture("py12345_two_distributions");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"drift", two},                                                // no detector
           {"drift", "--detector", "nosuch", two},                        // unknown detector
           {"drift", "--detector", "ddm", "--clock", "5", two},           // not a ddm parameter
           {"drift", "--detector", "kswin", "--window-size", "10", two},  // bad configuration
           {"drift", "--detector", "adwin", "--warnings", two},           // adwin has no warnings
           {"drift", "--detector", "page-hinkley", "--mode", "sideways", two},
           {"drift", "--detector", "adwin", "/no/such/file"}}) {
    const auto r = run_riptide(args);
    EXPECT_EQ(r.exit_code, 2) << args[2];
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_TRUE(r.out.empty());
  }
}

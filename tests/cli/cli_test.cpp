// The riptide tool, run as a user runs it.
#include <gtest/gtest.h>
#include <riptide/io/csv_scan.hpp>
#include <riptide/io/newline_scan.hpp>
#include <riptide/version.hpp>

#include <algorithm>

#include "cli/run.hpp"

using riptide::test::run_riptide;
namespace io = riptide::io;

namespace {
long lines(const std::string& s) {
  return std::count(s.begin(), s.end(), '\n');
}
}  // namespace

TEST(Cli, VersionPrintsTheLibraryVersion) {
  const auto r = run_riptide({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, std::string("riptide ") + riptide::version_string + "\n");
}

TEST(Cli, HelpListsSubcommands) {
  const auto r = run_riptide({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("info"), std::string::npos);
  EXPECT_NE(r.out.find("--version"), std::string::npos);
}

TEST(Cli, UnknownSubcommandIsAOneLineErrorWithExitCode2) {
  const auto r = run_riptide({"nosuch"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("nosuch"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST(Cli, UnknownOptionIsAOneLineErrorWithExitCode2) {
  const auto r = run_riptide({"info", "--no-such-option"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("--no-such-option"), std::string::npos) << r.err;
}

TEST(Cli, NoSubcommandIsAUsageError) {
  const auto r = run_riptide({});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(lines(r.err), 1) << r.err;
}

TEST(Cli, InfoReportsVersionAndSimdjsonImplementation) {
  const auto r = run_riptide({"info"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(riptide::version_string), std::string::npos);
  EXPECT_NE(r.out.find("simdjson"), std::string::npos);
}

// riptide info names the kernels the readers' dispatchers choose on this CPU.
TEST(Cli, InfoReportsTheKernelsTheDispatchersChoose) {
  const auto r = run_riptide({"info"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string csv =
      "csv structural scan: " + std::string(io::structural_scanner{}.name()) + "\n";
  const std::string jsonl =
      "jsonl line ends: " + std::string(io::to_string(io::best_newline_kernel())) + "\n";
  EXPECT_NE(r.out.find(csv), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(jsonl), std::string::npos) << r.out;
  EXPECT_EQ(io::newline_scanner{}.kernel(), io::best_newline_kernel());
  EXPECT_EQ(io::structural_scanner{}.name(), io::structural_scanner{io::best_scan_mode()}.name());
}

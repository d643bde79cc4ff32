// `riptide drift`, run as a user runs it, on River's documented streams (tests/drift/fixtures).
#include <gtest/gtest.h>
#include <riptide/drift/make_detector.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

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
           {"drift", "--detector", "adwin", "/no/such/file"},
           {"drift", "--detector", "adwin", "--delta", "abc", two},    // not a number
           {"drift", "--detector", "adwin", "--delta", "0", two},      // outside its range
           {"drift", "--detector", "adwin", "--clock", "2.5", two},    // not an integer
           {"drift", "--detector", "hddm-w", "--lambda", "2", two},    // outside [0, 1]
           {"drift", "--detector", "adwin", "--two-sided-test", two},  // not an adwin flag
           {"drift", "--detector", "eddm", "--alpha", "0.5", two},     // alpha < beta
           {"drift", "--detector", "kswin", "--warnings", two}}) {     // no warning zone
    const auto r = run_riptide(args);
    EXPECT_EQ(r.exit_code, 2) << args[2];
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_TRUE(r.out.empty());
  }
}

TEST(DriftCli, UsageErrorsSayWhatIsWrong) {
  const auto two = fixture("py12345_two_distributions");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"--detector", "ddm", "--clock", "5"},
       "--clock does not apply to --detector ddm (its parameters: --warm-start, "
       "--warning-threshold, --drift-threshold)"},
      {{"--detector", "nosuch"}, "unknown detector 'nosuch' (adwin, page-hinkley, kswin"},
      {{"--detector", "adwin", "--delta", "abc"}, "adwin delta: 'abc' is not a finite number"},
      {{"--detector", "adwin", "--delta", "0"}, "adwin delta: must be > 0, got '0'"},
      {{"--detector", "adwin", "--clock", "2.5"}, "adwin clock: expected an integer"},
      {{"--detector", "page-hinkley", "--mode", "sideways"},
       "page-hinkley mode: expected up, down or both, got 'sideways'"},
      {{"--detector", "hddm-w", "--lambda", "2"}, "hddm-w lambda_val: must be in [0, 1], got '2'"},
      {{"--detector", "eddm", "--alpha", "0.5"}, "eddm: alpha must be >= beta"},
      {{"--detector", "page-hinkley", "--warnings"}, "--detector page-hinkley has no warning zone"},
  };
  for (const auto& [extra, message] : cases) {
    std::vector<std::string> args{"drift"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(two);
    const auto r = run_riptide(args);
    EXPECT_EQ(r.exit_code, 2) << extra[1];
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
  }
}

TEST(DriftCli, FlagsAndTheirHelpComeFromTheDeclarations) {
  const auto help = run_riptide({"drift", "--help"});
  ASSERT_EQ(help.exit_code, 0);
  // Every declared parameter is a dashed flag whose help gives its doc and default.
  for (const auto& d : riptide::drift::describe_detectors()) {
    for (const auto& p : d.params) {
      std::string flag = "--" + p.name;
      std::replace(flag.begin(), flag.end(), '_', '-');
      EXPECT_NE(help.out.find(flag), std::string::npos) << flag;
      EXPECT_NE(help.out.find(p.doc + " (default " + p.default_text), std::string::npos)
          << d.name << " " << p.name;
    }
  }
  EXPECT_NE(help.out.find("--lambda-val,--lambda"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("(default 0.002, > 0)"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("up|down|both"), std::string::npos) << help.out;
  // An alias is the same parameter; dashed flags reach River's underscored names.
  const auto errors = fixture("py42_error_rate_rises");
  const auto a = run_riptide({"drift", "--detector", "hddm-w", "--lambda", "0.1", errors});
  const auto b = run_riptide({"drift", "--detector", "hddm-w", "--lambda-val", "0.1", errors});
  EXPECT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out, run_riptide({"drift", "--detector", "hddm-w", errors}).out);
  const auto w = run_riptide({"drift", "--detector", "adwin", "--min-window-length", "50",
                              "--grace-period", "100", fixture("py42_four_segments")});
  EXPECT_EQ(w.exit_code, 0) << w.err;
  EXPECT_EQ(count_lines(w.out), 3);
}

// --- riptide synth ------------------------------------------------------------------------

TEST(SynthCli, SeaIsRiversStreamWithALabelColumn) {
  const auto r = run_riptide({"synth", "sea", "--n", "5", "--seed", "42"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // river.datasets.synth.SEA(variant=0, seed=42): {0: 6.39426, 1: 0.25010, 2: 2.75029} False
  EXPECT_EQ(r.out.substr(0, r.out.find('\n', 16) + 1),
            "x0,x1,x2,label\n6.394267984578837,0.25010755222666936,2.7502931836911926,0\n");
  EXPECT_EQ(count_lines(r.out), 6);
}

TEST(SynthCli, DriftPointsChangeTheConceptThere) {
  // SEA variant 0 (x0 + x1 > 8) until record 500, then variant 1 (> 9).
  const auto r = run_riptide({"synth", "sea", "--n", "1000", "--drift-at", "500"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream in(r.out);
  std::string line;
  std::getline(in, line);
  for (int i = 0; std::getline(in, line); ++i) {
    double x0 = 0, x1 = 0, x2 = 0;
    int label = 0;
    ASSERT_EQ(std::sscanf(line.c_str(), "%lf,%lf,%lf,%d", &x0, &x1, &x2, &label), 4) << line;
    EXPECT_EQ(label == 1, x0 + x1 > (i < 500 ? 8.0 : 9.0)) << i;
  }
  for (const std::string generator : {"stagger", "hyperplane"}) {
    const auto g =
        run_riptide({"synth", generator, "--n", "300", "--drift-at", "100,200", "--width", "20"});
    EXPECT_EQ(g.exit_code, 0) << g.err;
    EXPECT_EQ(count_lines(g.out), 301);
    EXPECT_NE(g.out.substr(0, g.out.find('\n')).find(",label"), std::string::npos);
  }
}

TEST(SynthCli, TelcoShiftInvertsTheContractEffectAfterTheDriftPoint) {
  const auto plain = run_riptide({"synth", "telco-shift", "--n", "400", "--seed", "5"});
  const auto shifted =
      run_riptide({"synth", "telco-shift", "--n", "400", "--seed", "5", "--drift-at", "200"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  ASSERT_EQ(shifted.exit_code, 0) << shifted.err;
  std::istringstream a(plain.out), b(shifted.out);
  std::string la, lb;
  std::getline(a, la);
  std::getline(b, lb);
  EXPECT_EQ(la, lb);  // the Telco header, Churn last
  EXPECT_EQ(la.substr(la.rfind(',') + 1), "Churn");
  int flipped = 0;
  for (int i = 0; std::getline(a, la) && std::getline(b, lb); ++i) {
    const bool long_or_monthly = la.find(",Month-to-month,") != std::string::npos ||
                                 la.find(",Two year,") != std::string::npos;
    if (i < 200 || !long_or_monthly) {
      EXPECT_EQ(la, lb) << i;  // before the drift, and one-year contracts, are untouched
      continue;
    }
    // Same record, label flipped.
    ASSERT_EQ(la.substr(0, la.rfind(',')), lb.substr(0, lb.rfind(','))) << i;
    EXPECT_NE(la.substr(la.rfind(',')), lb.substr(lb.rfind(','))) << i;
    ++flipped;
  }
  EXPECT_GT(flipped, 100);  // month-to-month and two-year contracts are most of the data
}

TEST(SynthCli, BadArgumentsExitWith2) {
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"synth", "nosuch"},
                                             {"synth", "sea", "--drift-at", "10,5"},
                                             {"synth", "sea", "--n", "100", "--drift-at", "100"},
                                             {"synth", "sea", "--drift-at", "x"},
                                             {"synth", "sea", "--variant", "7"},
                                             {"synth", "telco-shift", "--data", "/no/such.csv"}}) {
    const auto r = run_riptide(args);
    EXPECT_EQ(r.exit_code, 2) << args[1];
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
  }
}

// --- riptide feature-drift ------------------------------------------------------------------

TEST(FeatureDriftCli, FindsTheLabelShiftOfTelcoShiftAndNothingElse) {
  const auto path = temp_file("");
  const auto synth = run_riptide(
      {"synth", "telco-shift", "--n", "6000", "--drift-at", "3000", "--seed", "9", "-o", path});
  ASSERT_EQ(synth.exit_code, 0) << synth.err;
  const auto r = run_riptide({"feature-drift", path});
  std::remove(path.c_str());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Churn flips for most records after 3000; checks run at 1999, 2999, ..., 5999.
  EXPECT_EQ(r.out.find("\"index\":1999"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\"index\":2999"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("{\"index\":3999,\"line\":4001,\"feature\":\"Churn\",\"metric\":\"js\""),
            std::string::npos)
      << r.out;
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line))
    EXPECT_NE(line.find("\"feature\":\"Churn\""), std::string::npos);
  EXPECT_NE(r.err.find("skipping 'customerID'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("6000 records, 0 unreadable skipped"), std::string::npos) << r.err;
}

TEST(FeatureDriftCli, NumericShiftAndBadInput) {
  std::string csv = "amount,plan\n";
  for (int i = 0; i < 3000; ++i)
    csv += std::to_string((i * 37 % 100) + (i >= 2000 ? 60 : 0)) + (i % 3 ? ",basic\n" : ",pro\n");
  csv += "1,2,3\n";  // a ragged record: skipped and counted
  const auto path = temp_file(csv);
  const auto r = run_riptide({"feature-drift", "--columns", "amount,plan", path});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"feature\":\"amount\",\"metric\":\"ks\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"feature\":\"amount\",\"metric\":\"psi\""), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\"feature\":\"plan\""), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("1 unreadable skipped"), std::string::npos) << r.err;
  const auto missing = run_riptide({"feature-drift", "--columns", "nosuch", path});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(count_lines(missing.err), 1) << missing.err;
  std::remove(path.c_str());
  const auto nofile = run_riptide({"feature-drift", "/no/such/file.csv"});
  EXPECT_EQ(nofile.exit_code, 2);
  EXPECT_EQ(count_lines(nofile.err), 1) << nofile.err;
}

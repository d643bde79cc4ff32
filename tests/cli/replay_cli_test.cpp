// `riptide replay`, run as a user runs it, on the bundled Telco data and on generic files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli/run.hpp"

using riptide::test::run_riptide;

namespace {

const std::string kTelco =
    std::string(RIPTIDE_SOURCE_DIR) + "/data/telco_customer_churn_train_data.csv";

std::string temp_path(const char* suffix) {
  char path[] = "/tmp/riptide-replay-cli-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) throw std::runtime_error("mkstemp");
  close(fd);
  std::remove(path);
  return std::string(path) + suffix;
}

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

long count_lines(const std::string& s) {
  return std::count(s.begin(), s.end(), '\n');
}

}  // namespace

TEST(ReplayCli, TelcoPresetHoldsOutEveryFifthCleanRecordAndReportsEverything) {
  const auto report = temp_path(".json");
  const auto r = run_riptide(
      {"replay", kTelco, "--preset", "telco", "--holdout-every", "5", "--report", report});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = read_json(report);
  std::remove(report.c_str());
  EXPECT_EQ(j["records"]["in"], 7043);
  EXPECT_EQ(j["records"]["quarantined"], 11);
  EXPECT_EQ(j["records"]["held_out"], 1406);  // 7032 clean records, i % 5 == 4
  EXPECT_EQ(j["records"]["learned"], 7032 - 1406);
  EXPECT_EQ(j["holdout"]["n"], 1406);
  EXPECT_EQ(j["prequential"]["n"], 7032 - 1406);
  // sklearn's batch LogisticRegression scores 0.862 on this split (bench/telco_baseline.py)
  EXPECT_GT(j["holdout"]["auc"].get<double>(), 0.855);
  EXPECT_GT(j["prequential"]["auc"].get<double>(), 0.80);
  EXPECT_LT(j["holdout"]["logloss"].get<double>(), 0.45);
  EXPECT_GT(j["holdout"]["accuracy"].get<double>(), 0.78);
  ASSERT_FALSE(j["curve"].empty());
  EXPECT_EQ(j["curve"][0]["n"], j["config"]["curve_every"]);
  EXPECT_GT(j["throughput"]["records_per_s"].get<double>(), 0.0);
  // CPU time of the first pass (a process's CPU time cannot exceed its wall time by much here:
  // the replay is one thread)
  EXPECT_GT(j["throughput"]["cpu_seconds"].get<double>(), 0.0);
  EXPECT_LT(j["throughput"]["cpu_seconds"].get<double>(),
            j["throughput"]["seconds"].get<double>() * 1.5 + 0.05);
  EXPECT_GT(j["throughput"]["cpu_records_per_s"].get<double>(), 0.0);
  // the default races AdaGrad and constant-rate SGD; on customer data AdaGrad's smallest rate leads
  EXPECT_EQ(j["config"]["optimizer"], "auto");
  EXPECT_EQ(j["config"]["optimizer_in_use"], "adagrad");
  EXPECT_EQ(j["config"]["learning_rate"]["chosen_optimizer"], "adagrad");
  EXPECT_EQ(j["config"]["learning_rate"]["candidates"].size(), 6u);
  EXPECT_EQ(j["config"]["passes"], 1);
  EXPECT_EQ(j["config"]["label"], "churn");
  EXPECT_NE(r.out.find("holdout"), std::string::npos);
}

TEST(ReplayCli, MorePassesAreReproducibleWithASeedAndNotWorse) {
  const auto a = temp_path(".json"), b = temp_path(".json");
  for (const auto& path : {a, b}) {
    const auto r = run_riptide({"replay", kTelco, "--preset", "telco", "--holdout-every", "5",
                                "--passes", "3", "--seed", "9", "--report", path});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const auto ja = read_json(a), jb = read_json(b);
  std::remove(a.c_str());
  std::remove(b.c_str());
  EXPECT_EQ(ja["holdout"]["auc"], jb["holdout"]["auc"]);
  EXPECT_EQ(ja["holdout"]["logloss"], jb["holdout"]["logloss"]);
  EXPECT_GT(ja["holdout"]["auc"].get<double>(), 0.855);
}

// scikit-learn 1.2.1 LogisticRegression (C=1.0, lbfgs) on the same split and features:
// `/usr/bin/python3 bench/telco_baseline.py data/telco_customer_churn_train_data.csv 5`.
constexpr double kSklearnTelcoHoldoutAuc = 0.8621859;

TEST(ReplayCli, FivePassesOfTelcoReachTheBatchLogisticRegression) {
  const auto one = temp_path(".json"), five = temp_path(".json"), sgd = temp_path(".json");
  for (const auto& [path, extra] : std::vector<std::pair<std::string, std::vector<std::string>>>{
           {one, {"--passes", "1"}},
           {five, {"--passes", "5"}},
           {sgd, {"--passes", "5", "--refine", "sgd"}}}) {
    std::vector<std::string> args{"replay",          kTelco, "--preset", "telco",
                                  "--holdout-every", "5",    "--report", path};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = run_riptide(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const auto j1 = read_json(one), j5 = read_json(five), js = read_json(sgd);
  for (const auto& p : {one, five, sgd}) std::remove(p.c_str());
  EXPECT_GE(j1["holdout"]["auc"].get<double>(), kSklearnTelcoHoldoutAuc - 0.005);
  EXPECT_GE(j5["holdout"]["auc"].get<double>(), kSklearnTelcoHoldoutAuc);
  EXPECT_EQ(j5["config"]["refine"], "newton");
  EXPECT_EQ(js["config"]["refine"], "sgd");
  EXPECT_LT(j5["holdout"]["logloss"].get<double>(), j1["holdout"]["logloss"].get<double>());
  EXPECT_LT(j5["holdout"]["logloss"].get<double>(), js["holdout"]["logloss"].get<double>());
}

TEST(ReplayCli, GenericPathLearnsAnyCsvWithABinaryLabel) {
  // A generated stream: y depends on a number and a category; an id and a noise column.
  const auto csv = temp_path(".csv");
  {
    std::ofstream out(csv);
    out << "key,amount,plan,noise,outcome\n";
    std::mt19937 rng(3);
    std::normal_distribution<double> g(0, 1);
    for (int i = 0; i < 4000; ++i) {
      const double amount = g(rng) * 10 + 50;
      const char* plan = (i % 3 == 0) ? "gold" : (i % 3 == 1) ? "silver" : "bronze";
      const double m = (amount - 50) / 5 + (i % 3 == 0 ? 1.5 : -0.5);
      const bool y = std::uniform_real_distribution<double>(0, 1)(rng) < 1 / (1 + std::exp(-m));
      out << "k" << i << "," << amount << "," << plan << "," << g(rng) << ","
          << (y ? "churned" : "stayed") << "\n";
    }
  }
  const auto report = temp_path(".json");
  const auto r = run_riptide({"replay", csv, "--label", "outcome", "--positive", "churned", "--id",
                              "key", "--ignore", "noise", "--holdout-every", "4", "--optimizer",
                              "adaptive", "--report", report});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = read_json(report);
  std::remove(csv.c_str());
  std::remove(report.c_str());
  EXPECT_EQ(j["records"]["in"], 4000);
  EXPECT_EQ(j["holdout"]["n"], 1000);
  EXPECT_GT(j["holdout"]["auc"].get<double>(), 0.85);
  EXPECT_EQ(j["model"]["features"].get<int>() > 0, true);
  bool key_used = false;
  for (const auto& w : j["model"]["top_weights"])
    key_used |= w["feature"].get<std::string>().rfind("key", 0) == 0 ||
                w["feature"].get<std::string>().rfind("noise", 0) == 0;
  EXPECT_FALSE(key_used);
}

// A stream whose concept changes every 2000 records: AdaGrad's rates shrink as it learns, so it
// re-learns each new concept slowly; the default race settles on constant-rate SGD, which tracks.
TEST(ReplayCli, TheDefaultRaceTracksADriftingStreamWithConstantRateSgd) {
  const auto csv = temp_path(".csv");
  const auto gen = run_riptide({"synth", "stagger", "--n", "12000", "--drift-at",
                                "2000,4000,6000,8000,10000", "--seed", "5", "-o", csv});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  double accuracy[2] = {0, 0};
  for (const int k : {0, 1}) {
    const auto report = temp_path(".json");
    std::vector<std::string> args{"replay",     csv, "--label",  "label",
                                  "--positive", "1", "--report", report};
    if (k == 1) args.insert(args.end(), {"--optimizer", "adagrad"});
    const auto r = run_riptide(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = read_json(report);
    std::remove(report.c_str());
    accuracy[k] = j["prequential"]["accuracy"].get<double>();
    if (k == 0) {
      EXPECT_EQ(j["config"]["optimizer_in_use"], "sgd");
      EXPECT_EQ(j["config"]["learning_rate"]["chosen_optimizer"], "sgd");
    } else {
      EXPECT_EQ(j["config"]["optimizer_in_use"], "adagrad");
      EXPECT_EQ(j["config"]["learning_rate"]["candidates"].size(), 3u);
    }
  }
  std::remove(csv.c_str());
  EXPECT_GT(accuracy[0], 0.98);
  EXPECT_GT(accuracy[0], accuracy[1] + 0.02);
}

TEST(ReplayCli, BadUsageIsAOneLineErrorWithExitCode2) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"replay", kTelco},
           {"replay", kTelco, "--label", "Churn"},
           {"replay", kTelco, "--preset", "telco", "--label", "Churn", "--positive", "Yes"},
           {"replay", "/no/such/file.csv", "--preset", "telco"},
           {"replay", kTelco, "--preset", "nosuch"},
           {"replay", kTelco, "--preset", "telco", "--passes", "0"},
           {"replay", kTelco, "--preset", "telco", "--passes", "2", "--learner", "svm", "--refine",
            "newton"},
           {"replay", kTelco, "--label", "NoSuchColumn", "--positive", "Yes"},
       }) {
    const auto r = run_riptide(args);
    EXPECT_EQ(r.exit_code, 2) << args.back() << ": " << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
  }
}

TEST(ReplayCli, AReportNamingTheInputIsRefusedAndTheInputKept) {
  const std::string csv = temp_path(".csv");
  {
    std::ifstream in(kTelco, std::ios::binary);
    std::ofstream out(csv, std::ios::binary);
    out << in.rdbuf();
  }
  const auto size_before = [&] {
    std::ifstream in(csv, std::ios::binary | std::ios::ate);
    return static_cast<long>(in.tellg());
  };
  const long before = size_before();
  const std::string link = csv + ".link";
  ASSERT_EQ(symlink(csv.c_str(), link.c_str()), 0);
  for (const auto& report : {csv, link}) {
    const auto r = run_riptide({"replay", csv, "--preset", "telco", "--report", report});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_EQ(size_before(), before);
  }
  std::remove(link.c_str());
  std::remove(csv.c_str());
}

TEST(ReplayCli, JsonLinesWithoutATellingExtensionAreSniffed) {
  // no extension to go by: the first byte '{' says JSON Lines
  const std::string jsonl = temp_path("");
  {
    std::ofstream out(jsonl);
    for (int i = 0; i < 600; ++i)
      out << "{\"id\": " << i << ", \"x\": " << (i % 7) << ", \"y\": \""
          << (i % 7 > 3 ? "yes" : "no") << "\"}\n";
  }
  const std::string report = temp_path(".json");
  const auto r = run_riptide(
      {"replay", jsonl, "--label", "y", "--positive", "yes", "--id", "id", "--report", report});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = read_json(report);
  EXPECT_EQ(j["config"]["format"], "jsonl");
  EXPECT_EQ(j["records"]["learned"], 600);
  std::remove(report.c_str());
  std::remove(jsonl.c_str());
}

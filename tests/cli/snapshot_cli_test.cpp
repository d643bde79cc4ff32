// riptide replay --save/--resume/--registry, riptide predict and riptide inspect on real files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/run.hpp"

namespace {

namespace fs = std::filesystem;
using riptide::test::run_riptide;
using riptide::test::slurp;

const std::string train = "data/telco_customer_churn_train_data.csv";
const std::string score = "data/telco_customer_churn_score_data.csv";

struct temp_dir {
  fs::path path =
      fs::temp_directory_path() / ("riptide-snapshot-cli-" + std::to_string(::getpid()));
  temp_dir() { fs::create_directories(path); }
  ~temp_dir() { fs::remove_all(path); }
  std::string at(const std::string& name) const { return (path / name).string(); }
};

std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST(SnapshotCli, RegistryGatePromotesAndPredictScoresEveryCustomer) {
  temp_dir t;
  const auto r = run_riptide({"replay", train, "--preset", "telco", "--registry", t.at("reg"),
                              "--snapshot-every", "2000"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(lines(slurp(t.at("reg/decisions.jsonl"))), 3u);
  EXPECT_NE(slurp(t.at("reg/champion")).find("\"snapshot\":\"snapshots/"), std::string::npos);
  const auto p = run_riptide({"predict", "--registry", t.at("reg"), score, "--out", t.at("p.csv"),
                              "--quarantine", t.at("q.jsonl")});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_NE(p.err.find("411 records in: 411 predicted, 0 quarantined"), std::string::npos) << p.err;
  const auto csv = slurp(t.at("p.csv"));
  EXPECT_EQ(csv.rfind("id,probability,label\n7590-VHVEG,", 0), 0u);
  EXPECT_EQ(lines(csv), 412u);
  // A gate nothing passes: no champion, predict says so (exit 2)
  const auto none = run_riptide(
      {"replay", train, "--preset", "telco", "--registry", t.at("strict"), "--min-auc", "0.99"});
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_NE(slurp(t.at("strict/decisions.jsonl")).find("below the gate"), std::string::npos);
  const auto refused = run_riptide({"predict", "--registry", t.at("strict"), score});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("no champion yet"), std::string::npos) << refused.err;
}

TEST(SnapshotCli, ResumeAndInspect) {
  temp_dir t;
  ASSERT_EQ(run_riptide({"replay", train, "--preset", "telco", "--save", t.at("a.rts")}).exit_code,
            0);
  const auto resumed =
      run_riptide({"replay", train, "--resume", t.at("a.rts"), "--save", t.at("b.rts")});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  const auto twice = run_riptide({"replay", score, "--resume", t.at("a.rts"), "--preset", "telco"});
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_NE(twice.err.find("drop --preset"), std::string::npos) << twice.err;
  const auto i = run_riptide({"inspect", t.at("b.rts")});
  ASSERT_EQ(i.exit_code, 0) << i.err;
  EXPECT_NE(i.out.find("\"kind\": \"resume\""), std::string::npos);
  EXPECT_NE(i.out.find("\"records_seen\": 14086"), std::string::npos) << i.out.substr(0, 400);
  EXPECT_NE(i.out.find("\"feature\": \"contract="), std::string::npos);
  // not a snapshot: one line naming the file, exit 2
  const auto bad = run_riptide({"inspect", train});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find(train + ": not a riptide snapshot (bad magic bytes)"), std::string::npos)
      << bad.err;
  // a messified score file (respelt headers, mess, broken records): the chain's matching and
  // repairs apply, broken records go to the quarantine with line and reason, none is lost
  ASSERT_EQ(
      run_riptide({"messify", score, "--seed", "3", "--format", "jsonl", "--out", t.at("s.jsonl")})
          .exit_code,
      0);
  const auto m = run_riptide({"predict", "--model", t.at("a.rts"), t.at("s.jsonl"), "--out",
                              t.at("m.csv"), "--quarantine", t.at("m.jsonl")});
  ASSERT_EQ(m.exit_code, 0) << m.err;
  const std::size_t predicted = lines(slurp(t.at("m.csv"))) - 1;
  const std::size_t quarantined = lines(slurp(t.at("m.jsonl")));
  EXPECT_GT(predicted, 390u);
  EXPECT_GT(quarantined, 0u);
  EXPECT_NE(m.err.find("414 records in: " + std::to_string(predicted) + " predicted, " +
                       std::to_string(quarantined) + " quarantined"),
            std::string::npos)
      << m.err;
  EXPECT_NE(slurp(t.at("m.jsonl")).find("\"line\":"), std::string::npos);
  // an output never overwrites an input
  const auto same =
      run_riptide({"predict", "--model", t.at("a.rts"), score, "--out", t.at("a.rts")});
  EXPECT_EQ(same.exit_code, 2);
}

// replay A --save, then replay B --resume: the same model and metrics as replay A+B in one go.
TEST(SnapshotCli, ResumingOnTheRestEqualsReplayingTheWhole) {
  temp_dir t;
  const std::string all = slurp(train);
  std::size_t cut = 0;
  for (int line = 0; line <= 3000; ++line) cut = all.find('\n', cut) + 1;
  const std::string header = all.substr(0, all.find('\n') + 1);
  {
    std::ofstream(t.at("a.csv")) << all.substr(0, cut);
    std::ofstream(t.at("b.csv")) << header << all.substr(cut);
  }
  ASSERT_EQ(run_riptide({"replay", t.at("a.csv"), "--preset", "telco", "--drift", "adwin", "--save",
                         t.at("a.rts")})
                .exit_code,
            0);
  ASSERT_EQ(
      run_riptide({"replay", t.at("b.csv"), "--resume", t.at("a.rts"), "--save", t.at("ab.rts")})
          .exit_code,
      0);
  ASSERT_EQ(run_riptide({"replay", train, "--preset", "telco", "--drift", "adwin", "--save",
                         t.at("whole.rts")})
                .exit_code,
            0);
  const auto resumed = nlohmann::json::parse(run_riptide({"inspect", t.at("ab.rts")}).out);
  const auto whole = nlohmann::json::parse(run_riptide({"inspect", t.at("whole.rts")}).out);
  EXPECT_EQ(resumed["model"], whole["model"]);
  EXPECT_EQ(resumed["metrics"]["prequential"], whole["metrics"]["prequential"]);
  EXPECT_EQ(resumed["records_seen"], whole["records_seen"]);
  EXPECT_EQ(resumed["records_seen"], 7043);
}

}  // namespace

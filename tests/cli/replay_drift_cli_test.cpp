// `riptide replay --drift` and `--feature-drift`, run as a user runs them: streams written by
// `riptide synth` with known drift points, replayed with and without drift handling.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "cli/run.hpp"

using riptide::test::run_riptide;

namespace {

std::string temp_file(const char* suffix) {
  char path[] = "/tmp/riptide-replay-drift-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) throw std::runtime_error("mkstemp");
  close(fd);
  std::remove(path);
  return std::string(path) + suffix;
}

// A temporary file removed at scope exit.
struct temp {
  explicit temp(const char* suffix) : path(temp_file(suffix)) {}
  ~temp() { std::remove(path.c_str()); }
  std::string path;
};

nlohmann::json replay(const std::string& csv, std::vector<std::string> extra) {
  temp report(".json");
  std::vector<std::string> args{"replay",     csv, "--label",  "label",
                                "--positive", "1", "--report", report.path};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto r = run_riptide(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(report.path);
  return nlohmann::json::parse(in);
}

// Every drift is acted on exactly once, the listed events are all the events, counts agree.
void expect_accounting(const nlohmann::json& j) {
  const auto& d = j["drift"];
  const auto& counts = d["counts"];
  long drifts = 0, replaced = 0, resets = 0, kept = 0, started = 0, restored = 0, dropped = 0;
  std::uint64_t last = 0;
  for (const auto& e : d["events"]) {
    const std::string action = e["action"];
    drifts += e["drift"].get<bool>();
    replaced += action == "replaced";
    resets += action == "reset";
    kept += action == "kept";
    started += action == "challenger_started";
    restored += action == "restored";
    dropped += action == "challenger_dropped";
    EXPECT_GE(e["index"].get<std::uint64_t>(), last) << "events in stream order";
    last = e["index"].get<std::uint64_t>();
    EXPECT_EQ(e["detector"], d["detector"]);
    if (e["drift"].get<bool>()) {  // a drift is acted on exactly once, by one of these
      EXPECT_TRUE(action == "replaced" || action == "reset" || action == "kept" ||
                  action == "restored")
          << e.dump();
    }
    EXPECT_GE(e["statistic"].get<double>(), 0.0);
    EXPECT_LE(e["statistic"].get<double>(), 1.0);
  }
  EXPECT_EQ(counts["events"].get<long>(), static_cast<long>(d["events"].size()));
  EXPECT_EQ(counts["drifts"].get<long>(), drifts);
  EXPECT_EQ(counts["replaced"].get<long>(), replaced);
  EXPECT_EQ(counts["resets"].get<long>(), resets);
  EXPECT_EQ(counts["kept"].get<long>(), kept);
  EXPECT_EQ(counts["challengers"].get<long>(), started);
  EXPECT_EQ(counts["restored"].get<long>(), restored);
  EXPECT_EQ(counts["challengers_dropped"].get<long>(), dropped);
  // Resets and kept happen only on drifts; replaced and restored also without one (a retiring
  // challenger, a trial's end).
  EXPECT_LE(resets + kept, drifts);
  EXPECT_LE(drifts, replaced + resets + kept + restored);
  // The records: every input record accounted for, every learned one scored once.
  const auto& rec = j["records"];
  EXPECT_EQ(rec["in"].get<long>(), rec["clean"].get<long>() + rec["repaired"].get<long>() +
                                       rec["quarantined"].get<long>() +
                                       rec["duplicates"].get<long>());
  EXPECT_EQ(rec["learned"], j["prequential"]["n"]);
}

// The first event acting on a drift (reset or replaced) in [point, point + tolerance).
bool acted_after(const nlohmann::json& events, std::uint64_t point, std::uint64_t tolerance) {
  for (const auto& e : events) {
    const auto i = e["index"].get<std::uint64_t>();
    const std::string action = e["action"];
    if (i >= point && i < point + tolerance && (action == "reset" || action == "replaced"))
      return true;
  }
  return false;
}

class ReplayDriftCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    sea_ = new temp(".csv");
    // SEA without label noise, the concept changing at 20000 and 40000 (thresholds 8 -> 9 -> 7)
    const auto r = run_riptide({"synth", "sea", "--n", "60000", "--drift-at", "20000,40000",
                                "--seed", "7", "--out", sea_->path});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() {
    delete sea_;
    sea_ = nullptr;
  }
  static temp* sea_;
};
temp* ReplayDriftCli::sea_ = nullptr;

}  // namespace

// Accuracy comparisons use AdaGrad at a fixed rate (--lr 0.05): its accumulated squared gradients
// shrink its steps, the case drift handling is for. (Without --lr, replay races 1x, 4x and 16x
// the rate; on SEA the 16x learner re-adapts fast on its own and the gain is a few tenths.)
TEST_F(ReplayDriftCli, AdwinActsAfterEachDriftPointAndBeatsThePlainLearner) {
  const auto plain = replay(sea_->path, {"--lr", "0.05"});
  const auto with = replay(sea_->path, {"--lr", "0.05", "--drift", "adwin"});
  EXPECT_FALSE(plain.contains("drift"));
  ASSERT_TRUE(with.contains("drift"));
  const auto& d = with["drift"];
  EXPECT_EQ(d["detector"], "adwin");
  EXPECT_EQ(d["params"]["delta"], 0.002);  // River's default
  EXPECT_EQ(d["params"]["clock"], 32);
  expect_accounting(with);
  EXPECT_TRUE(acted_after(d["events"], 20000, 2000)) << d["events"].dump();
  EXPECT_TRUE(acted_after(d["events"], 40000, 2000)) << d["events"].dump();
  // No reset or replacement before the first drift point: the stream is stationary there.
  for (const auto& e : d["events"]) {
    if (e["index"].get<std::uint64_t>() < 20000) {
      EXPECT_NE(e["action"], "reset") << e.dump();
    }
  }
  const double a = with["prequential"]["accuracy"], b = plain["prequential"]["accuracy"];
  EXPECT_GT(a, b + 0.01) << "with --drift adwin " << a << ", without " << b;
  // The same learner and stream: the drift section does not change what is counted.
  EXPECT_EQ(with["records"], plain["records"]);
}

TEST_F(ReplayDriftCli, WarningDetectorsStartChallengersThatTakeOver) {
  const auto j = replay(sea_->path, {"--lr", "0.05", "--drift", "ddm", "--no-feature-drift"});
  const auto& d = j["drift"];
  expect_accounting(j);
  EXPECT_EQ(d["features"]["enabled"], false);
  EXPECT_GT(d["counts"]["warnings"].get<long>(), 0);
  EXPECT_GT(d["counts"]["challengers"].get<long>(), 0);
  // Every replacement follows a challenger_started event, and reports both accuracies.
  bool challenger = false;
  for (const auto& e : d["events"]) {
    if (e["action"] == "challenger_started") challenger = true;
    if (e["action"] == "replaced") {
      EXPECT_TRUE(challenger) << e.dump();
      EXPECT_GT(e["challenger_accuracy"].get<double>(), e["model_accuracy"].get<double>());
      EXPECT_GE(e["challenger_records"].get<long>(), 100);
    }
    if (e["action"] == "reset" || e["action"] == "replaced") challenger = false;
  }
  EXPECT_TRUE(acted_after(d["events"], 20000, 2000)) << d["events"].dump();
  EXPECT_TRUE(acted_after(d["events"], 40000, 2000)) << d["events"].dump();
  EXPECT_GT(j["prequential"]["accuracy"].get<double>(),
            replay(sea_->path, {"--lr", "0.05"})["prequential"]["accuracy"].get<double>());
}

TEST_F(ReplayDriftCli, EveryDetectorRunsWithItsRiverDefaultsAndIsDeterministic) {
  for (const char* name : {"page-hinkley", "kswin", "eddm", "hddm-a", "hddm-w"}) {
    const auto a = replay(sea_->path, {"--drift", name, "--no-feature-drift"});
    expect_accounting(a);
    EXPECT_EQ(a["drift"]["detector"], name);
    const auto b = replay(sea_->path, {"--drift", name, "--no-feature-drift"});
    EXPECT_EQ(a["drift"]["events"], b["drift"]["events"]) << name;
    EXPECT_EQ(a["prequential"], b["prequential"]) << name;
  }
  // Parameters by River's names, dashes or underscores.
  const auto j = replay(sea_->path, {"--drift", "page-hinkley", "--drift-param", "threshold=25",
                                     "--drift-param", "min-instances=50", "--no-feature-drift"});
  EXPECT_EQ(j["drift"]["params"]["threshold"], 25.0);
  EXPECT_EQ(j["drift"]["params"]["min_instances"], 50);
  EXPECT_EQ(j["drift"]["params"]["mode"], "both");  // defaults are reported as used
  // The report shows each parameter once, as the detector got it: kswin's seed an integer,
  // hddm-w's lambda under River's name lambda_val whichever spelling was given.
  const auto k = replay(sea_->path, {"--drift", "kswin", "--drift-param", "seed=7", "--drift-param",
                                     "window-size=60", "--no-feature-drift"});
  EXPECT_TRUE(k["drift"]["params"]["seed"].is_number_integer());
  EXPECT_EQ(k["drift"]["params"]["seed"], 7);
  EXPECT_EQ(k["drift"]["params"]["window_size"], 60);
  EXPECT_EQ(k["drift"]["params"]["stat_size"], 30);
  const auto h = replay(sea_->path,
                        {"--drift", "hddm-w", "--drift-param", "lambda=0.1", "--no-feature-drift"});
  EXPECT_EQ(h["drift"]["params"]["lambda_val"], 0.1);
  EXPECT_FALSE(h["drift"]["params"].contains("lambda"));
}

TEST_F(ReplayDriftCli, BadDriftOptionsAreUsageErrors) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"--drift", "adwin", "--drift-param", "threshold=3"}, "has no parameter 'threshold'"},
      {{"--drift", "adwin", "--drift-param", "delta=abc"}, "not a finite number"},
      {{"--drift", "adwin", "--drift-param", "delta"}, "expected NAME=VALUE"},
      {{"--drift", "eddm", "--drift-param", "alpha=0.5"}, "alpha must be >= beta"},
      {{"--drift", "page-hinkley", "--drift-param", "mode=sideways"}, "up, down or both"},
      {{"--drift", "kswin", "--drift-param", "window-size=-5"}, "expected an integer from 0"},
      {{"--drift", "ddm", "--drift-param", "warm-start=2.5"}, "expected an integer"},
  };
  for (const auto& [extra, message] : cases) {
    std::vector<std::string> args{"replay", sea_->path, "--label", "label", "--positive", "1"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = run_riptide(args);
    EXPECT_EQ(r.exit_code, 2) << extra.back();
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
  }
  const auto r = run_riptide(
      {"replay", sea_->path, "--label", "label", "--positive", "1", "--drift", "cusum"});
  EXPECT_NE(r.exit_code, 0);
}

TEST(ReplayDriftCliFeatures, AlertsNameTheShiftedColumnsAfterTheShift) {
  // Deterministic columns: `amount` moves up by half its range at record 3000 and `plan`
  // switches to a new mix; `steady` never changes. No concept drift handling, monitor only.
  temp csv(".csv");
  {
    std::ofstream out(csv.path);
    out << "amount,plan,steady,label\n";
    for (int i = 0; i < 6000; ++i) {
      const bool later = i >= 3000;
      const int amount = (i * 37) % 100 + (later ? 50 : 0);
      const char* plan =
          later ? (i % 3 == 0 ? "basic" : "premium") : (i % 3 == 0 ? "premium" : "basic");
      out << amount << ',' << plan << ',' << (i * 13) % 7 << ',' << (amount > 60 ? 1 : 0) << '\n';
    }
  }
  const auto j = replay(csv.path, {"--feature-drift", "--feature-drift-reference", "1000",
                                   "--feature-drift-window", "500"});
  const auto& f = j["drift"]["features"];
  EXPECT_EQ(j["drift"]["detector"], nullptr);
  EXPECT_EQ(f["reference_size"], 1000);
  EXPECT_EQ(f["window_size"], 500);
  EXPECT_EQ(f["rows"], 6000);
  ASSERT_EQ(f["watched"].size(), 3u);  // the label is not a feature
  EXPECT_EQ(f["watched"][0]["kind"], "numeric");
  EXPECT_EQ(f["watched"][1]["kind"], "categorical");
  std::set<std::string> metrics;
  for (const auto& a : f["alerts"]) {
    EXPECT_NE(a["feature"], "steady") << a.dump();
    EXPECT_GE(a["index"].get<long>(), 3000) << a.dump();
    metrics.insert(a["feature"].get<std::string>() + ":" + a["metric"].get<std::string>());
  }
  for (const char* m : {"amount:psi", "amount:ks", "plan:psi", "plan:js"})
    EXPECT_TRUE(metrics.count(m)) << m << " in " << f["alerts"].dump();
  EXPECT_EQ(f["alert_count"].get<long>(), static_cast<long>(f["alerts"].size()));
}

// snapshot::registry (snapshot/registry.hpp): the gate's decisions on generated sequences of
// holdout AUCs, the champion pointer, decisions.jsonl and pruning.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "riptide/snapshot/registry.hpp"

namespace {

namespace fs = std::filesystem;
namespace snapshot = riptide::snapshot;

struct temp_dir {
  fs::path path;
  temp_dir() {
    static int n = 0;
    path = fs::temp_directory_path() /
           ("riptide-registry-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
  }
  ~temp_dir() { fs::remove_all(path); }
};

std::vector<nlohmann::json> decisions(const fs::path& dir) {
  std::vector<nlohmann::json> out;
  std::ifstream in(dir / "decisions.jsonl");
  for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
  return out;
}

RC_GTEST_PROP(Registry, DecisionsFollowTheGateOnAnySequence, ()) {
  const auto aucs = *rc::gen::container<std::vector<double>>(
      *rc::gen::inRange(0, 8),
      rc::gen::oneOf(rc::gen::map(rc::gen::inRange(0, 1001), [](int k) { return k / 1000.0; }),
                     rc::gen::just(std::numeric_limits<double>::quiet_NaN())));
  const snapshot::registry_options o{.min_auc = *rc::gen::element(0.5, 0.6, 0.8),
                                     .tolerance = *rc::gen::element(0.0, 0.01, 0.1),
                                     .keep = *rc::gen::inRange<std::size_t>(0, 4)};
  temp_dir t;
  snapshot::registry reg(t.path.string(), o);
  const riptide::pipeline p{{.preset = "telco", .model = {.lr = 0.05}}};
  std::optional<double> champion;
  std::optional<std::string> champion_path;
  for (const double auc : aucs) {
    const bool expect =
        std::isfinite(auc) && auc >= o.min_auc && (!champion || auc >= *champion - o.tolerance);
    const auto got = reg.add(p, auc, {{"auc", riptide::report::finite_or_null(auc)}});
    RC_ASSERT(got.promoted == expect);
    RC_ASSERT(!got.reason.empty());
    if (expect) {
      champion = auc;
      champion_path = got.snapshot;
    }
    RC_ASSERT(reg.champion() == champion_path);
    if (champion_path) RC_ASSERT(fs::exists(*champion_path));  // never pruned
    if (o.keep > 0) RC_ASSERT(reg.snapshots().size() <= o.keep + 1);
  }
  const auto logged = decisions(t.path);
  RC_ASSERT(logged.size() == aucs.size());
  for (std::size_t i = 0; i < logged.size(); ++i) {
    RC_ASSERT(logged[i]["snapshot"] == "snapshots/" +
                                           std::string(6 - std::to_string(i + 1).size(), '0') +
                                           std::to_string(i + 1) + ".rts");
    RC_ASSERT(logged[i]["decision"] == "promoted" || logged[i]["decision"] == "rejected");
  }
}

TEST(Registry, NoChampionIsAClearError) {
  temp_dir t;
  snapshot::registry reg(t.path.string());
  EXPECT_FALSE(reg.champion());
  try {
    (void)reg.load_champion();
    FAIL();
  } catch (const snapshot::error& e) {
    EXPECT_NE(std::string(e.what()).find("no champion yet"), std::string::npos);
  }
  const riptide::pipeline p{{.preset = "telco", .model = {.lr = 0.05}}};
  const auto d = reg.add(p, 0.55, nullptr);
  EXPECT_FALSE(d.promoted);
  EXPECT_EQ(d.reason, "holdout AUC 0.5500 below the gate 0.6000");
  EXPECT_FALSE(reg.champion());
}

}  // namespace

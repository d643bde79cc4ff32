// riptide profile, run as a user runs it.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/run.hpp"

using riptide::test::run_riptide;

namespace {
const std::string telco = "data/telco_customer_churn_train_data.csv";

nlohmann::json column(const nlohmann::json& profile, const std::string& name) {
  for (const auto& c : profile.at("columns"))
    if (c.at("name") == name) return c;
  return nullptr;
}
}  // namespace

TEST(ProfileCli, TelcoTotalChargesIsNumericWithElevenBlanks) {
  const auto r = run_riptide({"profile", telco});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("records"), 7043);
  EXPECT_EQ(j.at("errors"), 0);
  EXPECT_EQ(j.at("delimiter"), ",");
  ASSERT_EQ(j.at("columns").size(), 21u);
  const auto total = column(j, "TotalCharges");
  EXPECT_EQ(total.at("type"), "real");
  EXPECT_EQ(total.at("nulls"), 11);
  EXPECT_EQ(total.at("null_values").at(" "), 11);
  EXPECT_GT(total.at("max").get<double>(), total.at("min").get<double>());
  EXPECT_GT(total.at("stddev").get<double>(), 0.0);
  const auto contract = column(j, "Contract");
  EXPECT_EQ(contract.at("type"), "categorical");
  EXPECT_EQ(contract.at("distinct"), 3);
  EXPECT_EQ(contract.at("top").size(), 3u);
  EXPECT_EQ(contract.at("top")[0].at("value"), "Month-to-month");
  EXPECT_EQ(column(j, "customerID").at("type"), "string");
  EXPECT_EQ(column(j, "tenure").at("type"), "integer");
  EXPECT_EQ(r.out.find('\n'), r.out.size() - 1);  // one line unless --pretty
}

TEST(ProfileCli, PrettyJsonlFromStdinWithBrokenLines) {
  const auto path = std::filesystem::temp_directory_path() / "riptide_profile_cli.jsonl";
  const std::string text =
      "{\"user\":{\"id\":1},\"amount\":2.5,\"ok\":true}\n"
      "{\"user\":{\"id\":2},\"amount\":null}\n"
      "{\"user\":{\"id\":3},\n"
      "{\"user\":{\"id\":4},\"amount\":4,\"ok\":false}\n";
  std::ofstream(path, std::ios::binary) << text;
  const auto r = run_riptide({"profile", "-", "--format", "jsonl", "--pretty"}, path.string());
  std::filesystem::remove(path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GT(std::count(r.out.begin(), r.out.end(), '\n'), 10);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("source"), "<stdin>");
  EXPECT_EQ(j.at("records"), 4);
  EXPECT_EQ(j.at("errors"), 1);
  EXPECT_EQ(j.at("error_samples")[0].at("line"), 3);
  EXPECT_EQ(j.at("error_samples")[0].at("byte_offset"), text.find("{\"user\":{\"id\":3}"));
  EXPECT_EQ(column(j, "user.id").at("type"), "integer");
  EXPECT_EQ(column(j, "amount").at("type"), "real");
  EXPECT_EQ(column(j, "amount").at("nulls"), 1);
  EXPECT_EQ(column(j, "ok").at("type"), "boolean");
  EXPECT_EQ(column(j, "ok").at("missing"), 1);
}

TEST(ProfileCli, MissingFileIsAOneLineUsageError) {
  const auto r = run_riptide({"profile", "no/such/file.csv"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no/such/file.csv"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
}

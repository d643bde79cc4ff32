// serve::decode_request and serve::predictor: every bad request class answered with a 4xx and a
// JSON error naming it; predictions bit-identical to riptide::scorer (`riptide predict`); an
// instance that fails cleansing gets its reason in place while the others are predicted.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <charconv>
#include <string>
#include <vector>

#include "riptide/io/csv.hpp"
#include "riptide/scorer.hpp"
#include "riptide/serve/predictor.hpp"

namespace {

using riptide::serve::decode_request;
using riptide::serve::predictor;
using riptide::serve::served_model;

const std::string data = std::string(RIPTIDE_SOURCE_DIR) + "/data/";

std::shared_ptr<const served_model> telco_model() {
  static const auto m = [] {
    riptide::pipeline p{{.preset = "telco"}};
    for (const auto& r : riptide::io::read_csv(data + "telco_customer_churn_train_data.csv"))
      p.predict_then_learn(r);
    return std::make_shared<const served_model>(
        served_model{std::move(p), "7", "2026-12-07T00:00:00Z"});
  }();
  return m;
}

// The score file's records as request instances (field texts as strings, as the export has them).
std::vector<nlohmann::json> score_instances() {
  std::vector<nlohmann::json> out;
  auto reader = riptide::io::read_csv(data + "telco_customer_churn_score_data.csv");
  for (const auto& r : reader) {
    nlohmann::json o = nlohmann::json::object();
    for (std::size_t i = 0; i < r.fields.size(); ++i)
      o[r.columns->name(i)] = std::string(r.fields[i].text);
    out.push_back(std::move(o));
  }
  return out;
}

TEST(DecodeRequest, EveryBadShapeIsA400NamingIt) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "empty body"},
      {"  \n", "empty body"},
      {"{\"instances\": [", "malformed JSON"},
      {"nope", "malformed JSON"},
      {"[1, 2]", "expected a JSON object {\"instances\": [...]}, got an array"},
      {"{\"rows\": []}", "\"instances\" is missing"},
      {"{\"instances\": {\"a\": 1}}", "\"instances\" must be an array, got an object"},
      {"{\"instances\": \"x\"}", "\"instances\" must be an array, got a string"},
      {"{\"instances\": []}", "\"instances\" is empty"},
      {"{\"instances\": [{\"a\": 1}, 3]}", "instances[1]: expected an object, got a number"},
      {"{\"instances\": [{\"a\": 1}, null]}", "instances[1]: expected an object, got null"},
      {std::string(100, '[') + std::string(100, ']'), "nested deeper than 32 levels"},
  };
  for (const auto& [body, want] : cases) {
    const auto d = decode_request(body);
    ASSERT_TRUE(d.error) << body;
    EXPECT_EQ(d.error->status, 400);
    EXPECT_NE(d.error->message.find(want), std::string::npos) << body << " -> " << d.error->message;
  }
}

TEST(Predictor, PredictionsAreTheScorersBitForBitAndBadInstancesGetTheirReason) {
  predictor pr(telco_model());
  predictor::session s;
  auto instances = score_instances();
  ASSERT_EQ(instances.size(), 411u);
  instances[5]["tenure"] = "twelve";  // cleansing rejects it
  instances[9].erase("Contract");     // the rules need the column
  const auto r = pr.predict(nlohmann::json{{"instances", instances}}.dump(), s);
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
  EXPECT_EQ(r.instances, 411u);
  EXPECT_EQ(r.predicted, 409u);
  const auto body = nlohmann::json::parse(r.body);
  ASSERT_EQ(body["predictions"].size(), 411u);
  EXPECT_EQ(body["model"]["version"], "7");
  EXPECT_NE(body["predictions"][5]["error"].get<std::string>().find("tenure"), std::string::npos);
  EXPECT_TRUE(body["predictions"][9].contains("error"));
  // the same records through riptide::scorer (riptide predict), printed the same way
  riptide::scorer reference(telco_model()->pipeline);
  std::size_t i = 0;
  for (const auto& rec : riptide::io::read_csv(data + "telco_customer_churn_score_data.csv")) {
    const auto& want = reference.score(rec);
    const auto& got = body["predictions"][i];
    if (i != 5 && i != 9) {
      ASSERT_TRUE(want.out.ok());
      char num[32];
      const std::string text(num, std::to_chars(num, num + sizeof num, want.out.probability).ptr);
      EXPECT_EQ(got["id"], std::string(want.id));
      EXPECT_EQ(got["probability"].dump(), nlohmann::json::parse(text).dump()) << i;
      const float back = std::stof(got["probability"].dump());
      EXPECT_EQ(back, want.out.probability) << i;
      EXPECT_EQ(got["label"], want.label ? 1 : 0);
    }
    ++i;
  }
}

TEST(Predictor, NoModelIs503AndBadRequestsAre400WithAJsonError) {
  predictor empty;
  predictor::session s;
  const auto none = empty.predict(R"({"instances": [{"a": 1}]})", s);
  EXPECT_EQ(none.status, 503);
  EXPECT_EQ(nlohmann::json::parse(none.body)["error"], "no model loaded yet");
  predictor pr(telco_model());
  const auto bad = pr.predict("{\"instances\": 3}", s);
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(nlohmann::json::parse(bad.body).contains("error"));
  // unknown fields: the instance is quarantined by the model's schema check
  auto one = score_instances()[0];
  one["favourite_colour"] = "blue";
  const auto extra = pr.predict(nlohmann::json{{"instances", {one}}}.dump(), s);
  ASSERT_EQ(extra.status, 200);
  EXPECT_NE(extra.body.find("favourite_colour"), std::string::npos) << extra.body;
}

TEST(Predictor, ASwapServesTheNewModelToTheNextRequest) {
  predictor pr(telco_model());
  predictor::session s;
  const std::string body = nlohmann::json{{"instances", {score_instances()[0]}}}.dump();
  EXPECT_NE(pr.predict(body, s).body.find("\"version\":\"7\""), std::string::npos);
  riptide::pipeline fresh{{.preset = "telco", .model = {.lr = 0.05}}};
  pr.swap(std::make_shared<const served_model>(served_model{std::move(fresh), "8", "now"}));
  const auto r = pr.predict(body, s);
  EXPECT_NE(r.body.find("\"version\":\"8\""), std::string::npos);
  EXPECT_NE(r.body.find("\"probability\":0.5"), std::string::npos) << r.body;  // untrained
  EXPECT_EQ(pr.swaps(), 1u);
}

}  // namespace

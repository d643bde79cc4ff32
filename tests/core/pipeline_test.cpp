// riptide::pipeline and riptide::replay: the library's trained unit, through the library alone
// (the CLI tests run the same job through the binary). This binary carries the `concurrency`
// label: predicting from one pipeline on four threads runs under ThreadSanitizer.
#include <riptide/concepts.hpp>
#include <riptide/io/csv.hpp>
#include <riptide/io/record.hpp>
#include <riptide/pipeline.hpp>
#include <riptide/replay.hpp>
#include <riptide/report/json.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

const char* const train_csv = "data/telco_customer_churn_train_data.csv";
const char* const score_csv = "data/telco_customer_churn_score_data.csv";

// The records of a CSV file, owned (with the reader, which owns their schema).
struct owned_records {
  std::unique_ptr<riptide::io::csv_reader> reader;
  std::vector<riptide::io::record> records;
  std::size_t size() const { return records.size(); }
  const riptide::io::record& operator[](std::size_t i) const { return records[i]; }
  auto begin() const { return records.begin(); }
  auto end() const { return records.end(); }
};

owned_records records_of(const char* path, std::size_t limit = 100000) {
  owned_records out{std::make_unique<riptide::io::csv_reader>(riptide::io::read_csv(path)), {}};
  for (const auto& r : *out.reader) {
    if (out.records.size() == limit) break;
    out.records.emplace_back(r);
  }
  return out;
}

riptide::pipeline trained(riptide::pipeline_config c = {.preset = "telco"}) {
  riptide::pipeline p{c};
  for (const auto& r : riptide::io::read_csv(train_csv)) p.predict_then_learn(r);
  return p;
}

bool same_float(float a, float b) {
  return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0;
}

}  // namespace

static_assert(riptide::classifier<riptide::learn::any_classifier>);
static_assert(riptide::classifier<riptide::learn::learning_rate_race>);
static_assert(riptide::transformer<riptide::features::encoder>);

TEST(Pipeline, PresetCarriesItsLabelBindingAndLearnsTelco) {
  const auto p = trained();
  EXPECT_EQ(p.config().label, "churn");
  EXPECT_EQ(p.config().positive, "yes");
  EXPECT_EQ(p.config().id, "customer_id");
  const auto report = p.report();
  EXPECT_EQ(report.in, 7043u);
  EXPECT_EQ(report.clean + report.repaired, 7032u);
  EXPECT_TRUE(report.balanced());
  EXPECT_EQ(p.learned(), 7032u);
  EXPECT_EQ(p.evaluation().count(), 7032u);
  EXPECT_GT(p.evaluation().auc(), 0.8);
  // the id is no feature
  for (std::uint32_t s = 0; s < p.encoder().dimension(); ++s)
    EXPECT_EQ(p.encoder().feature_name(s).rfind("customer_id", 0), std::string::npos);
}

TEST(Pipeline, BadRecordsComeBackAsOutcomesWithTheirReason) {
  riptide::pipeline p{{.preset = "telco"}};
  auto reader = riptide::io::read_csv_text(
      "customerID,gender,SeniorCitizen,Partner,Dependents,tenure,PhoneService,MultipleLines,"
      "InternetService,OnlineSecurity,OnlineBackup,DeviceProtection,TechSupport,StreamingTV,"
      "StreamingMovies,Contract,PaperlessBilling,PaymentMethod,MonthlyCharges,TotalCharges,"
      "Churn\n"
      "1-A,Female,0,Yes,No,1,No,No phone service,DSL,No,Yes,No,No,No,No,Month-to-month,Yes,"
      "Electronic check,29.85,29.85,No\n"
      "2-B,Alien,0,Yes,No,1,No,No phone service,DSL,No,Yes,No,No,No,No,Month-to-month,Yes,"
      "Electronic check,29.85,29.85,No\n"
      "1-A,Female,0,Yes,No,1,No,No phone service,DSL,No,Yes,No,No,No,No,Month-to-month,Yes,"
      "Electronic check,29.85,29.85,No\n");
  std::vector<riptide::outcome> out;
  for (const auto& r : reader) out.push_back(p.predict_then_learn(r));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_TRUE(out[0].ok());
  EXPECT_TRUE(out[0].learned);
  EXPECT_EQ(out[0].label, false);
  EXPECT_EQ(out[1].status, riptide::clean::disposition::quarantined);
  EXPECT_NE(out[1].reason.find("gender"), std::string::npos) << out[1].reason;
  EXPECT_TRUE(std::isnan(out[1].probability));
  EXPECT_EQ(out[2].status, riptide::clean::disposition::duplicate);
  EXPECT_TRUE(p.report().balanced());
  EXPECT_EQ(p.learned(), 1u);
}

TEST(Pipeline, PredictChangesNothingAndNeverCallsARecordADuplicate) {
  auto p = trained();
  const auto before = p.report();
  const auto dimension = p.encoder().dimension();
  const auto n = p.evaluation().count();
  const auto records = records_of(train_csv, 300);
  std::vector<float> first;
  for (const auto& r : records) first.push_back(p.predict(r.view()).probability);
  auto scratch = p.make_scratch();
  for (std::size_t i = 0; i < records.size(); ++i) {  // again, and through one scratch
    const auto out = p.predict(records[i].view(), scratch);
    EXPECT_TRUE(same_float(out.probability, first[i])) << i;
    if (!std::isnan(first[i])) {
      EXPECT_TRUE(out.ok()) << out.reason;
    }
  }
  EXPECT_EQ(p.report().in, before.in);
  EXPECT_EQ(p.encoder().dimension(), dimension);
  EXPECT_EQ(p.evaluation().count(), n);
}

TEST(Pipeline, PredictionsAreThoseOfTheEncoderAndModelItHolds) {
  auto p = trained();
  p.settle();
  auto chain = riptide::clean::preset("telco");
  riptide::features::sparse_vector x;
  std::size_t compared = 0;
  for (const auto& r : riptide::io::read_csv(score_csv)) {
    const auto& row = chain.process(r);
    const auto out = p.predict(r);
    if (row.status == riptide::clean::disposition::duplicate) continue;  // serving has no dedup
    if (row.status != riptide::clean::disposition::clean &&
        row.status != riptide::clean::disposition::repaired) {
      EXPECT_FALSE(out.ok());
      continue;
    }
    p.encoder().transform(row, x);
    EXPECT_TRUE(same_float(out.probability, p.served().predict_proba(x)));
    ++compared;
  }
  EXPECT_GT(compared, 300u);
}

TEST(PipelineConcurrency, FourThreadsPredictingFromOnePipelineGetWhatOneThreadGets) {
  const auto p = trained({.preset = "telco", .model = {.optimizer = "adagrad", .lr = 0.05}});
  const auto records = records_of(score_csv);
  std::vector<float> expected;
  for (const auto& r : records) expected.push_back(p.predict(r.view()).probability);
  constexpr int threads = 4;
  std::vector<std::vector<float>> got(threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      auto scratch = p.make_scratch();  // one per thread; the first thread makes its own per call
      auto& mine = got[static_cast<std::size_t>(t)];
      for (std::size_t i = 0; i < records.size(); ++i) {
        const auto& r = records[(i + static_cast<std::size_t>(t) * 97) % records.size()];
        mine.push_back(t == 0 ? p.predict(r.view()).probability
                              : p.predict(r.view(), scratch).probability);
      }
    });
  for (auto& th : pool) th.join();
  for (int t = 0; t < threads; ++t)
    for (std::size_t i = 0; i < records.size(); ++i)
      ASSERT_TRUE(same_float(got[static_cast<std::size_t>(t)][i],
                             expected[(i + static_cast<std::size_t>(t) * 97) % records.size()]))
          << "thread " << t << " record " << i;
}

TEST(Pipeline, BadConfigurationThrowsAtSetup) {
  EXPECT_THROW(riptide::pipeline({.preset = "nope"}), riptide::clean::rules_error);
  EXPECT_THROW(riptide::pipeline({.rules = "{\"steps\": 3}"}), riptide::clean::rules_error);
  EXPECT_THROW(riptide::pipeline({.preset = "telco", .model = {.learner = "tree"}}),
               std::invalid_argument);
  EXPECT_THROW(riptide::pipeline({.preset = "telco", .drift = "nope"}), std::invalid_argument);
  EXPECT_THROW(
      riptide::pipeline({.preset = "telco", .drift = "adwin", .drift_params = {"threshold=3"}}),
      std::invalid_argument);
}

TEST(Pipeline, DriftRetrainingAndFeatureMonitorRunInside) {
  riptide::pipeline p{{.preset = "telco",
                       .drift = "kswin",
                       .drift_params = {"alpha=0.01"},
                       .feature_monitor = {.reference_size = 500, .window_size = 500}}};
  for (const auto& r : riptide::io::read_csv(train_csv)) p.predict_then_learn(r);
  ASSERT_NE(p.retraining(), nullptr);
  ASSERT_NE(p.feature_monitor(), nullptr);  // implied by drift
  EXPECT_EQ(p.feature_monitor()->rows(), 7032u);
  bool seed_from_pipeline = false, alpha_given = false;
  for (const auto& [name, v] : p.detector_params()) {
    if (name == "seed") seed_from_pipeline = std::get<std::int64_t>(v) == 42;
    if (name == "alpha") alpha_given = std::get<double>(v) == 0.01;
  }
  EXPECT_TRUE(seed_from_pipeline);
  EXPECT_TRUE(alpha_given);
  EXPECT_GT(p.evaluation().auc(), 0.78);
  // the feature monitor watched the features, not the label or the id
  for (const auto& s : p.feature_monitor()->watched()) {
    EXPECT_NE(s.name, "churn");
    EXPECT_NE(s.name, "customer_id");
  }
  EXPECT_FALSE(p.feature_monitor()->watched().empty());
}

TEST(Replay, HoldoutPassesAndReportThroughTheLibrary) {
  riptide::replay_options o;
  o.pipeline.preset = "telco";
  o.holdout_every = 5;
  o.passes = 3;
  int calls = 0;
  const auto r = riptide::replay(o, [&calls](auto&& on_record) {
    ++calls;
    for (const auto& rec : riptide::io::read_csv(train_csv)) on_record(rec);
  });
  EXPECT_EQ(calls, 1 + 2 + 1);  // first pass, two refining passes, the holdout
  EXPECT_EQ(r.refine, "newton");
  EXPECT_EQ(r.held_out, 7032u / 5);
  EXPECT_EQ(r.holdout.count(), 7032u / 5);
  EXPECT_EQ(r.model.learned() + r.held_out, 7032u);
  EXPECT_GT(r.holdout.auc(), 0.85);
  const auto j = r.to_json();
  EXPECT_EQ(j["records"]["in"], 7043);
  EXPECT_EQ(j["config"]["label"], "churn");
  EXPECT_EQ(j["config"]["learning_rate"]["mode"], "race");
  EXPECT_EQ(j["config"]["learning_rate"]["candidates"].size(), 6u);
  EXPECT_EQ(j["holdout"]["n"], 7032 / 5);
  EXPECT_FALSE(j.contains("drift"));
}

TEST(Replay, AStreamWithoutItsLabelColumnIsRefusedAtItsFirstRow) {
  riptide::replay_options o;
  o.pipeline.label = "nope";
  o.pipeline.positive = "yes";
  EXPECT_THROW(riptide::replay(o,
                               [](auto&& on_record) {
                                 for (const auto& rec : riptide::io::read_csv(train_csv))
                                   on_record(rec);
                               }),
               std::invalid_argument);
}

namespace {
// Every declared default is the default-constructed options' value.
template <class O>
void expect_declared_defaults() {
  const auto described = riptide::describe_params<O>();
  const auto values = riptide::effective_params(O{});
  ASSERT_EQ(described.size(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(described[i].name, values[i].first);
    EXPECT_EQ(described[i].default_text, riptide::to_text(values[i].second)) << values[i].first;
  }
}
}  // namespace

TEST(Pipeline, DescribesItsComponentsWithTheirDeclaredParameters) {
  expect_declared_defaults<riptide::features::encoder_options>();
  expect_declared_defaults<riptide::learn::classifier_options>();
  expect_declared_defaults<riptide::drift::retrainer_options>();
  expect_declared_defaults<riptide::drift::features::monitor_options>();
  riptide::pipeline p{{.preset = "telco", .drift = "adwin", .drift_params = {"delta=0.01"}}};
  const auto d = riptide::report::describe(p);
  EXPECT_EQ(d["chain"]["name"], "telco");
  EXPECT_EQ(d["chain"]["operators"].size(), p.chain().size());
  EXPECT_EQ(d["chain"]["operators"].back(), "dedup");
  EXPECT_EQ(d["encoder"]["label"], "churn");
  EXPECT_EQ(d["encoder"]["id"], "customer_id");
  EXPECT_EQ(d["encoder"]["hash_bits"], 18);
  EXPECT_EQ(d["encoder"]["default_kind"], "automatic");
  EXPECT_EQ(d["classifier"]["optimizer"], "auto");
  EXPECT_EQ(d["classifier"]["in_use"]["learning_rate"]["mode"], "race");
  EXPECT_EQ(d["drift"]["detector"], "adwin");
  EXPECT_EQ(d["drift"]["params"]["delta"], 0.01);
  EXPECT_EQ(d["drift"]["retrainer"]["recent_window"], 500);
  EXPECT_EQ(d["feature_monitor"]["window_size"], 1000);
  const auto plain = riptide::report::describe(riptide::pipeline{{.preset = "telco"}});
  EXPECT_TRUE(plain["drift"].is_null());
  EXPECT_TRUE(plain["feature_monitor"].is_null());
}

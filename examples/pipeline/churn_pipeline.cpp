// The whole pipe through the library, on the bundled Telco data: raw records -> cleansing (the
// telco preset) -> features -> an online classifier, test-then-train; then the score file is
// served from the trained pipeline. Prints the accounting, the prequential metrics and a few
// predictions. Run from the repository root (ctest does): build/bin/churn_pipeline
#include <riptide/io/csv.hpp>
#include <riptide/pipeline.hpp>

#include <cstdio>
#include <string>

int main(int argc, char** argv) {
  const std::string data = argc > 1 ? argv[1] : "data";
  riptide::pipeline churn{{.preset = "telco"}};  // label churn = yes, id customer_id: the preset's

  for (const auto& record : riptide::io::read_csv(data + "/telco_customer_churn_train_data.csv"))
    churn.predict_then_learn(record);  // scored before it is learned: an honest running estimate

  const auto counts = churn.report();
  const auto& eval = churn.evaluation();
  std::printf(
      "train: %llu records in, %llu clean, %llu repaired, %llu quarantined, %llu duplicates\n",
      static_cast<unsigned long long>(counts.in), static_cast<unsigned long long>(counts.clean),
      static_cast<unsigned long long>(counts.repaired),
      static_cast<unsigned long long>(counts.quarantined),
      static_cast<unsigned long long>(counts.duplicates));
  std::printf("prequential over %llu records: AUC %.4f, log loss %.4f, accuracy %.4f\n",
              static_cast<unsigned long long>(eval.count()), eval.auc(), eval.logloss(),
              eval.accuracy());

  auto scratch = churn.make_scratch();  // serving: per-thread caches, the pipeline untouched
  int shown = 0, scored = 0, rejected = 0;
  for (const auto& record : riptide::io::read_csv(data + "/telco_customer_churn_score_data.csv")) {
    const auto out = churn.predict(record, scratch);
    if (!out.ok()) {
      ++rejected;
      continue;
    }
    ++scored;
    if (shown++ < 3)
      std::printf("score: customer %s churns with probability %.3f\n",
                  std::string(record.fields[0].text).c_str(), out.probability);
  }
  std::printf("score: %d records scored, %d rejected by the cleansing rules\n", scored, rejected);
  return counts.balanced() && eval.auc() > 0.8 && scored > 0 ? 0 : 1;
}

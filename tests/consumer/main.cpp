// A user's program against the installed package: the whole pipe through riptide::pipeline, on
// records it makes itself (no path into the riptide tree).
#include <riptide/io/csv.hpp>
#include <riptide/pipeline.hpp>
#include <riptide/version.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

int main() {
  std::printf("riptide %s\n", riptide::version_string);
  if (std::strcmp(riptide::version_string, RIPTIDE_VERSION) != 0) return 1;
  // plan and amount decide the label (linearly); a generic pipeline (trim, null tokens) learns it
  std::string csv = "id,plan,amount,churned\n";
  for (int i = 0; i < 4000; ++i) {
    const bool pro = i % 3 == 0;
    const double amount = 10.0 + (i * 7919) % 90;
    const bool churned = (pro ? 30.0 : 0.0) + amount > 80.0;
    csv += std::to_string(i) + "," + (pro ? " pro" : "basic ") + "," + std::to_string(amount) +
           "," + (churned ? "yes" : "no") + "\n";
  }
  csv += "4000,basic,oops,\n";  // no label: learned by the encoder, not the model
  riptide::pipeline p{{.label = "churned",
                       .positive = "yes",
                       .id = "id",
                       .model = {.optimizer = "adagrad", .lr = 0.5}}};
  for (const auto& record : riptide::io::read_csv_text(csv)) p.predict_then_learn(record);
  const auto report = p.report();
  std::printf("records %llu, learned %llu, prequential AUC %.3f\n",
              static_cast<unsigned long long>(report.in),
              static_cast<unsigned long long>(p.learned()), p.evaluation().auc());
  auto query = riptide::io::read_csv_text("id,plan,amount,churned\n9,pro,60,\n10,basic,60,\n");
  float pro = NAN, basic = NAN;
  for (const auto& record : query) (std::isnan(pro) ? pro : basic) = p.predict(record).probability;
  std::printf("p(churn | pro, 60) = %.3f, p(churn | basic, 60) = %.3f\n", pro, basic);
  return report.balanced() && p.learned() == 4000 && p.unlabelled() == 1 &&
                 p.evaluation().auc() > 0.8 && pro > basic
             ? 0
             : 1;
}

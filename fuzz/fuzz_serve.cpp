// Fuzz target `serve`: arbitrary bytes as a predict request body (riptide::serve::predictor over a
// Telco model trained once). Every body must be answered: 200 with one entry per instance, or a
// 4xx with a JSON error; never a crash, hang, 5xx or exception.
#include <riptide/io/csv.hpp>
#include <riptide/serve/predictor.hpp>

#include <cstdlib>
#include <memory>
#include <string_view>

#include "fuzz_target.hpp"

RIPTIDE_FUZZ_TARGET(serve) {
  static riptide::serve::predictor predictor = [] {
    riptide::pipeline p{{.preset = "telco", .model = {.lr = 0.05}}};
    std::size_t i = 0;
    for (const auto& r : riptide::io::read_csv("data/telco_customer_churn_train_data.csv"))
      if (i++ < 500) p.predict_then_learn(r);
    return riptide::serve::predictor(std::make_shared<const riptide::serve::served_model>(
        riptide::serve::served_model{std::move(p), "fuzz", "t"}));
  }();
  static riptide::serve::predictor::session session;
  const auto r =
      predictor.predict(std::string_view(reinterpret_cast<const char*>(data), size), session);
  if (r.status != 200 && (r.status < 400 || r.status >= 500)) std::abort();
  if (r.status == 200 && r.body.rfind("{\"predictions\":[", 0) != 0) std::abort();
  if (r.status != 200 && r.body.rfind("{\"error\":", 0) != 0) std::abort();
  return 0;
}

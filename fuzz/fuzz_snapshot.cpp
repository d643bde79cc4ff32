// Fuzz target `snapshot`: arbitrary bytes as a snapshot file (riptide::snapshot::parse and load).
// The checksum is not verified, so that mutations reach the header, the arrays and every
// component's state loader behind it. A bad snapshot must end in snapshot::error (never a crash,
// hang, huge allocation or another exception); a good one must give a pipeline that scores a few
// records (and learns them) with balanced accounting.
#include <riptide/snapshot/pipeline_io.hpp>

#include <cstdlib>
#include <optional>
#include <span>
#include <vector>

#include "fuzz_target.hpp"

RIPTIDE_FUZZ_TARGET(snapshot) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  std::optional<riptide::pipeline> p;
  try {
    const auto c = riptide::snapshot::parse(bytes, "fuzz", false);
    p.emplace(riptide::snapshot::load(c, "fuzz"));
  } catch (const riptide::snapshot::error&) {
    return 0;
  }
  riptide::io::schema schema(
      {"customerID", "gender", "tenure", "Contract", "MonthlyCharges", "Churn"});
  const std::vector<std::vector<riptide::io::field>> rows = {
      {{"1-A"}, {"Male"}, {"12"}, {"Month-to-month"}, {"70.5"}, {"Yes"}},
      {{"2-B"}, {"Female"}, {" "}, {"Two year"}, {"x"}, {"No"}},
      {{"3-C"}}};
  for (const auto& fields : rows) {
    riptide::io::record_view r;
    r.columns = &schema;
    r.fields = fields;
    r.raw = "raw";
    (void)p->predict(r);
    (void)p->predict_then_learn(r);
  }
  if (!p->report().balanced()) std::abort();
  return 0;
}

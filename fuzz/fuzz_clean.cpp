// Fuzz target `clean`: arbitrary bytes read as CSV and cleansed by the telco preset and by a chain
// of every generic operator. Nothing may crash, hang or trip the sanitizers (invalid UTF-8, giant
// fields, ragged rows), and the accounting must balance:
// records_in == clean + repaired + quarantined + duplicates == rows yielded + rows rejected.
#include <riptide/clean/apply.hpp>
#include <riptide/clean/preset.hpp>
#include <riptide/io/csv.hpp>

#include <cstdlib>
#include <string>

#include "fuzz_target.hpp"

namespace {

void check(riptide::clean::chain chain, const std::string& text) {
  std::uint64_t yielded = 0, rejected = 0;
  const auto sink = [&rejected](const riptide::clean::row& r, const riptide::io::record_view&) {
    ++rejected;
    if (r.reason.empty()) std::abort();
  };
  for (const auto& row : riptide::io::read_csv_text(text) | riptide::clean::apply(chain, sink)) {
    ++yielded;
    if (row.names == nullptr || row.values.size() != row.names->size()) std::abort();
  }
  const auto report = chain.report();
  if (!report.balanced() || report.in != yielded + rejected) std::abort();
}

}  // namespace

RIPTIDE_FUZZ_TARGET(clean) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  namespace clean = riptide::clean;
  check(clean::preset("telco"), text);
  auto generic = clean::trim{.collapse_spaces = true} | clean::null_tokens{} |
                 clean::cast{.columns = {"n"}, .on_error = clean::cast_error::null} |
                 clean::impute{.column = "n", .strategy = clean::impute_strategy::median} |
                 clean::range_check{.column = "n", .min = 0, .on_fail = clean::range_action::flag} |
                 clean::dedup{.window = 4};
  generic.optional("n");
  check(std::move(generic), text);
  return 0;
}

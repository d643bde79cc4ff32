// Fuzz target `rules`: arbitrary bytes as a rules document (riptide::clean::load_rules). A bad
// document must end in clean::rules_error (never a crash, hang or another exception); a good one
// must give a chain that cleanses a few records with balanced accounting.
#include <riptide/clean/rules.hpp>

#include <cstdlib>
#include <string_view>
#include <vector>

#include "fuzz_target.hpp"

RIPTIDE_FUZZ_TARGET(rules) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  riptide::clean::chain chain;
  try {
    chain = riptide::clean::load_rules(text, "fuzz");
  } catch (const riptide::clean::rules_error&) {
    return 0;
  }
  riptide::io::schema schema({"a", "b", "n"});
  const std::vector<std::vector<riptide::io::field>> rows = {
      {{"x"}, {" Yes "}, {"1,234.5"}}, {{""}, {"NULL"}, {"-3"}}, {{"x"}, {"no"}}, {}};
  for (const auto& fields : rows) {
    riptide::io::record_view r;
    r.columns = &schema;
    r.fields = fields;
    r.raw = "raw";
    (void)chain.process(r);
  }
  if (!chain.report().balanced()) std::abort();
  return 0;
}

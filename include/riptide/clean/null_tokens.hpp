// riptide/clean/null_tokens.hpp: null-token normalisation.
//
// Turns the many spellings of "no value" into a real null. A text value is null when, trimmed of
// spaces and invisible characters, it is empty or equals one of `tokens` (ASCII case-insensitive
// unless `case_insensitive` is false). Non-empty tokens made null are recorded as the repair
// "null token"; an empty text becoming null is just typing.
//
// Parameters:
//   columns          {"*"}   the columns to normalise
//   tokens           default_null_tokens(): "null", "none", "nan", "na", "n/a", "#n/a", "<na>",
//                    "nil", "(null)", "-nan", "-", "?" (pandas' default na_values, plus a few)
//   case_insensitive true
//   trim             true    compare after trimming (a lone space is null)
//
// Example:
//   riptide::clean::null_tokens nulls;
//   riptide::io::schema s({"x"});
//   riptide::clean::binder b(s, {});
//   nulls.bind(b);
//   riptide::clean::work w;
//   w.values = {riptide::value::of_text(" N/A ")};
//   nulls.run(w);
//   if (!w.values[0].is_null() || w.repairs.size() != 1) std::abort();
#pragma once

#include <string>
#include <vector>

#include "riptide/clean/step.hpp"

namespace riptide::clean {

inline std::vector<std::string> default_null_tokens() {
  return {"null", "none", "nan", "na", "n/a", "#n/a", "<na>", "nil", "(null)", "-nan", "-", "?"};
}

struct null_tokens {
  static constexpr std::string_view op = "null_tokens";
  column_list columns{"*"};
  std::vector<std::string> tokens = default_null_tokens();
  bool case_insensitive = true;
  bool trim = true;

  std::vector<std::size_t> cols_{};

  void bind(binder& b) { cols_ = b.columns(columns); }

  bool run(work& w) const {
    for (const auto i : cols_) {
      auto& v = w.values[i];
      if (!v.is_text()) continue;
      const auto original = v.as_text();
      const auto t = trim ? text::trim(original) : original;
      if (t.empty()) {
        const bool was_empty = original.empty();
        v.set_null();
        if (!was_empty) w.repair(i, "null token");
        continue;
      }
      for (const auto& token : tokens) {
        if (case_insensitive ? text::iequals(t, token) : t == token) {
          v.set_null();
          w.repair(i, "null token");
          break;
        }
      }
    }
    return true;
  }
};

}  // namespace riptide::clean

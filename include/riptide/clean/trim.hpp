// riptide/clean/trim.hpp: whitespace and invisible-character trimming.
//
// Removes leading and trailing spaces (ASCII and Unicode: NBSP, thin and ideographic spaces, line
// and paragraph separators, ...) and invisible characters (zero-width space/joiners, word joiner,
// BOM, soft hyphen) from text values, removes invisible characters inside them, and with
// `collapse_spaces` turns every inner run of spaces, tabs and line ends into one ASCII space
// ("Bank\r\ntransfer" -> "Bank transfer"). See text.hpp for the exact character classes.
//
// Parameters:
//   columns          {"*"}
//   collapse_spaces  false
//   repair           true    a changed value counts as the repair "trimmed"
//
// Example:
//   riptide::clean::trim t{.collapse_spaces = true};
//   riptide::io::schema s({"x"});
//   riptide::clean::binder b(s, {});
//   t.bind(b);
//   riptide::clean::work w;
//   w.values = {riptide::value::of_text("\xC2\xA0" "Fiber \n optic ")};
//   t.run(w);
//   if (w.values[0].as_text() != "Fiber optic") std::abort();
#pragma once

#include <vector>

#include "riptide/clean/step.hpp"

namespace riptide::clean {

struct trim {
  static constexpr std::string_view op = "trim";
  column_list columns{"*"};
  bool collapse_spaces = false;
  bool repair = true;

  std::vector<std::size_t> cols_{};

  void bind(binder& b) { cols_ = b.columns(columns); }

  bool run(work& w) const {
    for (const auto i : cols_) run_column(i, w);
    return true;
  }
  /// run() on column `i` alone (a per-value operator: see step.hpp).
  bool run_column(std::size_t i, work& w) const {
    rewrite_text(w, i, [this](value& v, work& wk) -> std::string_view {
      const auto t = v.as_text();
      if (text::trim(t).size() == t.size() && !text::needs_inner_cleaning(t, collapse_spaces))
        return {};
      text::clean_spaces(t, wk.scratch, collapse_spaces);
      v.set_text(wk.scratch);
      return repair ? "trimmed" : std::string_view();
    });
    return true;
  }
};

}  // namespace riptide::clean

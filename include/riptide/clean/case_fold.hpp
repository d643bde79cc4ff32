// riptide/clean/case_fold.hpp: case folding of text values.
//
// Maps the letters of ASCII, Latin-1 Supplement, Latin Extended-A, Greek and Cyrillic one to one
// (text::lower_code_point: "ÉTÉ" -> "été", "ΣΟΦΙΑ" -> "σοφια", "ЖУК" -> "жук"). Not mapped:
// letters of other scripts, mappings that change the length (ß -> SS) and locale-dependent ones
// (Turkish dotted/dotless i: "I" always becomes "i").
//
// Parameters:
//   columns  {"*"}
//   to       letter_case::lower   (or upper)
//   repair   false   case folding is usually a transformation the output format asks for
//                    (churn "Yes" -> "yes"), not the repair of a damaged value
//
// Example:
//   riptide::clean::case_fold lower{.columns = {"churn"}};
//   riptide::io::schema s({"churn"});
//   riptide::clean::binder b(s, {});
//   lower.bind(b);
//   riptide::clean::work w;
//   w.values = {riptide::value::of_text("Yes \xC3\x89T\xC3\x89")};  // "Yes ÉTÉ"
//   lower.run(w);
//   if (w.values[0].as_text() != "yes \xC3\xA9t\xC3\xA9") std::abort();  // "yes été"
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "riptide/clean/step.hpp"

namespace riptide::clean {

enum class letter_case : std::uint8_t { lower, upper };

struct case_fold {
  static constexpr std::string_view op = "case";
  column_list columns{"*"};
  letter_case to = letter_case::lower;
  bool repair = false;

  std::vector<std::size_t> cols_{};

  void bind(binder& b) { cols_ = b.columns(columns); }

  bool run(work& w) const {
    for (const auto i : cols_) run_column(i, w);
    return true;
  }
  /// run() on column `i` alone (a per-value operator: see step.hpp). (A chain remembers what it
  /// makes of the values it has identified: chain.hpp.)
  bool run_column(std::size_t i, work& w) const {
    rewrite_text(w, i, [this](value& v, work& wk) -> std::string_view {
      if (!text::map_case(v.as_text(), wk.scratch, to == letter_case::upper)) return {};
      v.set_text(wk.scratch);
      return repair ? "case folded" : std::string_view();
    });
    return true;
  }
};

}  // namespace riptide::clean

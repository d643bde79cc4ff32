// riptide/clean/case_fold.hpp: case folding of text values (ASCII letters; other characters are
// left as they are, since full Unicode case mapping is locale-dependent).
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
//   w.values = {riptide::value::of_text("Yes")};
//   lower.run(w);
//   if (w.values[0].as_text() != "yes") std::abort();
#pragma once

#include <cstdint>
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
    for (const auto i : cols_) {
      auto& v = w.values[i];
      if (!v.is_text()) continue;
      const auto t = v.as_text();
      bool changes = false;
      for (const char c : t)
        if ((to == letter_case::lower ? text::to_lower(c) : text::to_upper(c)) != c) changes = true;
      if (!changes) continue;
      w.scratch.assign(t);
      for (auto& c : w.scratch)
        c = to == letter_case::lower ? text::to_lower(c) : text::to_upper(c);
      v.set_text(w.scratch);
      if (repair) w.repair(i, "case folded");
    }
    return true;
  }
};

}  // namespace riptide::clean

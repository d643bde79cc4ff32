// riptide/clean/rename.hpp: column renaming, explicit and/or to snake_case.
//
// Renames working columns at bind time (no per-record cost): first every column in `columns` to
// its snake_case (text::snake_case: "customerID" -> "customer_id") when `snake_case` is set, then
// the explicit `mapping` pairs {from, to}. Two live columns ending with the same name is a binding
// error.
//
// Parameters:
//   mapping     {}      pairs {from, to}
//   snake_case  false
//   columns     {"*"}   the columns snake_case applies to
//
// Example:
//   riptide::clean::rename r{.snake_case = true};
//   riptide::io::schema s({"customerID", "MonthlyCharges"});
//   riptide::clean::binder b(s, {});
//   r.bind(b);
//   if (b.name(0) != "customer_id" || b.name(1) != "monthly_charges") std::abort();
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "riptide/clean/step.hpp"

namespace riptide::clean {

struct rename {
  static constexpr std::string_view op = "rename";
  std::vector<std::pair<std::string, std::string>> mapping{};
  bool snake_case = false;
  column_list columns{"*"};

  void bind(binder& b) const {
    if (snake_case)
      for (const auto i : b.columns(columns)) b.rename(i, text::snake_case(b.name(i)));
    for (const auto& [from, to] : mapping)
      if (const auto i = b.column(from); i != no_column) b.rename(i, to);
    for (std::size_t i = 0; i < b.size(); ++i)
      for (std::size_t j = i + 1; j < b.size(); ++j)
        if (b.live(i) && b.live(j) && b.name(i) == b.name(j))
          b.error(b.where() + "two columns are now named '" + b.name(i) + "'");
  }

  bool run(work&) const noexcept { return true; }
};

}  // namespace riptide::clean

// riptide/clean/drop_columns.hpp: removal of columns from the output.
//
// The columns are no longer visible to later operators ("*" skips them) nor written out. Bind-time
// only: no per-record cost.
//
// Parameters:
//   columns  (required)
//
// Example:
//   riptide::clean::drop_columns d{.columns = {"notes"}};
//   riptide::io::schema s({"id", "notes"});
//   riptide::clean::binder b(s, {});
//   d.bind(b);
//   if (b.live(1) || b.columns({"*"}).size() != 1) std::abort();
#pragma once

#include "riptide/clean/step.hpp"

namespace riptide::clean {

struct drop_columns {
  static constexpr std::string_view op = "drop_columns";
  column_list columns{};

  void bind(binder& b) const {
    for (const auto i : b.columns(columns)) b.drop(i);
  }
  bool run(work&) const noexcept { return true; }
};

}  // namespace riptide::clean

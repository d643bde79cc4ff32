// riptide/clean/drop_if_null.hpp: drop (quarantine) records with a null, as Spark's dropna().
//
// A record with a null in any of `columns` is quarantined with the reason "null" on the first such
// column. Nothing is lost silently: the record goes to the quarantine sink with its raw bytes.
//
// Parameters:
//   columns  {"*"}
//
// Example:
//   riptide::clean::drop_if_null d;
//   riptide::io::schema s({"a", "b"});
//   riptide::clean::binder b(s, {});
//   d.bind(b);
//   riptide::clean::work w;
//   w.values = {riptide::value::of_int(1), riptide::value{}};
//   if (d.run(w) || w.rejection.column != 1) std::abort();
#pragma once

#include <vector>

#include "riptide/clean/step.hpp"

namespace riptide::clean {

struct drop_if_null {
  static constexpr std::string_view op = "drop_if_null";
  column_list columns{"*"};

  std::vector<std::size_t> cols_{};

  void bind(binder& b) { cols_ = b.columns(columns); }

  bool run(work& w) const {
    for (const auto i : cols_)
      if (!run_column(i, w)) return false;
    return true;
  }
  /// run() on column `i` alone (a per-value operator: see step.hpp).
  bool run_column(std::size_t i, work& w) const {
    return !w.values[i].is_null() || w.reject(i, "null");
  }
};

}  // namespace riptide::clean

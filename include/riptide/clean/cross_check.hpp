// riptide/clean/cross_check.hpp: cross-field consistency check: column ~ product of factors.
//
// Checks |column - f1 * f2 * ...| <= abs_tol + rel_tol * |f1 * f2 * ...| (e.g. total_charges
// against tenure * monthly_charges). By default a failing record is flagged, not dropped: it flows
// on, the report counts it under flags, and with `into` a boolean column says which rows failed.
// With on_fail = quarantine it is quarantined ("inconsistent with product"). Records with a null or
// non-numeric operand are not checked (into: null).
//
// Parameters:
//   column   (required)
//   factors  (required) at least one column
//   rel_tol  0.05
//   abs_tol  0.0
//   on_fail  cross_action::flag
//   into     ""  (no flag column)
//
// Example:
//   riptide::clean::cross_check c{.column = "total", .factors = {"months", "monthly"},
//                                 .rel_tol = 0.2, .into = "total_suspect"};
//   riptide::io::schema s({"total", "months", "monthly"});
//   riptide::clean::binder b(s, {});
//   c.bind(b);
//   riptide::clean::work w;
//   w.values = {riptide::value::of_real(10), riptide::value::of_int(12),
//               riptide::value::of_real(50), riptide::value{}};
//   if (!c.run(w) || w.flags.size() != 1 || !w.values[3].as_bool()) std::abort();
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "riptide/clean/step.hpp"

namespace riptide::clean {

enum class cross_action : std::uint8_t { flag, quarantine };

struct cross_check {
  static constexpr std::string_view op = "cross_check";
  std::string column{};
  column_list factors{};
  double rel_tol = 0.05;
  double abs_tol = 0.0;
  cross_action on_fail = cross_action::flag;
  std::string into{};

  std::size_t col_ = no_column;
  std::vector<std::size_t> factors_{};
  std::size_t into_ = no_column;
  bool active_ = false;

  void bind(binder& b) {
    col_ = b.column(column);
    factors_ = b.columns(factors);
    active_ = col_ != no_column && factors_.size() == factors.size() && !factors.empty();
    into_ = active_ && !into.empty() ? b.add(into) : no_column;
  }

  bool run(work& w) const {
    if (!active_) return true;
    if (into_ != no_column) w.values[into_].set_null();
    const auto& v = w.values[col_];
    if (!v.is_number()) return true;
    double product = 1.0;
    for (const auto f : factors_) {
      if (!w.values[f].is_number()) return true;
      product *= w.values[f].as_number();
    }
    const bool ok = std::fabs(v.as_number() - product) <= abs_tol + rel_tol * std::fabs(product);
    if (into_ != no_column) w.values[into_].set_bool(!ok);
    if (ok) return true;
    if (on_fail == cross_action::quarantine) return w.reject(col_, "inconsistent with product");
    w.flag(col_, "inconsistent with product");
    return true;
  }
};

}  // namespace riptide::clean

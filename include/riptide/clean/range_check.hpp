// riptide/clean/range_check.hpp: numeric range check.
//
// A number outside [min, max] (inclusive; either bound optional) is handled by `on_fail`:
// quarantine the record ("out of range", default), clamp it to the bound (repair "clamped"), make
// it null (repair "out of range -> null") or flag it (the record flows on; the report counts it).
// Text values are rejected ("not a number": cast first); nulls pass.
//
// Parameters:
//   column   (required)
//   min      none
//   max      none
//   on_fail  range_action::quarantine
//
// Example:
//   riptide::clean::range_check r{.column = "tenure", .min = 0.0, .max = 1200.0};
//   riptide::io::schema s({"tenure"});
//   riptide::clean::binder b(s, {});
//   r.bind(b);
//   riptide::clean::work w;
//   w.values = {riptide::value::of_int(-3)};
//   if (r.run(w) || w.rejection.what != "out of range") std::abort();
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

#include "riptide/clean/cast.hpp"
#include "riptide/clean/step.hpp"

namespace riptide::clean {

enum class range_action : std::uint8_t { quarantine, clamp, null, flag };

struct range_check {
  static constexpr std::string_view op = "range";
  std::string column{};
  std::optional<double> min{};
  std::optional<double> max{};
  range_action on_fail = range_action::quarantine;

  std::size_t col_ = no_column;

  void bind(binder& b) { col_ = b.column(column); }

  bool run(work& w) const {
    if (col_ == no_column) return true;
    auto& v = w.values[col_];
    if (v.is_null()) return true;
    if (!v.is_number()) return w.reject(col_, "not a number", v.as_text());
    const double x = v.as_number();
    const bool low = min && x < *min;
    const bool high = max && x > *max;
    if (!low && !high) return true;
    switch (on_fail) {
      case range_action::quarantine:
        w.scratch.clear();
        format_value(v, w.scratch);
        return w.reject(col_, "out of range", w.scratch);
      case range_action::clamp: {
        const double bound = low ? *min : *max;
        if (v.is_int())
          v.set_int(static_cast<std::int64_t>(low ? std::ceil(bound) : std::floor(bound)));
        else
          v.set_real(bound);
        return w.repair(col_, "clamped");
      }
      case range_action::null:
        v.set_null();
        return w.repair(col_, "out of range -> null");
      case range_action::flag:
        w.flag(col_, "out of range");
        return true;
    }
    return true;
  }
};

}  // namespace riptide::clean

// riptide/clean/boolean.hpp: boolean normalisation to the values a dataset uses.
//
// Reads every boolean spelling (true/false, yes/no, y/n, t/f, on/off, 1/0, any case; JSON true/
// false; integers 0/1) and writes `true_value` / `false_value`: "Yes"/"No" for a Telco flag column,
// 1/0 for SeniorCitizen, or real booleans (the default). An input already spelt as the target
// (text "Yes", or "1" for the integer 1) is no repair; any other spelling records "boolean
// spelling". Other values are rejected ("not a boolean"); nulls stay null.
//
// Parameters:
//   columns      (required)
//   true_value   value::of_bool(true)
//   false_value  value::of_bool(false)
//
// Example:
//   riptide::clean::boolean yes_no{.columns = {"partner"},
//                                  .true_value = riptide::value::of_text("Yes"),
//                                  .false_value = riptide::value::of_text("No")};
//   riptide::io::schema s({"partner"});
//   riptide::clean::binder b(s, {});
//   yes_no.bind(b);
//   riptide::clean::work w;
//   w.values = {riptide::value::of_text("TRUE")};
//   if (!yes_no.run(w) || w.values[0].as_text() != "Yes") std::abort();
#pragma once

#include <optional>
#include <vector>

#include "riptide/clean/cast.hpp"
#include "riptide/clean/step.hpp"
#include "riptide/detail/equal_bytes.hpp"

namespace riptide::clean {

struct boolean {
  static constexpr std::string_view op = "boolean";
  column_list columns{};
  value true_value = value::of_bool(true);
  value false_value = value::of_bool(false);

  std::vector<std::size_t> cols_{};
  std::string true_text_{}, false_text_{};
  bool targets_readable_ = false;  // the target spellings read back as true / false

  void bind(binder& b) {
    cols_ = b.columns(columns);
    true_text_.clear();
    false_text_.clear();
    format_value(true_value, true_text_);
    format_value(false_value, false_text_);
    targets_readable_ = parse_bool(true_text_) == std::optional<bool>(true) &&
                        parse_bool(false_text_) == std::optional<bool>(false);
  }

  bool run(work& w) const {
    for (const auto i : cols_)
      if (!run_column(i, w)) return false;
    return true;
  }
  /// run() on column `i` alone (a per-value operator: see step.hpp).
  bool run_column(std::size_t i, work& w) const {
    auto& v = w.values[i];
    bool b = false;
    bool plain = false;
    switch (v.type()) {
      case value::kind::null:
        return true;
      case value::kind::boolean:
        b = v.as_bool();
        plain = true_value.is_bool();
        break;
      case value::kind::integer:
        if (v.as_int() != 0 && v.as_int() != 1) return w.reject(i, "not a boolean");
        b = v.as_int() == 1;
        plain = true_value.is_int();
        break;
      case value::kind::real:
        return w.reject(i, "not a boolean");
      case value::kind::text: {
        const auto t = v.as_text();
        if (targets_readable_ && (riptide::detail::same_text(t, true_text_) ||
                                  riptide::detail::same_text(t, false_text_))) {
          b = riptide::detail::same_text(t, true_text_);
          plain = true;
          break;
        }
        const auto parsed = parse_bool(t);
        if (!parsed) return w.reject(i, "not a boolean", t);
        b = *parsed;
        plain = riptide::detail::same_text(t, b ? true_text_ : false_text_);
        break;
      }
    }
    const value& target = b ? true_value : false_value;
    if (plain && v.type() == target.type()) return true;  // already the target value
    v = target;
    if (!plain) w.repair(i, "boolean spelling");
    return true;
  }
};

}  // namespace riptide::clean

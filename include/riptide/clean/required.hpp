// riptide/clean/required.hpp: required-value check.
//
// Quarantines a record whose value in one of `columns` is null ("required value is null"). Use it
// after null_tokens, so that "N/A" and blanks count as null. drop_if_null (drop_if_null.hpp) is
// the same test over every column by default, named after Spark's dropna.
//
// Parameters:
//   columns  (required)
//
// Example:
//   riptide::clean::required r{.columns = {"id"}};
//   riptide::io::schema s({"id"});
//   riptide::clean::binder b(s, {});
//   r.bind(b);
//   riptide::clean::work w;
//   w.values = {riptide::value{}};
//   if (r.run(w) || w.rejection.what != "required value is null") std::abort();
#pragma once

#include <vector>

#include "riptide/clean/step.hpp"

namespace riptide::clean {

struct required {
  static constexpr std::string_view op = "required";
  column_list columns{};

  std::vector<std::size_t> cols_{};

  void bind(binder& b) { cols_ = b.columns(columns); }

  bool run(work& w) const {
    for (const auto i : cols_)
      if (w.values[i].is_null()) return w.reject(i, "required value is null");
    return true;
  }
};

}  // namespace riptide::clean

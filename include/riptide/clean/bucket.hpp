// riptide/clean/bucket.hpp: bucketing of a numeric column into labelled ranges.
//
// Writes into column `into` (added when new) the label of the first bucket whose inclusive upper
// bound is >= the value, or `otherwise` above the last bound. The source must be numeric by then
// (cast it first); text is rejected ("not a number"); null gives null.
//
// Parameters:
//   column     (required) the numeric source
//   into       (required) the label column
//   buckets    {} pairs {upper bound (inclusive), label}, in increasing bound order
//   otherwise  ""  the label above the last bound
//
// Example:
//   riptide::clean::bucket tenure_group{.column = "tenure", .into = "tenure_group",
//                                       .buckets = {{12, "Tenure_0-12"}, {24, "Tenure_12-24"}},
//                                       .otherwise = "Tenure_gt_24"};
//   riptide::io::schema s({"tenure"});
//   riptide::clean::binder b(s, {});
//   tenure_group.bind(b);
//   riptide::clean::work w;
//   w.values = {riptide::value::of_int(13), riptide::value{}};
//   tenure_group.run(w);
//   if (w.values[1].as_text() != "Tenure_12-24") std::abort();
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "riptide/clean/step.hpp"

namespace riptide::clean {

struct bucket {
  static constexpr std::string_view op = "bucket";
  std::string column{};
  std::string into{};
  std::vector<std::pair<double, std::string>> buckets{};
  std::string otherwise{};

  std::size_t from_ = no_column;
  std::size_t to_ = no_column;

  void bind(binder& b) {
    from_ = b.column(column);
    to_ = from_ == no_column ? no_column : b.add(into);
  }

  bool run(work& w) const {
    if (from_ == no_column) return true;
    const auto& v = w.values[from_];
    auto& out = w.values[to_];
    if (v.is_null()) {
      out.set_null();
      return true;
    }
    if (!v.is_number()) return w.reject(from_, "not a number", v.as_text());
    const double x = v.as_number();
    for (const auto& [bound, label] : buckets) {
      if (x <= bound) {
        out.set_text(label);
        return true;
      }
    }
    out.set_text(otherwise);
    return true;
  }
};

}  // namespace riptide::clean

// riptide/clean/map_values.hpp: value mapping (replace whole text values by others).
//
// Each text value equal to a `from` (ASCII case-insensitively with `case_insensitive`) becomes its
// `to`; other values pass unchanged. Used for recoding categories ("No internet service" -> "No").
//
// Parameters:
//   columns           {"*"}
//   mapping           {} pairs {from, to}, first match wins
//   case_insensitive  false
//   repair            false   a recoding is a transformation, not a repair; set true when the
//                             mapping fixes misspellings ("Mal" -> "Male")
//
// Example:
//   riptide::clean::map_values m{.mapping = {{"No internet service", "No"}}};
//   riptide::io::schema s({"online_backup"});
//   riptide::clean::binder b(s, {});
//   m.bind(b);
//   riptide::clean::work w;
//   w.values = {riptide::value::of_text("No internet service")};
//   m.run(w);
//   if (w.values[0].as_text() != "No") std::abort();
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "riptide/clean/step.hpp"
#include "riptide/detail/equal_bytes.hpp"

namespace riptide::clean {

struct map_values {
  static constexpr std::string_view op = "map";
  column_list columns{"*"};
  std::vector<std::pair<std::string, std::string>> mapping{};
  bool case_insensitive = false;
  bool repair = false;

  std::vector<std::size_t> cols_{};
  std::uint64_t sizes_ = 0;  // bit k: some `from` is k bytes long (bit 63: 63 or more)

  void bind(binder& b) {
    cols_ = b.columns(columns);
    sizes_ = 0;
    for (const auto& m : mapping)
      sizes_ |= std::uint64_t{1} << std::min<std::size_t>(m.first.size(), 63);
  }

  bool run(work& w) const {
    for (const auto i : cols_) run_column(i, w);
    return true;
  }
  /// run() on column `i` alone (a per-value operator: see step.hpp).
  bool run_column(std::size_t i, work& w) const {
    rewrite_text(w, i, [this](value& v, work&) -> std::string_view {
      const auto t = v.as_text();
      if ((sizes_ >> std::min<std::size_t>(t.size(), 63) & 1) == 0) return {};  // none this long
      for (const auto& [from, to] : mapping) {
        if (case_insensitive ? text::iequals(t, from) : riptide::detail::same_text(t, from)) {
          if (riptide::detail::same_text(t, to)) return {};  // already in the target spelling
          v.set_text(to);
          return repair ? "mapped" : std::string_view();
        }
      }
      return {};
    });
    return true;
  }
};

}  // namespace riptide::clean

// riptide/clean/regex_check.hpp: regular-expression check on text values.
//
// A text value must match `pattern` entirely (ECMAScript syntax, std::regex); otherwise the record
// is quarantined ("does not match pattern"). Values longer than `max_length` bytes are rejected
// without matching ("too long for pattern"): std::regex recurses per character and would exhaust
// the stack on giant fields. Nulls and numbers pass. A bad pattern is a binding error (rules.hpp
// reports it when the rules are loaded).
//
// Parameters:
//   columns     (required)
//   pattern     (required)
//   max_length  4096
//
// Example:
//   riptide::clean::regex_check id{.columns = {"id"}, .pattern = "[0-9]{4}-[A-Z]{5}"};
//   riptide::io::schema s({"id"});
//   riptide::clean::binder b(s, {});
//   id.bind(b);
//   riptide::clean::work w;
//   w.values = {riptide::value::of_text("7590-VHVEG")};
//   if (!id.run(w)) std::abort();
#pragma once

// GCC 12 reports a false -Wmaybe-uninitialized inside libstdc++'s regex compiler at -O2 with
// sanitizers; the std::regex code this header instantiates is covered here.
#pragma GCC diagnostic push
#if defined(__GNUC__) && !defined(__clang__)  // clang has no such warning (and warns of the name)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "riptide/clean/step.hpp"

namespace riptide::clean {

/// The error of an invalid pattern, empty for a valid one.
inline std::string regex_error_of(const std::string& pattern) {
  try {
    std::regex check(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    return e.what();
  }
  return {};
}

struct regex_check {
  static constexpr std::string_view op = "regex";
  column_list columns{};
  std::string pattern{};
  std::size_t max_length = 4096;

  std::vector<std::size_t> cols_{};
  std::shared_ptr<const std::regex> re_{};

  void bind(binder& b) {
    cols_ = b.columns(columns);
    try {
      re_ = std::make_shared<const std::regex>(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      b.error(b.where() + "invalid pattern '" + pattern + "': " + e.what());
      cols_.clear();
    }
  }

  bool run(work& w) const {
    for (const auto i : cols_) {
      const auto& v = w.values[i];
      if (!v.is_text()) continue;
      const auto t = v.as_text();
      if (t.size() > max_length) return w.reject(i, "too long for pattern", t);
      if (!std::regex_match(t.begin(), t.end(), *re_))
        return w.reject(i, "does not match pattern", t);
    }
    return true;
  }
};

}  // namespace riptide::clean

#pragma GCC diagnostic pop

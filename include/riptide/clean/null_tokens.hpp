// riptide/clean/null_tokens.hpp: null-token normalisation.
//
// Turns the many spellings of "no value" into a real null. A text value is null when, trimmed of
// spaces and invisible characters, it is empty or equals one of `tokens` (ASCII case-insensitive
// unless `case_insensitive` is false). Non-empty tokens made null are recorded as the repair
// "null token"; an empty text becoming null is just typing.
//
// Parameters:
//   columns          {"*"}   the columns to normalise
//   tokens           default_null_tokens(): "null", "none", "nan", "na", "n/a", "#n/a", "<na>",
//                    "nil", "(null)", "-nan", "-", "?" (pandas' default na_values, plus a few)
//   case_insensitive true
//   trim             true    compare after trimming (a lone space is null)
//
// Example:
//   riptide::clean::null_tokens nulls;
//   riptide::io::schema s({"x"});
//   riptide::clean::binder b(s, {});
//   nulls.bind(b);
//   riptide::clean::work w;
//   w.values = {riptide::value::of_text(" N/A ")};
//   nulls.run(w);
//   if (!w.values[0].is_null() || w.repairs.size() != 1) std::abort();
#pragma once

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "riptide/clean/step.hpp"
#include "riptide/detail/equal_bytes.hpp"

namespace riptide::clean {

inline std::vector<std::string> default_null_tokens() {
  return {"null", "none", "nan", "na", "n/a", "#n/a", "<na>", "nil", "(null)", "-nan", "-", "?"};
}

struct null_tokens {
  static constexpr std::string_view op = "null_tokens";
  column_list columns{"*"};
  std::vector<std::string> tokens = default_null_tokens();
  bool case_insensitive = true;
  bool trim = true;

  std::vector<std::size_t> cols_{};
  std::array<bool, 256> first_byte_{};  // bytes a token starts with (both cases when insensitive)
  std::size_t longest_ = 0;
  std::vector<riptide::detail::text_key> keys_{};  // of the tokens (lower-cased when insensitive)
  bool long_tokens_ = false;                       // some token is longer than a key holds exactly

  void bind(binder& b) {
    cols_ = b.columns(columns);
    first_byte_ = {};
    longest_ = 0;
    keys_.clear();
    long_tokens_ = false;
    for (const auto& token : tokens) {
      if (token.size() > riptide::detail::text_key::exact_up_to) {
        long_tokens_ = true;
      } else {
        std::string folded = token;
        if (case_insensitive)
          for (auto& c : folded) c = text::to_lower(c);
        keys_.push_back(riptide::detail::text_key::of(folded));
      }
      longest_ = std::max(longest_, token.size());
      if (token.empty()) continue;
      const char c = token.front();
      first_byte_[static_cast<unsigned char>(c)] = true;
      if (case_insensitive) {
        first_byte_[static_cast<unsigned char>(text::to_lower(c))] = true;
        first_byte_[static_cast<unsigned char>(text::to_upper(c))] = true;
      }
    }
  }

  bool run(work& w) const {
    for (const auto i : cols_) run_column(i, w);
    return true;
  }
  /// run() on column `i` alone (a per-value operator: see step.hpp).
  bool run_column(std::size_t i, work& w) const {
    rewrite_text(w, i, [this](value& v, work&) -> std::string_view {
      const auto original = v.as_text();
      const auto t = trim ? text::trim(original) : original;
      if (t.empty()) {
        const bool was_empty = original.empty();
        v.set_null();
        return was_empty ? std::string_view() : "null token";  // "" is just typing
      }
      // Most values cannot be a token: too long, or no token starts with their first byte.
      if (t.size() > longest_ || !first_byte_[static_cast<unsigned char>(t.front())]) return {};
      if (t.size() <= riptide::detail::text_key::exact_up_to) {
        // the text (ASCII lower-cased when insensitive) as a key against the tokens' keys
        auto key = riptide::detail::text_key::of(t);
        if (case_insensitive) key = key.ascii_lowered();
        for (const auto& k : keys_)
          if (k == key) {
            v.set_null();
            return "null token";
          }
        if (!long_tokens_) return {};
      }
      for (const auto& token : tokens) {
        if (case_insensitive ? text::iequals(t, token) : t == token) {
          v.set_null();
          return "null token";
        }
      }
      return {};
    });
    return true;
  }
};

}  // namespace riptide::clean

// riptide/clean/allowed.hpp: allowed-set check with canonical spelling repair.
//
// A text value must be one of `values`. With `canonicalize` (default), a value equal to an allowed
// one after trimming, collapsing inner spaces and case folding (text::map_case) is rewritten to the
// allowed spelling (repair "canonical spelling": " fiber OPTIC" -> "Fiber optic"); anything else is
// quarantined ("not an allowed value"). Numbers are compared in their shortest text form; nulls
// pass (use required / drop_if_null for those).
//
// Parameters:
//   columns       (required)
//   values        (required)
//   canonicalize  true
//
// Example:
//   riptide::clean::allowed a{.columns = {"contract"},
//                             .values = {"Month-to-month", "One year", "Two year"}};
//   riptide::io::schema s({"contract"});
//   riptide::clean::binder b(s, {});
//   a.bind(b);
//   riptide::clean::work w;
//   w.values = {riptide::value::of_text("one  YEAR")};
//   if (!a.run(w) || w.values[0].as_text() != "One year") std::abort();
#pragma once

#include <string>
#include <vector>

#include "riptide/clean/cast.hpp"
#include "riptide/clean/step.hpp"
#include "riptide/detail/equal_bytes.hpp"

namespace riptide::clean {

struct allowed {
  static constexpr std::string_view op = "allowed";
  column_list columns{};
  std::vector<std::string> values{};
  bool canonicalize = true;

  std::vector<std::size_t> cols_{};
  std::vector<std::string> keys_{};                 // loose forms of `values`
  std::vector<riptide::detail::text_key> exact_{};  // of `values`, scanned per record

  void bind(binder& b) {
    cols_ = b.columns(columns);
    keys_.clear();
    for (const auto& v : values) keys_.push_back(loose(v));
    exact_.clear();
    for (const auto& v : values) exact_.push_back(riptide::detail::text_key::of(v));
  }

  bool run(work& w) const {
    for (const auto i : cols_)
      if (!run_column(i, w)) return false;
    return true;
  }
  /// run() on column `i` alone (a per-value operator: see step.hpp).
  bool run_column(std::size_t i, work& w) const {
    auto& v = w.values[i];
    if (v.is_null()) return true;
    std::string_view t;
    if (v.is_text()) {
      t = v.as_text();
    } else {
      w.scratch.clear();
      format_value(v, w.scratch);
      t = w.scratch;
    }
    bool ok = false;
    const auto k = riptide::detail::text_key::of(t);
    if (k.size <= riptide::detail::text_key::exact_up_to) {
      for (const auto& e : exact_) ok |= e == k;  // no branch per value: which one matches varies
    } else {
      for (std::size_t a = 0; a < exact_.size() && !ok; ++a)
        ok = exact_[a] == k && riptide::detail::same_text(t, values[a]);
    }
    if (ok) return true;
    if (canonicalize && v.is_text()) {
      text::clean_spaces(t, w.scratch2, true);
      text::map_case(w.scratch2, w.scratch, false);
      for (std::size_t k = 0; k < keys_.size(); ++k) {
        if (w.scratch == keys_[k]) {
          v.set_text(values[k]);
          w.repair(i, "canonical spelling");
          ok = true;
          break;
        }
      }
      if (ok) return true;
      return w.reject(i, "not an allowed value", v.as_text());
    }
    return w.reject(i, "not an allowed value", t);
    return true;
  }

 private:
  static std::string loose(std::string_view s) {
    std::string spaced, out;
    text::clean_spaces(s, spaced, true);
    text::map_case(spaced, out, false);
    return out;
  }
};

}  // namespace riptide::clean

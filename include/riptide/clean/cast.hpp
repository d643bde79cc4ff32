// riptide/clean/cast.hpp: type casts with locale-tolerant number parsing.
//
// Converts values to integer, real, boolean or text. Text is read with parse_number (number.hpp):
// thousands separators, currency signs, '+', exponents, decimal commas are accepted, and ambiguous
// or invalid text is rejected rather than guessed. An integer cast accepts whole reals ("12.0",
// "1.2e1") and rejects fractions ("12.5": not an integer). A cast that needed tolerance records
// the repair "number format"; a plain one ("56.95" -> 56.95) is no repair. Booleans accept
// true/false, yes/no, y/n, t/f, on/off and 1/0 (any case). Nulls stay null.
//
// Parameters:
//   columns   (required)
//   to        type::real            integer | real | boolean | text
//   decimal   decimal_mark::automatic   the input's decimal mark when known
//   on_error  cast_error::quarantine    or cast_error::null (the value becomes null; repair)
//
// Example:
//   riptide::clean::cast c{.columns = {"tenure"}, .to = riptide::clean::type::integer};
//   riptide::io::schema s({"tenure"});
//   riptide::clean::binder b(s, {});
//   c.bind(b);
//   riptide::clean::work w;
//   w.values = {riptide::value::of_text("+34")};
//   if (!c.run(w) || w.values[0].as_int() != 34 || w.repairs.size() != 1) std::abort();
//   w.values = {riptide::value::of_text("34.5")};
//   if (c.run(w)) std::abort();  // not an integer: rejected
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "riptide/clean/number.hpp"
#include "riptide/clean/step.hpp"

namespace riptide::clean {

enum class type : std::uint8_t { integer, real, boolean, text };
enum class cast_error : std::uint8_t { quarantine, null };

inline constexpr std::string_view to_string(type t) noexcept {
  switch (t) {
    case type::integer:
      return "integer";
    case type::real:
      return "real";
    case type::boolean:
      return "boolean";
    case type::text:
      return "text";
  }
  return "unknown";
}

/// Reads a boolean spelling (ASCII case-insensitive, trimmed): true/false, yes/no, y/n, t/f,
/// on/off, 1/0.
inline std::optional<bool> parse_bool(std::string_view s) noexcept {
  s = text::trim(s);
  static constexpr std::string_view yes[] = {"true", "yes", "y", "t", "on", "1"};
  static constexpr std::string_view no[] = {"false", "no", "n", "f", "off", "0"};
  for (const auto t : yes)
    if (text::iequals(s, t)) return true;
  for (const auto f : no)
    if (text::iequals(s, f)) return false;
  return std::nullopt;
}

/// Appends the shortest text that reads back as `v` (numbers via std::to_chars).
inline void format_value(const value& v, std::string& out) {
  char buffer[64];
  switch (v.type()) {
    case value::kind::null:
      return;
    case value::kind::boolean:
      out += v.as_bool() ? "true" : "false";
      return;
    case value::kind::integer: {
      const auto r = std::to_chars(buffer, buffer + sizeof buffer, v.as_int());
      out.append(buffer, r.ptr);
      return;
    }
    case value::kind::real: {
      const auto r = std::to_chars(buffer, buffer + sizeof buffer, v.as_real());
      out.append(buffer, r.ptr);
      return;
    }
    case value::kind::text:
      out += v.as_text();
      return;
  }
}

struct cast {
  static constexpr std::string_view op = "cast";
  column_list columns{};
  type to = type::real;
  decimal_mark decimal = decimal_mark::automatic;
  cast_error on_error = cast_error::quarantine;

  std::vector<std::size_t> cols_{};

  void bind(binder& b) { cols_ = b.columns(columns); }

  bool run(work& w) const {
    for (const auto i : cols_)
      if (!convert(w, i)) return false;
    return true;
  }
  /// run() on column `i` alone (a per-value operator: see step.hpp).
  bool run_column(std::size_t i, work& w) const { return convert(w, i); }

 private:
  bool fail(work& w, std::size_t i, std::string_view what) const {
    auto& v = w.values[i];
    if (on_error == cast_error::null) {
      v.set_null();
      return w.repair(i, "unreadable -> null");
    }
    if (v.is_text()) return w.reject(i, what, v.as_text());
    w.scratch.clear();
    format_value(v, w.scratch);
    return w.reject(i, what, w.scratch);
  }

  bool convert(work& w, std::size_t i) const {
    auto& v = w.values[i];
    if (v.is_null()) return true;
    switch (to) {
      case type::integer:
        return to_integer(w, i);
      case type::real:
        if (v.is_real()) return true;
        if (v.is_int()) return v.set_real(static_cast<double>(v.as_int())), true;
        if (v.is_bool()) return fail(w, i, "not a number");
        {
          const auto n = parse_number(v.as_text(), decimal);
          if (n.status != number_status::ok) return fail(w, i, to_string(n.status));
          v.set_real(n.value);
          if (n.tolerated) w.repair(i, "number format");
        }
        return true;
      case type::boolean:
        if (v.is_bool()) return true;
        if (v.is_int() && (v.as_int() == 0 || v.as_int() == 1)) return v.set_bool(v.as_int()), true;
        if (v.is_text()) {
          const auto b = parse_bool(v.as_text());
          if (!b) return fail(w, i, "not a boolean");
          const auto t = v.as_text();
          const bool plain = t == "true" || t == "false";
          v.set_bool(*b);
          if (!plain) w.repair(i, "boolean spelling");
          return true;
        }
        return fail(w, i, "not a boolean");
      case type::text:
        if (v.is_text()) return true;
        w.scratch.clear();
        format_value(v, w.scratch);
        v.set_text(w.scratch);
        return true;
    }
    return true;
  }

  bool to_integer(work& w, std::size_t i) const {
    auto& v = w.values[i];
    if (v.is_int()) return true;
    if (v.is_bool()) return fail(w, i, "not a number");
    double d = 0.0;
    bool tolerated = false;
    if (v.is_real()) {
      d = v.as_real();
    } else {
      const auto n = parse_number(v.as_text(), decimal);
      if (n.status != number_status::ok) return fail(w, i, to_string(n.status));
      if (n.exact_integer) {
        v.set_int(n.integer);
        if (n.tolerated) w.repair(i, "number format");
        return true;
      }
      d = n.value;
      tolerated = true;  // written with a fraction or exponent
    }
    if (std::trunc(d) != d) return fail(w, i, "not an integer");
    if (!(d >= -9.2e18 && d <= 9.2e18)) return fail(w, i, "number out of range");
    v.set_int(static_cast<std::int64_t>(d));
    if (tolerated) w.repair(i, "number format");
    return true;
  }
};

}  // namespace riptide::clean

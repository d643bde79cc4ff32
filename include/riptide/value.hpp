// riptide/value.hpp: one typed value of a cleansed record (null, bool, integer, real or text).
//
// Cleansing turns raw text fields into values; feature encoders read values. A value owns its text
// (std::string), so a reused value keeps its capacity and the hot path stays allocation-free once
// warm.
//
// Example:
//   riptide::value v = riptide::value::of_text("Yes");
//   v.set_real(29.85);
//   if (!v.is_number() || v.as_number() != 29.85) std::abort();
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace riptide {

class value {
 public:
  enum class kind : std::uint8_t { null, boolean, integer, real, text };

  value() = default;
  static value of_bool(bool b) {
    value v;
    v.set_bool(b);
    return v;
  }
  static value of_int(std::int64_t i) {
    value v;
    v.set_int(i);
    return v;
  }
  static value of_real(double d) {
    value v;
    v.set_real(d);
    return v;
  }
  static value of_text(std::string_view s) {
    value v;
    v.set_text(s);
    return v;
  }

  kind type() const noexcept { return kind_; }
  bool is_null() const noexcept { return kind_ == kind::null; }
  bool is_bool() const noexcept { return kind_ == kind::boolean; }
  bool is_int() const noexcept { return kind_ == kind::integer; }
  bool is_real() const noexcept { return kind_ == kind::real; }
  bool is_number() const noexcept { return kind_ == kind::integer || kind_ == kind::real; }
  bool is_text() const noexcept { return kind_ == kind::text; }

  bool as_bool() const noexcept { return b_; }
  std::int64_t as_int() const noexcept { return i_; }
  double as_real() const noexcept { return d_; }
  /// Integers and reals as double (bools as 0/1); 0 for null and text.
  double as_number() const noexcept {
    switch (kind_) {
      case kind::integer:
        return static_cast<double>(i_);
      case kind::real:
        return d_;
      case kind::boolean:
        return b_ ? 1.0 : 0.0;
      default:
        return 0.0;
    }
  }
  std::string_view as_text() const noexcept { return text_; }

  void set_null() noexcept {
    kind_ = kind::null;
    text_.clear();
  }
  void set_bool(bool b) noexcept {
    kind_ = kind::boolean;
    b_ = b;
    text_.clear();
  }
  void set_int(std::int64_t i) noexcept {
    kind_ = kind::integer;
    i_ = i;
    text_.clear();
  }
  void set_real(double d) noexcept {
    kind_ = kind::real;
    d_ = d;
    text_.clear();
  }
  void set_text(std::string_view s) {
    kind_ = kind::text;
    text_.assign(s);
  }

  friend bool operator==(const value& a, const value& b) noexcept {
    if (a.kind_ != b.kind_) return false;
    switch (a.kind_) {
      case kind::null:
        return true;
      case kind::boolean:
        return a.b_ == b.b_;
      case kind::integer:
        return a.i_ == b.i_;
      case kind::real:
        return a.d_ == b.d_;
      case kind::text:
        return a.text_ == b.text_;
    }
    return false;
  }

 private:
  kind kind_ = kind::null;
  bool b_ = false;
  std::int64_t i_ = 0;
  double d_ = 0.0;
  std::string text_;
};

}  // namespace riptide

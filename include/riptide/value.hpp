// riptide/value.hpp: one typed value of a cleansed record (null, bool, integer, real or text).
//
// Cleansing turns raw text fields into values; feature encoders read values. A value owns its text
// (std::string), so a reused value keeps its capacity and the hot path stays allocation-free once
// warm. For the hot path a value may also borrow text it does not own (set_text_view): the
// cleansing chain loads a record's fields that way, so columns it leaves unchanged are never
// copied. A borrowed text is valid as long as the bytes it points to (for a cleansed row: until the
// reader moves on); every copy of a value owns its text, so copy a row to keep it.
// A value may carry an identity (identity(), nonzero): a promise that every value carrying the
// same identity is equal to it (same kind and content), so that a consumer may remember what it
// made of one (the feature encoder: a category's slot) and skip reading the text again. Whoever
// can vouch for that sets it (the cleansing chain, for the results it remembers per column), with
// identities from an identity_source of its own: identities are the producer's, not the
// process's, so a consumer that remembers values by identity keeps that memory per producer (the
// encoder: per chain binding, i.e. per row.names). Every mutation clears it, copies and
// set_borrowed keep it.
//
// Example:
//   riptide::value v = riptide::value::of_text("Yes");
//   v.set_real(29.85);
//   if (!v.is_number() || v.as_number() != 29.85) std::abort();
//   std::string bytes = "No";
//   v.set_text_view(bytes);
//   riptide::value kept = v;  // owns a copy of "No"
//   bytes = "??";
//   if (v.as_text() != "??" || kept.as_text() != "No" || !v.borrows() || kept.borrows())
//     std::abort();
//   riptide::identity_source ids;  // one per producer (a cleansing chain has its own)
//   v.set_identity(ids.take());     // vouching that equal ids, equal values
//   riptide::value same = v;
//   v.set_text("Yes");  // a mutation clears it
//   if (same.identity() == 0 || v.identity() != 0) std::abort();
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace riptide {

/// Hands out value identities for one producer (see the header comment): take(n) is the first of
/// n consecutive identities this source never handed out before, or 0 (none) once 2^32 - 1 have
/// been. Not shared between threads: each producer has its own.
class identity_source {
 public:
  std::uint32_t take(std::uint32_t n = 1) noexcept {
    const std::uint64_t first = next_;
    if (first + n - 1 > UINT32_MAX) return 0;
    next_ += n;
    return static_cast<std::uint32_t>(first);
  }

 private:
  std::uint64_t next_ = 1;
};

class value {
 public:
  enum class kind : std::uint8_t { null, boolean, integer, real, text };

  value() = default;
  // Copies own their text (a borrowed text is copied); moves keep what they had.
  value(const value& o)
      : kind_(o.kind_), b_(o.b_), identity_(o.identity_), i_(o.i_), d_(o.d_), text_(o.as_text()) {}
  value& operator=(const value& o) {
    if (this == &o) return *this;
    kind_ = o.kind_;
    b_ = o.b_;
    identity_ = o.identity_;
    i_ = o.i_;
    d_ = o.d_;
    if (o.kind_ == kind::text)
      text_.assign(o.as_text());
    else
      text_.clear();  // what a non-text value holds (and no call to assign "")
    view_ = nullptr;
    view_size_ = 0;
    return *this;
  }
  value(value&&) noexcept = default;
  value& operator=(value&&) noexcept = default;
  ~value() = default;

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
  std::string_view as_text() const noexcept {
    return view_ != nullptr ? std::string_view(view_, view_size_) : std::string_view(text_);
  }
  /// True when the text is borrowed (set_text_view) rather than owned.
  bool borrows() const noexcept { return view_ != nullptr; }

  /// The value's identity (see the header comment), 0 for none.
  std::uint32_t identity() const noexcept { return identity_; }
  /// Promises that every value with identity `id` equals this one (kept until the next mutation).
  void set_identity(std::uint32_t id) noexcept { identity_ = id; }

  void set_null() noexcept {
    kind_ = kind::null;
    identity_ = 0;
    text_.clear();
    view_ = nullptr;
  }
  void set_bool(bool b) noexcept {
    kind_ = kind::boolean;
    identity_ = 0;
    b_ = b;
    text_.clear();
    view_ = nullptr;
  }
  void set_int(std::int64_t i) noexcept {
    kind_ = kind::integer;
    identity_ = 0;
    i_ = i;
    text_.clear();
    view_ = nullptr;
  }
  void set_real(double d) noexcept {
    kind_ = kind::real;
    identity_ = 0;
    d_ = d;
    text_.clear();
    view_ = nullptr;
  }
  void set_text(std::string_view s) {
    kind_ = kind::text;
    identity_ = 0;
    text_.assign(s);  // before dropping a borrowed view: `s` may be it
    view_ = nullptr;
  }
  /// Text that is borrowed, not copied: `s`'s bytes must outlive every read of this value (see the
  /// header comment). An empty text is simply owned.
  void set_text_view(std::string_view s) noexcept {
    kind_ = kind::text;
    identity_ = 0;
    if (s.empty()) {
      text_.clear();
      view_ = nullptr;
      return;
    }
    view_ = s.data();
    view_size_ = s.size();
  }

  /// Becomes `o` with its text borrowed (no copy): valid while `o` keeps its text. The cleansing
  /// chain hands its working values to the row this way.
  void set_borrowed(const value& o) noexcept {
    kind_ = o.kind_;
    b_ = o.b_;
    identity_ = o.identity_;
    i_ = o.i_;
    d_ = o.d_;
    if (!text_.empty()) text_.clear();
    const auto t = o.as_text();
    view_ = t.empty() ? nullptr : t.data();
    view_size_ = t.size();
  }

  /// Member-wise swap (cheaper than std::swap's three moves; the hot path swaps values).
  friend void swap(value& a, value& b) noexcept {
    std::swap(a.kind_, b.kind_);
    std::swap(a.b_, b.b_);
    std::swap(a.identity_, b.identity_);
    std::swap(a.i_, b.i_);
    std::swap(a.d_, b.d_);
    // borrowed and non-text values own no text: skip the string swap (it copies SSO buffers)
    if (!a.text_.empty() || !b.text_.empty()) a.text_.swap(b.text_);
    std::swap(a.view_, b.view_);
    std::swap(a.view_size_, b.view_size_);
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
        return a.as_text() == b.as_text();
    }
    return false;
  }

 private:
  kind kind_ = kind::null;
  bool b_ = false;
  std::uint32_t identity_ = 0;  // in what would be padding: the value stays 72 bytes
  std::int64_t i_ = 0;
  double d_ = 0.0;
  std::string text_;
  const char* view_ = nullptr;  // borrowed text when not null
  std::size_t view_size_ = 0;
};

}  // namespace riptide

// riptide/clean/step.hpp: the protocol every cleansing operator follows, and what it works on.
//
// An operator (trim, cast, range_check, dedup, ...) is a small aggregate holding its parameters,
// with two member functions:
//   void bind(binder& b);   // once per input schema: resolve column names to working indices
//   bool run(work& w);      // once per record: transform w.values; false = the record is rejected
// and a `static constexpr std::string_view op` naming it in reasons and reports. Operators never
// throw from run(); problems become rejections (quarantine with reason) or recorded repairs.
// A clean::chain strings operators together (see chain.hpp, and rules.hpp for JSON).
//
// Working columns: the input's columns in order, then columns operators add (bucket's `into`).
// Names are matched exactly first, then by text::column_key, so rules written for "customerID"
// bind to a header spelt "Customer ID". A name the chain declares optional that is absent from the
// input makes the operators on it inactive; any other absent name is a binding error, and every
// record is then quarantined with that error as its reason.
//
// Example:
//   riptide::io::schema s({"a", "B c"});
//   riptide::clean::binder b(s, {});
//   if (b.column("b_c") != 1 || b.column("a") != 0 || !b.error().empty()) std::abort();
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "riptide/clean/text.hpp"
#include "riptide/io/record.hpp"
#include "riptide/value.hpp"

namespace riptide::clean {

/// Column selection: names, or {"*"} for every live working column at that point of the chain.
using column_list = std::vector<std::string>;

inline constexpr std::size_t no_column = static_cast<std::size_t>(-1);

/// Resolves column names while a chain binds to an input schema.
class binder {
 public:
  binder(const io::schema& input, std::vector<std::string> optional)
      : optional_(std::move(optional)) {
    for (const auto& n : input.names()) {
      names_.push_back(n);
      live_.push_back(true);
    }
    inputs_ = names_.size();
  }

  std::size_t size() const noexcept { return names_.size(); }
  std::size_t input_size() const noexcept { return inputs_; }
  const std::string& name(std::size_t i) const { return names_[i]; }
  const std::vector<std::string>& names() const noexcept { return names_; }
  bool live(std::size_t i) const { return live_[i]; }

  /// Index of `name` among the live columns (exact, then by column key), or no_column.
  std::size_t find(std::string_view name) const {
    for (std::size_t i = 0; i < names_.size(); ++i)
      if (live_[i] && names_[i] == name) return i;
    const auto key = text::column_key(name);
    std::size_t found = no_column;
    for (std::size_t i = 0; i < names_.size(); ++i) {
      if (!live_[i] || text::column_key(names_[i]) != key) continue;
      if (found != no_column) return no_column;  // ambiguous spelling: no match
      found = i;
    }
    return found;
  }

  /// The working index of `name` for the operator being bound; no_column (and the operator on it
  /// inactive) when it is declared optional and absent; a binding error when it is required.
  std::size_t column(std::string_view name) {
    const auto i = find(name);
    if (i != no_column) return i;
    if (!is_optional(name)) {
      std::string msg = where();
      msg += "column '";
      msg += name;
      msg += "' is not in the input (columns: ";
      // The first columns only: every quarantined record carries this message, and a JSON
      // Lines schema can grow to thousands of names.
      std::size_t listed = 0, live = 0;
      for (std::size_t k = 0; k < names_.size(); ++k) {
        if (!live_[k]) continue;
        if (++live > max_listed_columns) continue;
        if (listed++ > 0) msg += ", ";
        msg += names_[k];
      }
      if (live > listed) {
        msg += ", ... ";
        msg += std::to_string(live - listed);
        msg += " more";
      }
      msg += ")";
      error(std::move(msg));
    }
    return no_column;
  }

  /// Indices of `list` ({"*"}: every live column), skipping absent optional ones.
  std::vector<std::size_t> columns(const column_list& list) {
    std::vector<std::size_t> out;
    if (list.size() == 1 && list[0] == "*") {
      for (std::size_t i = 0; i < names_.size(); ++i)
        if (live_[i]) out.push_back(i);
      return out;
    }
    for (const auto& n : list)
      if (const auto i = column(n); i != no_column) out.push_back(i);
    return out;
  }

  /// A new working column (or the existing one of that name, overwritten).
  std::size_t add(std::string_view name) {
    if (const auto i = find(name); i != no_column) return i;
    names_.emplace_back(name);
    live_.push_back(true);
    return names_.size() - 1;
  }
  void rename(std::size_t i, std::string name) { names_[i] = std::move(name); }
  void drop(std::size_t i) { live_[i] = false; }

  bool is_optional(std::string_view name) const {
    const auto key = text::column_key(name);
    for (const auto& o : optional_)
      if (o == name || text::column_key(o) == key) return true;
    return false;
  }

  /// Which operator is binding (set by the chain; used in messages).
  void at(std::size_t step, std::string_view op) {
    step_ = step;
    op_ = op;
  }
  std::string where() const {
    return "rule " + std::to_string(step_ + 1) + " (" + std::string(op_) + "): ";
  }
  /// Records a binding error (the first one is kept).
  void error(std::string message) {
    if (error_.empty()) error_ = std::move(message);
  }
  const std::string& error() const noexcept { return error_; }

 private:
  static constexpr std::size_t max_listed_columns = 20;  // in a missing column's message
  std::vector<std::string> names_;
  std::vector<bool> live_;
  std::vector<std::string> optional_;
  std::size_t inputs_ = 0;
  std::size_t step_ = 0;
  std::string_view op_;
  std::string error_;
};

/// The record being cleansed, as operators see it. `what` strings passed to repair/reject/flag
/// must be string literals (they are kept by pointer for counting).
class work {
 public:
  struct event {
    std::size_t step = 0;
    std::size_t column = no_column;
    std::string_view what;
  };

  std::vector<value> values;  // the working columns
  const io::record_view* record = nullptr;
  std::string scratch;   // a reusable buffer for operators
  std::string scratch2;  // a second one

  /// Records that `column` was repaired (`what`: e.g. "trimmed"). Returns true.
  bool repair(std::size_t column, std::string_view what) {
    repairs.push_back({step, column, what});
    return true;
  }
  /// Rejects the record: quarantined with reason `what` on `column`, quoting `offending`.
  /// Returns false (so `return w.reject(...)` ends the operator's run).
  bool reject(std::size_t column, std::string_view what, std::string_view offending = {}) {
    rejected = true;
    rejection = {step, column, what};
    detail.clear();
    text::excerpt(offending, detail);
    return false;
  }
  /// Drops the record as a duplicate of the one read at `first_line`. Returns false.
  bool duplicate(std::uint64_t first_line) {
    is_duplicate = true;
    duplicate_of = first_line;
    rejection = {step, no_column, "duplicate"};
    return false;
  }
  /// Notes a failed soft check on `column`; the record flows on unchanged.
  void flag(std::size_t column, std::string_view what) { flags.push_back({step, column, what}); }

  // Read by the chain after the operators ran.
  std::size_t step = 0;
  std::vector<event> repairs;
  std::vector<event> flags;
  bool rejected = false;
  bool is_duplicate = false;
  event rejection;
  std::string detail;
  std::uint64_t duplicate_of = 0;

  void reset() {
    repairs.clear();
    flags.clear();
    rejected = false;
    is_duplicate = false;
    step = 0;
  }
};

/// The loop the text operators (trim, null_tokens, map, case) share: for each of `cols` whose
/// value is text, `rewrite(value&, work&)` rewrites it in place (or not) and returns the repair to
/// record for it: a string literal such as "trimmed", or an empty view for none.
template <class Rewrite>
void rewrite_text(work& w, std::size_t i, Rewrite&& rewrite) {
  auto& v = w.values[i];
  if (!v.is_text()) return;
  if (const std::string_view what = rewrite(v, w); !what.empty()) w.repair(i, what);
}
template <class Rewrite>
void rewrite_texts(work& w, const std::vector<std::size_t>& cols, Rewrite&& rewrite) {
  for (const auto i : cols) rewrite_text(w, i, rewrite);
}

/// What makes a type a cleansing operator.
template <class S>
concept step = requires(S s, binder& b, work& w) {
  { S::op } -> std::convertible_to<std::string_view>;
  s.bind(b);
  { s.run(w) } -> std::same_as<bool>;
};

/// A per-value operator: besides run(), `bool run_column(std::size_t i, work& w) const` runs it on
/// column `i` alone, and run() is exactly `for (i : cols_) if (!run_column(i, w)) return false;`,
/// where what run_column does depends only on w.values[i] (no other column, no state kept between
/// records, no flags). trim, null_tokens, drop_if_null, allowed, boolean, map, case and cast are.
/// The chain runs a leading sequence of such operators column by column and remembers, per column,
/// what a text became (see chain.hpp).
template <class S>
concept value_step = step<S> && requires(const S s, std::size_t i, work& w) {
  { s.run_column(i, w) } -> std::same_as<bool>;
  { s.cols_ } -> std::convertible_to<const std::vector<std::size_t>&>;
};

}  // namespace riptide::clean

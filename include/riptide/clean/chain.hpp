// riptide/clean/chain.hpp: a cleansing chain: operators applied in order to each record.
//
// A chain holds operators (any type modelling clean::step, see step.hpp), the columns it treats as
// optional, and the output column order. process(record) cleanses one record into a reused
// clean::row (allocation-free once warm for records that need no repair) and gives it exactly one
// disposition. The row's text values borrow (no copy; see value.hpp) the record's bytes, or the
// chain's working text where an operator rewrote them: the row is valid until the next process()
// call, while the record's bytes live and the chain is not moved; copy it to keep it. The
// dispositions:
//   - a reader error record          -> quarantined, reason "read: <error>: <message>";
//   - a binding error (missing column)-> quarantined, reason "binding: ..." (see binding_error());
//     (these two have no values: the row's values are all null)
//   - an operator rejects it         -> quarantined, reason "<op>(<column>): <what>: '<value>'";
//   - dedup finds it                 -> duplicate, reason "dedup: duplicate of line N";
//   - else repaired when an operator recorded a repair, clean otherwise.
// report() accounts for every record (report.hpp). Bind happens on the first record and again when
// the input schema changes (JSON Lines adds columns).
//
// Compose with `then` or `|`:
//   auto c = clean::trim{} | clean::null_tokens{} | clean::cast{.columns = {"x"}};
// or load a chain from JSON rules (rules.hpp) or a preset (preset.hpp). Use it on a range of
// records with clean::apply (apply.hpp).
//
// Example:
//   auto chain = riptide::clean::trim{} | riptide::clean::null_tokens{} |
//                riptide::clean::cast{.columns = {"n"}, .to = riptide::clean::type::integer};
//   riptide::io::schema s({"n"});
//   riptide::io::field f{" 42 "};
//   riptide::io::record_view r;
//   r.columns = &s;
//   r.fields = {&f, 1};
//   const auto& row = chain.process(r);
//   if (row.status != riptide::clean::disposition::repaired || row.values[0].as_int() != 42)
//     std::abort();
//   if (!chain.report().balanced()) std::abort();
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "riptide/clean/report.hpp"
#include "riptide/clean/row.hpp"
#include "riptide/clean/step.hpp"
#include "riptide/io/record.hpp"

namespace riptide::clean {

namespace detail {

struct step_base {
  virtual ~step_base() = default;
  virtual void bind(binder& b) = 0;
  virtual bool run(work& w) = 0;
  virtual std::string_view op() const noexcept = 0;
  virtual std::unique_ptr<step_base> clone() const = 0;
};

template <class S>
struct step_model final : step_base {
  S s;
  explicit step_model(S x) : s(std::move(x)) {}
  void bind(binder& b) override { s.bind(b); }
  bool run(work& w) override { return s.run(w); }
  std::string_view op() const noexcept override { return S::op; }
  std::unique_ptr<step_base> clone() const override { return std::make_unique<step_model>(s); }
};

}  // namespace detail

class chain {
 public:
  chain() = default;
  chain(const chain& other)
      : optional_(other.optional_), output_(other.output_), name_(other.name_) {
    for (const auto& s : other.steps_) steps_.push_back(s->clone());
  }
  chain& operator=(const chain& other) {
    if (this != &other) *this = chain(other);
    return *this;
  }
  chain(chain&&) noexcept = default;
  chain& operator=(chain&&) noexcept = default;

  /// Appends an operator.
  template <step S>
  chain& then(S s) & {
    steps_.push_back(std::make_unique<detail::step_model<S>>(std::move(s)));
    bound_schema_ = nullptr;
    return *this;
  }
  template <step S>
  chain&& then(S s) && {
    return std::move(then(std::move(s)));
  }
  /// Declares a column that may be absent from the input: operators on it are then inactive and
  /// the output omits it (the Telco score file has no Churn column).
  chain& optional(std::string column) {
    optional_.push_back(std::move(column));
    return *this;
  }
  /// The output columns, in order (names after renames). Default: every live working column.
  chain& output(std::vector<std::string> columns) {
    output_ = std::move(columns);
    return *this;
  }
  chain& name(std::string n) {
    name_ = std::move(n);
    return *this;
  }
  const std::string& name() const noexcept { return name_; }
  std::size_t size() const noexcept { return steps_.size(); }
  std::string_view op(std::size_t i) const { return steps_[i]->op(); }

  /// Binds to `input` (done by process() when the schema changes). False on a binding error.
  bool bind(const io::schema& input) {
    bound_schema_ = &input;
    bound_size_ = input.size();
    binder b(input, optional_);
    for (std::size_t k = 0; k < steps_.size(); ++k) {
      b.at(k, steps_[k]->op());
      steps_[k]->bind(b);
    }
    auto cols = std::make_shared<columns>();
    out_.clear();
    if (output_.empty()) {
      for (std::size_t i = 0; i < b.size(); ++i) {
        if (!b.live(i)) continue;
        out_.push_back(i);
        cols->names.push_back(b.name(i));
      }
    } else {
      for (const auto& n : output_) {
        const auto i = b.find(n);
        if (i == no_column) {
          if (!b.is_optional(n))
            b.error("output: column '" + n + "' is neither in the input nor made by a rule");
          continue;
        }
        out_.push_back(i);
        cols->names.push_back(n);
      }
    }
    error_ = b.error();
    names_ = b.names();
    inputs_ = b.input_size();
    columns_ = std::move(cols);
    work_.values.resize(b.size());
    row_.values.resize(out_.size());
    row_.names = columns_;
    return error_.empty();
  }

  /// Cleanses one record. The returned row is reused by the next call.
  const row& process(const io::record_view& rec) {
    ++counts_.in;
    row_.where = rec.where;
    row_.repairs.clear();
    row_.reason.clear();
    if (!rec.ok()) {
      row_.reason = "read: ";
      row_.reason += io::to_string(rec.error);
      count(reasons_, read_step, no_column, io::to_string(rec.error));
      if (!rec.message.empty()) {
        row_.reason += ": ";
        text::excerpt(rec.message, row_.reason, 200);
      }
      return unread();
    }
    if (rec.columns == nullptr) {
      row_.reason = "read: record without a schema";
      count(reasons_, read_step, no_column, "record without a schema");
      return unread();
    }
    if (rec.columns != bound_schema_ || rec.columns->size() != bound_size_) bind(*rec.columns);
    if (!error_.empty()) {
      row_.reason = "binding: " + error_;
      count(reasons_, binding_step, no_column, "binding error");
      return unread();
    }
    work_.reset();
    work_.record = &rec;
    load(rec);
    for (std::size_t k = 0; k < steps_.size(); ++k) {
      work_.step = k;
      if (!steps_[k]->run(work_)) break;
    }
    // the row borrows the working values' texts (valid until the next process(), as documented)
    for (std::size_t i = 0; i < out_.size(); ++i)
      row_.values[i].set_borrowed(work_.values[out_[i]]);
    if (work_.is_duplicate) {
      const auto& e = work_.rejection;
      count(reasons_, e.step, e.column, e.what);
      row_.reason = "dedup: duplicate of line ";
      char buf[24];
      const auto r = std::to_chars(buf, buf + sizeof buf, work_.duplicate_of);
      row_.reason.append(buf, r.ptr);
      row_.status = disposition::duplicate;
      ++counts_.duplicates;
      return row_;
    }
    for (const auto& f : work_.flags) count(flags_, f.step, f.column, f.what);
    if (work_.rejected) {
      const auto& e = work_.rejection;
      row_.reason = count(reasons_, e.step, e.column, e.what);
      if (!work_.detail.empty()) {
        row_.reason += ": '";
        row_.reason += work_.detail;
        row_.reason += "'";
      }
      return quarantined();
    }
    for (const auto& r : work_.repairs) {
      count(repairs_, r.step, r.column, r.what);
      row_.repairs.push_back(
          {r.column < names_.size() ? names_[r.column] : std::string(), std::string(r.what)});
    }
    row_.status = row_.repairs.empty() ? disposition::clean : disposition::repaired;
    ++(row_.repairs.empty() ? counts_.clean : counts_.repaired);
    return row_;
  }

  /// The first binding error ("rule 3 (cast): column 'x' is not in the input (columns: ...)"),
  /// empty when bound fine or not bound yet.
  const std::string& binding_error() const noexcept { return error_; }
  /// The output columns (null before the first bind).
  const std::shared_ptr<const columns>& output_columns() const noexcept { return columns_; }

  /// The accounting so far.
  clean::report report() const {
    clean::report r = counts_;
    for (const auto& c : reasons_) r.reasons[c.key] += c.n;
    for (const auto& c : repairs_) r.repairs[c.key] += c.n;
    for (const auto& c : flags_) r.flags[c.key] += c.n;
    return r;
  }

 private:
  static constexpr std::size_t read_step = static_cast<std::size_t>(-2);
  static constexpr std::size_t binding_step = static_cast<std::size_t>(-3);

  struct counter {
    std::size_t step;
    std::size_t column;
    std::string_view what;
    std::string key;
    std::uint64_t n;
  };

  const row& quarantined() {
    row_.status = disposition::quarantined;
    ++counts_.quarantined;
    return row_;
  }
  // Quarantined before any operator ran (read or binding error): the row has no values (all
  // null), not the previous record's, whose borrowed text may be gone with its buffer.
  const row& unread() {
    for (auto& v : row_.values) v.set_null();
    return quarantined();
  }

  // Counts one event; returns its key ("<op>(<column>): <what>").
  const std::string& count(std::vector<counter>& table, std::size_t step, std::size_t column,
                           std::string_view what) {
    for (auto& c : table) {
      if (c.step == step && c.column == column && c.what.data() == what.data() &&
          c.what.size() == what.size()) {
        ++c.n;
        return c.key;
      }
    }
    std::string key;
    if (step == read_step) {
      key = "read: ";
    } else if (step == binding_step) {
      key = "binding: ";
    } else {
      key = std::string(steps_[step]->op());
      if (column != no_column && column < names_.size()) key += "(" + names_[column] + ")";
      key += ": ";
    }
    key += what;
    table.push_back({step, column, what, std::move(key), 1});
    return table.back().key;
  }

  void load(const io::record_view& rec) {
    for (std::size_t i = 0; i < inputs_; ++i) {
      const auto f = rec[i];
      auto& v = work_.values[i];
      switch (f.kind) {
        case io::field_kind::missing:
        case io::field_kind::null:
          v.set_null();
          break;
        case io::field_kind::boolean:
          v.set_bool(f.text == "true");
          break;
        case io::field_kind::integer: {
          std::int64_t x = 0;
          const auto r = std::from_chars(f.text.data(), f.text.data() + f.text.size(), x);
          if (r.ec == std::errc() && r.ptr == f.text.data() + f.text.size()) {
            v.set_int(x);
            break;
          }
          [[fallthrough]];  // too large for int64: read as a real
        }
        case io::field_kind::real: {
          double x = 0;
          const auto r = std::from_chars(f.text.data(), f.text.data() + f.text.size(), x);
          if (r.ec == std::errc() && r.ptr == f.text.data() + f.text.size())
            v.set_real(x);
          else
            v.set_text_view(f.text);
          break;
        }
        case io::field_kind::text:
          v.set_text_view(f.text);  // borrowed: copied only if an operator rewrites it
          break;
      }
    }
    for (std::size_t i = inputs_; i < work_.values.size(); ++i) work_.values[i].set_null();
  }

  std::vector<std::unique_ptr<detail::step_base>> steps_;
  std::vector<std::string> optional_;
  std::vector<std::string> output_;
  std::string name_;

  const io::schema* bound_schema_ = nullptr;
  std::size_t bound_size_ = 0;
  std::string error_;
  std::vector<std::string> names_;
  std::vector<std::size_t> out_;
  std::size_t inputs_ = 0;
  std::shared_ptr<const columns> columns_;

  work work_;
  row row_;
  clean::report counts_;
  std::vector<counter> reasons_, repairs_, flags_;
};

template <step A, step B>
chain operator|(A a, B b) {
  chain c;
  c.then(std::move(a));
  c.then(std::move(b));
  return c;
}

template <step B>
chain operator|(chain c, B b) {
  c.then(std::move(b));
  return c;
}

}  // namespace riptide::clean

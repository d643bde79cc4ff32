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
// The operators are held behind one interface (clean/detail/erased_step.hpp); the leading
// per-value ones run fused, column by column, with what a text or an identified value became
// remembered in small tables (clean/detail/memo.hpp; the planner is process()'s, below).
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

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "riptide/clean/detail/erased_step.hpp"
#include "riptide/clean/detail/memo.hpp"
#include "riptide/clean/report.hpp"
#include "riptide/clean/row.hpp"
#include "riptide/clean/step.hpp"
#include "riptide/detail/equal_bytes.hpp"
#include "riptide/io/record.hpp"

namespace riptide::clean {

/// What a chain's output rows mean to a learner: the label column, its positive value, the id
/// column (empty: not said). Rules and presets carry theirs ("label", "positive", "id").
struct label_binding {
  std::string label{};
  std::string positive{};
  std::string id{};
};

class chain {
 public:
  chain() = default;
  chain(const chain& other)
      : optional_(other.optional_),
        output_(other.output_),
        name_(other.name_),
        binding_(other.binding_),
        fuse_(other.fuse_) {
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
  chain& binding(label_binding b) {
    binding_ = std::move(b);
    return *this;
  }
  const label_binding& binding() const noexcept { return binding_; }
  /// Whether the leading per-value operators run column by column with remembered results (the
  /// default; see process()). Off: every operator runs in turn on the whole record, as written.
  /// Both give the same rows and report: tests compare them.
  chain& fuse(bool on) {
    fuse_ = on;
    bound_schema_ = nullptr;
    return *this;
  }
  std::size_t size() const noexcept { return steps_.size(); }
  std::string_view op(std::size_t i) const { return steps_[i]->op(); }

  /// A copy without the operators named `op`: e.g. without("dedup") for serving, where a record
  /// asked about twice is no duplicate. The operators kept carry their state (impute's
  /// statistics); the copy's report starts at zero.
  chain without(std::string_view op) const {
    chain c;
    c.optional_ = optional_;
    c.output_ = output_;
    c.name_ = name_;
    c.binding_ = binding_;
    c.fuse_ = fuse_;
    for (const auto& s : steps_)
      if (s->op() != op) c.steps_.push_back(s->clone());
    return c;
  }

  /// Binds to `input` (done by process() when the schema changes). False on a binding error.
  bool bind(const io::schema& input) {
    bound_schema_ = &input;
    bound_size_ = input.size();
    input_names_ = input.names();
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
    plan_fusion(b.size());
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
    std::size_t first = 0;
    if (fused_ > 0) {
      if (run_fused()) {
        first = fused_;
      } else {  // a rejection: the record takes the general path, from the start
        work_.reset();
        load(rec);
      }
    }
    run_from(first);
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
  /// The columns declared optional (optional()).
  const std::vector<std::string>& optional_columns() const noexcept { return optional_; }
  /// The input columns of the last bind (empty before the first record).
  const std::vector<std::string>& input_columns() const noexcept { return input_names_; }
  /// The output columns (null before the first bind).
  const std::shared_ptr<const columns>& output_columns() const noexcept { return columns_; }

  /// The operators' learned state (impute's statistics; resume snapshots: dedup's window and
  /// the accounting). A loader fills a chain made from the same rules: the operators must match.
  template <class Archive>
  void state(Archive& a) {
    std::vector<std::string> ops;
    for (const auto& st : steps_) ops.emplace_back(st->op());
    auto saved_ops = ops;
    a("operators", saved_ops);
    a("input_columns", input_names_);
    a.check(saved_ops == ops, "the operators differ from the rules'");
    step_states steps{this};
    a("steps", steps);
    if (!a.resume()) return;
    clean::report r = report();
    a("report", r);
    if constexpr (Archive::loading) {
      a.check(r.balanced(), "the accounting does not add up");
      counts_ = std::move(r);  // carried: live counters add to it
      reasons_.clear();
      repairs_.clear();
      flags_.clear();
    }
  }

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

  // The operators' states, keyed by position.
  struct step_states {
    chain* c;
    template <class Archive>
    void state(Archive& a) {
      for (std::size_t k = 0; k < c->steps_.size(); ++k) a(std::to_string(k), *c->steps_[k]);
    }
  };

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

  // The leading per-value operators (value_step, step.hpp) on ascending columns run column by
  // column: each column through the operators that name it, in order. What a column's text became
  // (value and repairs, or a rejection) is remembered per column and replayed when the same text
  // comes again, so that a categorical field costs one lookup instead of a pass per operator.
  // The values a remembered entry gives carry its identity (value::identity), so that consumers
  // (the feature encoder) can recognise them without reading their text.
  // Repairs come out in operator order, as step by step. A record that any of them rejects is
  // redone step by step (its reason, detail and values are then exactly the general path's).
  struct column_plan {
    std::size_t column;
    std::vector<std::size_t> steps;
    detail::value_memo memo;
  };
  // A per-value operator after the fused ones (after an operator that is not per-value, such as
  // a range check or a bucket) runs column by column too; a value that carries an identity (one
  // the fused run gave, or an earlier such operator) is looked up by it, per column, so that its
  // result (a rewritten text, with an identity of its own) and repairs are remembered for every
  // text-rewriting or casting operator (trim, null_tokens, map, case, cast, ...), not just the
  // first ones. A value without an identity runs through the operator, as does a rejection
  // (never remembered: the general path's reason and detail stand).
  struct later_plan {
    std::size_t step;
    const std::vector<std::size_t>* columns;   // the operator's (value_columns())
    std::vector<detail::identity_memo> memos;  // by position in *columns
  };

  void plan_fusion(std::size_t width) {
    fused_ = 0;
    plans_.clear();
    later_.clear();
    if (!fuse_) return;
    while (fused_ < steps_.size()) {
      const auto* cols = steps_[fused_]->value_columns();
      if (cols == nullptr || !std::is_sorted(cols->begin(), cols->end()) ||
          std::adjacent_find(cols->begin(), cols->end()) != cols->end() ||
          (!cols->empty() && cols->back() >= width))
        break;
      ++fused_;
    }
    for (std::size_t i = 0; i < width; ++i) {
      column_plan p{i, {}, {}};
      for (std::size_t k = 0; k < fused_; ++k) {
        const auto* cols = steps_[k]->value_columns();
        if (std::binary_search(cols->begin(), cols->end(), i)) p.steps.push_back(k);
      }
      if (!p.steps.empty()) plans_.push_back(std::move(p));
    }
    if (plans_.empty()) {
      fused_ = 0;
      return;  // then no value carries an identity
    }
    for (std::size_t k = fused_; k < steps_.size(); ++k)
      if (const auto* cols = steps_[k]->value_columns(); cols != nullptr && !cols->empty())
        later_.push_back({k, cols, std::vector<detail::identity_memo>(cols->size())});
  }

  // One column through its operators; false when one rejects it.
  bool run_column(const column_plan& p) {
    for (const auto k : p.steps) {
      work_.step = k;
      if (!steps_[k]->run_column(p.column, work_)) return false;
    }
    return true;
  }

  bool run_fused() {
    bool sorted = true;  // repairs in operator order so far
    std::size_t last_step = 0;
    const auto note = [&](std::size_t from) {
      for (std::size_t r = from; r < work_.repairs.size(); ++r) {
        sorted &= work_.repairs[r].step >= last_step;
        last_step = work_.repairs[r].step;
      }
    };
    for (auto& p : plans_) {
      auto& v = work_.values[p.column];
      const std::size_t before = work_.repairs.size();
      if (!v.is_text() || p.memo.off()) {
        if (!run_column(p)) return false;
        note(before);
        continue;
      }
      const auto t = v.as_text();
      if (const auto* e = p.memo.find(t)) {
        if (e->rejects) return false;
        if (e->unchanged)
          v.set_identity(e->identity);
        else
          v.set_borrowed(e->result);  // with its identity
        for (std::size_t r = 0; r < e->repairs; ++r)
          work_.repairs.push_back({e->repair[r].first, p.column, e->repair[r].second});
        note(before);
        continue;
      }
      const bool ok = run_column(p);
      const std::size_t made = work_.repairs.size() - before;
      if (!p.memo.full() && made <= detail::value_memo::max_repairs) {
        auto* e = p.memo.insert(
            t, identities_);  // t still views the record's bytes (operators copy to rewrite)
        e->rejects = !ok;
        e->unchanged =
            ok && v.is_text() && v.as_text().data() == t.data() && v.as_text().size() == t.size();
        if (ok) {  // every value this entry gives (the same kind and content) has its identity
          v.set_identity(e->identity);
          if (!e->unchanged) e->result = v;
        }
        e->repairs = static_cast<std::uint8_t>(made);
        for (std::size_t r = 0; r < made; ++r)
          e->repair[r] = {work_.repairs[before + r].step, work_.repairs[before + r].what};
      }
      if (!ok) return false;
      note(before);
    }
    if (!sorted)
      std::stable_sort(work_.repairs.begin(), work_.repairs.end(),
                       [](const work::event& a, const work::event& b) { return a.step < b.step; });
    return true;
  }

  // Runs the operators from step `first` on, until one rejects the record; the per-value ones
  // after the fused ones (later_, in step order: none before `first`) through run_identified.
  void run_from(std::size_t first) {
    std::size_t k = first;
    for (auto& p : later_) {
      for (; k < p.step; ++k) {
        work_.step = k;
        if (!steps_[k]->run(work_)) return;
      }
      work_.step = k++;
      if (!run_identified(p)) return;
    }
    for (; k < steps_.size(); ++k) {
      work_.step = k;
      if (!steps_[k]->run(work_)) return;
    }
  }

  // The operator of `p` on each of its columns, what an identified value became remembered (see
  // later_plan); the same values and repairs as its run(). False when it rejects the record.
  bool run_identified(later_plan& p) {
    auto& s = *steps_[p.step];
    const auto& cols = *p.columns;
    for (std::size_t j = 0; j < cols.size(); ++j) {
      const std::size_t i = cols[j];
      auto& v = work_.values[i];
      const std::uint32_t id = v.identity();
      if (id == 0) {
        if (!s.run_column(i, work_)) return false;
        continue;
      }
      auto& memo = p.memos[j];
      if (const auto* e = memo.find(id)) {
        if (e->changed) v.set_borrowed(e->result);  // with its identity
        for (std::size_t r = 0; r < e->repairs; ++r) work_.repair(i, e->repair[r]);
        continue;
      }
      const std::size_t before = work_.repairs.size();
      if (!s.run_column(i, work_)) return false;
      const std::size_t made = work_.repairs.size() - before;
      if (memo.full() || made > detail::identity_memo::max_repairs) continue;
      auto& e = memo.insert(id);
      e.changed = v.identity() != id;  // any change of a value clears its identity
      if (e.changed) {
        e.result = v;  // owns its text
        e.result.set_identity(identities_.take());
        v.set_borrowed(e.result);
      }
      e.repairs = static_cast<std::uint8_t>(made);
      for (std::size_t r = 0; r < made; ++r) e.repair[r] = work_.repairs[before + r].what;
    }
    return true;
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
          if (f.has_number) {  // a JSON number: its value, no text to read
            v.set_int(f.integer());
            break;
          }
          std::int64_t x = 0;
          const auto r = std::from_chars(f.text.data(), f.text.data() + f.text.size(), x);
          if (r.ec == std::errc() && r.ptr == f.text.data() + f.text.size()) {
            v.set_int(x);
            break;
          }
          [[fallthrough]];  // too large for int64: read as a real
        }
        case io::field_kind::real: {
          if (f.has_number) {
            v.set_real(f.real());
            break;
          }
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
  label_binding binding_;
  bool fuse_ = true;
  std::size_t fused_ = 0;  // steps [0, fused_) run column by column
  std::vector<column_plan> plans_;
  std::vector<later_plan> later_;
  identity_source identities_;  // of the values the memos vouch for: this chain's own

  const io::schema* bound_schema_ = nullptr;
  std::size_t bound_size_ = 0;
  std::string error_;
  std::vector<std::string> names_;
  std::vector<std::string> input_names_;
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

// riptide/drift/features/row_monitor.hpp: data drift over a stream of clean rows, each column's
// kind inferred from the reference.
//
// The first `reference_size` rows are buffered to decide what each column is
// (infer_feature_kinds): numeric when every present reference value is a number, or a text that
// reads fully as one; categorical otherwise; skipped (with the reason) when categorical with
// distinct values in more than half the reference rows (an identifier), or named in `skip` (label,
// id, ignored columns). Then a monitor (monitor.hpp) compares the last `window_size` rows with the
// reference every `check_every` rows: PSI + Kolmogorov-Smirnov for numeric columns, PSI +
// Jensen-Shannon for categorical ones; a text that is no number in a numeric column counts as
// missing. Alerts are kept with the row's index and line (the first `max_alerts`; all counted).
// A stream shorter than the reference raises no alert. state() lists the buffered reference or the
// watched columns and the monitor's state, and the alerts (snapshot/archive.hpp).
// Parameters (defaults): monitor_options (reference_size 1000, window_size 1000, check_every 0 =
// window_size, bins 10, psi_threshold 0.2, ks_alpha 0.01, js_threshold 0.1); max_alerts (10000).
//
// Example:
//   using namespace riptide;
//   drift::features::row_monitor m{{.reference_size = 200, .window_size = 200}, {"id"}};
//   auto names = std::make_shared<const clean::columns>(clean::columns{{"id", "tenure"}});
//   clean::row r;
//   r.names = names;
//   for (int i = 0; i < 1000; ++i) {
//     r.values = {value::of_int(i), value::of_real(i < 500 ? i % 10 : 50 + i % 10)};
//     m.update(r);
//   }
//   if (m.alerts().empty() || m.watched().size() != 1 || m.skipped().size() != 0) std::abort();
#pragma once

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "riptide/clean/row.hpp"
#include "riptide/drift/features/monitor.hpp"
#include "riptide/drift/number_line.hpp"
#include "riptide/value.hpp"

namespace riptide::drift::features {

/// A column left unwatched, and why.
struct skipped_column {
  std::string name;
  std::string reason;

  template <class Archive>
  void state(Archive& a) {
    a("name", name);
    a("reason", reason);
  }
};

/// The kinds of `names`' columns from reference rows (see the header comment). Columns named in
/// `skip` are neither watched nor listed as skipped; with skip_identifiers off, categorical columns
/// of mostly distinct values are watched too (a caller that named them).
inline std::pair<std::vector<feature_spec>, std::vector<skipped_column>> infer_feature_kinds(
    const std::vector<std::string>& names, const std::vector<std::vector<value>>& reference,
    const std::vector<std::string>& skip, bool skip_identifiers = true) {
  std::vector<feature_spec> specs;
  std::vector<skipped_column> skipped;
  for (std::size_t c = 0; c < names.size(); ++c) {
    const std::string& name = names[c];
    if (std::find(skip.begin(), skip.end(), name) != skip.end()) continue;
    bool all_numbers = true, any = false;
    std::unordered_set<std::string> distinct;
    for (const auto& values : reference) {
      if (c >= values.size() || values[c].is_null()) {
        distinct.insert("\x01null");
        continue;
      }
      any = true;
      const value& v = values[c];
      if (v.is_text()) {
        distinct.insert(std::string(v.as_text()));
        all_numbers = all_numbers && parse_number_line(v.as_text()).has_value();
      } else if (v.is_number()) {
        char buf[32];
        const auto r = std::to_chars(buf, buf + sizeof buf, v.as_number());
        distinct.emplace(buf, r.ptr);
      } else if (v.is_bool()) {
        distinct.insert(v.as_bool() ? "true" : "false");
      }
    }
    const bool numeric = any && all_numbers;
    if (skip_identifiers && !numeric && distinct.size() * 2 > reference.size()) {
      skipped.push_back({name, std::to_string(distinct.size()) + " distinct values in " +
                                   std::to_string(reference.size()) +
                                   " reference rows (an identifier?)"});
      continue;
    }
    specs.push_back({name, c, numeric ? feature_kind::numeric : feature_kind::categorical});
  }
  return {std::move(specs), std::move(skipped)};
}

/// An alert and the row after which it was raised.
struct located_alert {
  alert a;
  std::uint64_t index = 0;  ///< the row's record index in the stream
  std::uint64_t line = 0;

  template <class Archive>
  void state(Archive& ar) {
    ar("alert", a);
    ar("index", index);
    ar("line", line);
  }
};

class row_monitor {
 public:
  /// `skip`: columns that are not features (label, id, ignored).
  explicit row_monitor(monitor_options options = {}, std::vector<std::string> skip = {},
                       std::size_t max_alerts = 10000)
      : options_(options), skip_(std::move(skip)), max_alerts_(max_alerts) {
    if (options_.reference_size == 0 || options_.window_size == 0)
      throw std::invalid_argument("feature monitor: window sizes must be > 0");
  }

  /// Feeds one clean row (every clean row of the stream, in order).
  void update(const clean::row& row) {
    ++rows_;
    if (!monitor_) {
      reference_.push_back(row.values);
      reference_where_.emplace_back(row.where.index, row.where.line);
      if (!names_ && row.names) names_ = row.names;
      if (reference_.size() >= options_.reference_size) start();
      return;
    }
    feed(row.values, row.where.index, row.where.line);
  }

  const monitor_options& options() const noexcept { return options_; }
  std::uint64_t rows() const noexcept { return rows_; }
  /// The watched columns and their kinds (empty until the reference is complete).
  const std::vector<feature_spec>& watched() const noexcept { return specs_; }
  const std::vector<skipped_column>& skipped() const noexcept { return skipped_; }
  const std::vector<located_alert>& alerts() const noexcept { return alerts_; }
  std::uint64_t alerts_total() const noexcept { return alerts_total_; }

  /// The rows seen, the column names, then the buffered reference rows (before the reference is
  /// complete) or the watched and skipped columns and the monitor's state, and the alerts kept
  /// (snapshot/archive.hpp). A loader fills a row monitor made with the same options, skip list
  /// and max_alerts.
  template <class Archive>
  void state(Archive& a) {
    bool has_names = names_ != nullptr;
    std::vector<std::string> names;
    if (has_names) names = names_->names;
    bool started = monitor_.has_value();
    a("rows", rows_);
    a("has_names", has_names);
    a("names", names);
    a("started", started);
    reference_state(a);
    a("watched", specs_);
    a("skipped", skipped_);
    if constexpr (Archive::loading) {
      a.check(has_names || names.empty(), "column names without columns");
      names_ = has_names ? std::make_shared<const clean::columns>(clean::columns{names}) : nullptr;
      if (!started) {
        a.check(specs_.empty() && skipped_.empty(), "watched columns before the reference");
        a.check(reference_.size() < options_.reference_size && rows_ == reference_.size(),
                "buffered reference rows differ from the rows and reference_size");
        monitor_.reset();
      } else {
        a.check(reference_.empty(), "buffered reference rows after the reference");
        numeric_.assign(names.size(), false);
        for (const auto& s : specs_) {
          a.check(s.column < names.size(), "a watched column beyond the columns");
          numeric_[s.column] = s.kind == feature_kind::numeric;
        }
        monitor_.emplace(specs_, options_);
      }
    }
    if (started) {
      a("monitor", *monitor_);
      a.check(monitor_->rows() == rows_, "the monitor's rows differ from the rows");
    }
    a("alerts", alerts_);
    a("alerts_total", alerts_total_);
    a.check(alerts_.size() <= max_alerts_ && alerts_.size() <= alerts_total_,
            "more alerts than max_alerts or than counted");
  }

 private:
  // The buffered reference rows as parallel lists: each row's length and position, each value's
  // kind, and the values by kind in order (bools and integers, reals, texts).
  template <class Archive>
  void reference_state(Archive& a) {
    std::vector<std::uint64_t> lengths, indices, lines;
    std::vector<std::uint8_t> kinds;
    std::vector<std::int64_t> integers;
    std::vector<double> reals;
    std::vector<std::string> texts;
    using kind = value::kind;
    if constexpr (!Archive::loading) {
      for (std::size_t r = 0; r < reference_.size(); ++r) {
        lengths.push_back(reference_[r].size());
        indices.push_back(reference_where_[r].first);
        lines.push_back(reference_where_[r].second);
        for (const value& v : reference_[r]) {
          kinds.push_back(static_cast<std::uint8_t>(v.type()));
          if (v.is_bool()) integers.push_back(v.as_bool() ? 1 : 0);
          if (v.is_int()) integers.push_back(v.as_int());
          if (v.is_real()) reals.push_back(v.as_real());
          if (v.is_text()) texts.emplace_back(v.as_text());
        }
      }
    }
    a("reference_lengths", lengths);
    a("reference_indices", indices);
    a("reference_lines", lines);
    a("reference_kinds", kinds);
    a("reference_integers", integers);
    a("reference_reals", reals);
    a("reference_texts", texts);
    if constexpr (Archive::loading) {
      a.check(indices.size() == lengths.size() && lines.size() == lengths.size(),
              "reference row lengths and positions differ");
      std::size_t values = 0;
      for (const std::uint64_t n : lengths) {
        a.check(n <= kinds.size() - values, "reference row lengths beyond the values");
        values += static_cast<std::size_t>(n);
      }
      a.check(values == kinds.size(), "reference row lengths differ from the values");
      std::size_t n_integers = 0, n_reals = 0, n_texts = 0;
      for (const std::uint8_t k : kinds) {
        a.check(k <= static_cast<std::uint8_t>(kind::text), "unknown value kind");
        n_integers += k == static_cast<std::uint8_t>(kind::boolean) ||
                      k == static_cast<std::uint8_t>(kind::integer);
        n_reals += k == static_cast<std::uint8_t>(kind::real);
        n_texts += k == static_cast<std::uint8_t>(kind::text);
      }
      a.check(n_integers == integers.size() && n_reals == reals.size() && n_texts == texts.size(),
              "reference values differ from their kinds");
      reference_.assign(lengths.size(), {});
      reference_where_.clear();
      std::size_t at = 0, i = 0, x = 0, t = 0;
      for (std::size_t r = 0; r < lengths.size(); ++r) {
        reference_where_.emplace_back(indices[r], lines[r]);
        auto& row = reference_[r];
        row.resize(static_cast<std::size_t>(lengths[r]));
        for (value& v : row) {
          switch (static_cast<kind>(kinds[at++])) {
            case kind::null:
              break;
            case kind::boolean:
              a.check(integers[i] == 0 || integers[i] == 1, "a flag neither 0 nor 1");
              v.set_bool(integers[i++] == 1);
              break;
            case kind::integer:
              v.set_int(integers[i++]);
              break;
            case kind::real:
              v.set_real(reals[x++]);
              break;
            case kind::text:
              v.set_text(texts[t++]);
              break;
          }
        }
      }
    }
  }

  void start() {
    const std::vector<std::string> none;
    auto [specs, skipped] = infer_feature_kinds(names_ ? names_->names : none, reference_, skip_);
    specs_ = std::move(specs);
    skipped_ = std::move(skipped);
    numeric_.assign(names_ ? names_->size() : 0, false);
    for (const auto& s : specs_) numeric_[s.column] = s.kind == feature_kind::numeric;
    monitor_.emplace(specs_, options_);
    for (std::size_t i = 0; i < reference_.size(); ++i)
      feed(reference_[i], reference_where_[i].first, reference_where_[i].second);
    reference_.clear();
    reference_where_.clear();
  }

  void feed(const std::vector<value>& values, std::uint64_t index, std::uint64_t line) {
    converted_.resize(values.size());
    for (std::size_t c = 0; c < values.size(); ++c) {
      const value& v = values[c];
      if (c < numeric_.size() && numeric_[c] && v.is_text()) {
        const auto x = parse_number_line(v.as_text());
        if (x)
          converted_[c].set_real(*x);
        else
          converted_[c].set_null();  // a non-number in a numeric column counts as missing
      } else {
        converted_[c] = v;
      }
    }
    for (const auto& a : monitor_->update(converted_)) {
      ++alerts_total_;
      if (alerts_.size() < max_alerts_) alerts_.push_back({a, index, line});
    }
  }

  monitor_options options_;
  std::vector<std::string> skip_;
  std::size_t max_alerts_;
  std::shared_ptr<const clean::columns> names_;
  std::vector<std::vector<value>> reference_;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> reference_where_;  // index, line
  std::vector<bool> numeric_;
  std::vector<feature_spec> specs_;
  std::vector<skipped_column> skipped_;
  std::optional<monitor> monitor_;
  std::vector<value> converted_;
  std::uint64_t rows_ = 0;
  std::vector<located_alert> alerts_;
  std::uint64_t alerts_total_ = 0;
};

}  // namespace riptide::drift::features

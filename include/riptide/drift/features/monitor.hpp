// riptide/drift/features/monitor.hpp: data drift per feature, a reference window against the
// current window.
//
// The first `reference_size` rows make the reference. From then on the monitor keeps the last
// `window_size` rows as the current window and, every `check_every` rows once that window is
// full, compares each feature's current distribution with its reference:
//   numeric columns      PSI over `bins` reference-quantile bins (plus a bin for missing
//                        values) and the two-sample Kolmogorov-Smirnov test on present values;
//   categorical columns  PSI and the Jensen-Shannon distance over category frequencies (a
//                        missing value is the category "(missing)"; unseen categories count).
// A statistic beyond its threshold (PSI > psi_threshold, KS p-value < ks_alpha, JS distance >
// js_threshold) yields an alert: an event value naming the row index, feature, metric, statistic
// and threshold. update() returns the alerts of that row (usually none). state() lists the
// reference, the current window and the counts (snapshot/archive.hpp).
//
// Parameters (defaults):
//   reference_size = 1000   rows in the reference window
//   window_size = 1000      rows in the current window
//   check_every = 0         rows between checks (0: window_size, i.e. disjoint windows)
//   bins = 10               quantile bins of numeric PSI
//   psi_threshold = 0.2     between the usual "moderate" (0.1) and "major" (0.25) readings
//   ks_alpha = 0.01         KS p-value below which a numeric column has drifted
//   js_threshold = 0.1      Jensen-Shannon distance (base 2) above which a categorical drifted
//
// Example:
//   using namespace riptide::drift::features;
//   monitor m({{"tenure", 0, feature_kind::numeric}, {"contract", 1, feature_kind::categorical}},
//             {.reference_size = 200, .window_size = 200});
//   std::size_t alerts = 0;
//   for (int i = 0; i < 600; ++i) {
//     const bool later = i >= 400;  // tenure grows, contracts shift to two-year
//     const riptide::value row[] = {riptide::value::of_real((i % 50) + (later ? 30.0 : 0.0)),
//                                   riptide::value::of_text(later ? "Two year" :
//                                   "Month-to-month")};
//     alerts += m.update(row).size();
//   }
//   if (alerts == 0) std::abort();
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "riptide/drift/features/jensen_shannon.hpp"
#include "riptide/drift/features/psi.hpp"
#include "riptide/drift/ks_2samp.hpp"
#include "riptide/param.hpp"
#include "riptide/value.hpp"

namespace riptide::drift::features {

enum class feature_kind : unsigned char { numeric, categorical };

struct feature_spec {
  std::string name;
  std::size_t column = 0;  ///< index into the values passed to update()
  feature_kind kind = feature_kind::numeric;

  template <class Archive>
  void state(Archive& a) {
    a("name", name);
    a("column", column);
    a("kind", kind);
    a.check(kind == feature_kind::numeric || kind == feature_kind::categorical,
            "unknown feature kind");
  }
};

struct monitor_options {
  std::size_t reference_size = 1000;
  std::size_t window_size = 1000;
  std::size_t check_every = 0;
  std::size_t bins = 10;
  double psi_threshold = 0.2;
  double ks_alpha = 0.01;
  double js_threshold = 0.1;
};

/// monitor_options' parameters (riptide/param.hpp).
constexpr auto parameters(std::type_identity<monitor_options>) {
  using o = monitor_options;
  return declare_params(
      "feature-monitor",
      param{"reference_size", &o::reference_size, "rows of the reference window"}.at_least(1),
      param{"window_size", &o::window_size, "rows of the current window"}.at_least(1),
      param{"check_every", &o::check_every, "rows between checks (0: the window size)"},
      param{"bins", &o::bins, "reference-quantile bins of a numeric PSI"}.at_least(2),
      param{"psi_threshold", &o::psi_threshold, "PSI above which a feature drifted"}.above(0),
      param{"ks_alpha", &o::ks_alpha, "KS p-value below which a numeric feature drifted"}.within(0,
                                                                                                 1),
      param{"js_threshold", &o::js_threshold,
            "Jensen-Shannon distance above which a categorical feature drifted"}
          .within(0, 1));
}

/// One feature drift event.
struct alert {
  std::uint64_t index = 0;  ///< 0-based row after which the check ran
  std::string feature;
  std::string_view metric;  ///< "psi", "ks" or "js"
  double statistic = 0.0;   ///< PSI, KS D or JS distance
  double threshold = 0.0;   ///< the threshold it crossed (for "ks": ks_alpha)
  double p_value = std::numeric_limits<double>::quiet_NaN();  ///< KS only

  template <class Archive>
  void state(Archive& a) {
    std::string name(metric);
    a("index", index);
    a("feature", feature);
    a("metric", name);
    a("statistic", statistic);
    a("threshold", threshold);
    a("p_value", p_value);
    if constexpr (Archive::loading) {
      constexpr std::string_view metrics[] = {"psi", "ks", "js"};
      const auto* known = std::find(std::begin(metrics), std::end(metrics), name);
      a.check(known != std::end(metrics), "unknown alert metric");
      metric = *known;
    }
  }
};

class monitor {
 public:
  monitor(std::vector<feature_spec> features, monitor_options options = {})
      : opt_(options), features_(std::move(features)) {
    if (opt_.reference_size == 0 || opt_.window_size == 0)
      throw std::invalid_argument("feature monitor: window sizes must be > 0");
    if (opt_.bins < 2) throw std::invalid_argument("feature monitor: bins must be >= 2");
    if (opt_.check_every == 0) opt_.check_every = opt_.window_size;
    state_.resize(features_.size());
    for (auto& s : state_) s.ring.assign(opt_.window_size, missing);
  }

  /// Feeds one row; returns the alerts raised after it (valid until the next update).
  std::span<const alert> update(std::span<const value> row) {
    alerts_.clear();
    const std::uint64_t index = rows_++;
    for (std::size_t f = 0; f < features_.size(); ++f) {
      const value* v = features_[f].column < row.size() ? &row[features_[f].column] : nullptr;
      observe(f, v, index < opt_.reference_size);
    }
    if (index + 1 == opt_.reference_size) freeze_reference();
    if (index >= opt_.reference_size) {
      ++current_rows_;
      if (current_rows_ >= opt_.window_size &&
          (current_rows_ - opt_.window_size) % opt_.check_every == 0)
        check(index);
    }
    return alerts_;
  }

  std::uint64_t rows() const noexcept { return rows_; }
  const std::vector<feature_spec>& features() const noexcept { return features_; }
  const monitor_options& options() const noexcept { return opt_; }

  /// Each feature's reference (values, bins, categories) and current window, and the row counts
  /// (snapshot/archive.hpp). A loader fills a monitor made with the same features and options
  /// and refuses windows, bins and categories that do not fit them.
  template <class Archive>
  void state(Archive& a) {
    a("rows", rows_);
    a("current_rows", current_rows_);
    a("features", state_);
    if constexpr (Archive::loading) check_loaded(a);
  }

 private:
  static constexpr double missing = std::numeric_limits<double>::quiet_NaN();

  struct transparent_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };

  struct feature_state {
    // Numeric: reference values (sorted once frozen), quantile edges and bin counts.
    std::vector<double> reference_values;
    std::vector<double> edges;
    std::vector<double> reference_bins;
    double reference_missing = 0.0;
    // Categorical: category ids, reference counts and current counts per id.
    std::unordered_map<std::string, std::uint32_t, transparent_hash, std::equal_to<>> ids;
    std::vector<double> reference_counts, current_counts;
    // Current window: numeric values (NaN = missing) or category ids, oldest overwritten.
    std::vector<double> ring;
    std::size_t head = 0;

    template <class Archive>
    void state(Archive& a) {
      // Categories by id (ids are 0, 1, ... in order of first sight).
      std::vector<std::string> categories(ids.size());
      if constexpr (!Archive::loading)
        for (const auto& [name, id] : ids) categories[id] = name;
      a("reference_values", reference_values);
      a("edges", edges);
      a("reference_bins", reference_bins);
      a("reference_missing", reference_missing);
      a("categories", categories);
      a("reference_counts", reference_counts);
      a("current_counts", current_counts);
      a("ring", ring);
      a("head", head);
      if constexpr (Archive::loading) {
        ids.clear();
        for (std::size_t id = 0; id < categories.size(); ++id)
          a.check(ids.emplace(std::move(categories[id]), static_cast<std::uint32_t>(id)).second,
                  "a category listed twice");
      }
    }
  };

  // Refuses a loaded state that later updates could not go on from.
  template <class Archive>
  void check_loaded(Archive& a) const {
    const std::size_t w = opt_.window_size;
    a.check(state_.size() == features_.size(), "feature states differ from the features");
    a.check(current_rows_ == (rows_ > opt_.reference_size ? rows_ - opt_.reference_size : 0),
            "current window rows differ from the rows");
    const bool frozen = rows_ >= opt_.reference_size;
    const std::size_t written = current_rows_ < w ? static_cast<std::size_t>(current_rows_) : w;
    for (std::size_t f = 0; f < features_.size(); ++f) {
      const feature_state& s = state_[f];
      a.check(s.ring.size() == w && s.head == current_rows_ % w,
              "a current window differs from window_size");
      for (const double x : s.reference_values)
        a.check(!std::isnan(x), "a missing value among reference values");
      if (features_[f].kind == feature_kind::numeric) {
        a.check(s.ids.empty() && s.reference_counts.empty() && s.current_counts.empty(),
                "categories in a numeric feature");
        if (!frozen) {
          a.check(s.edges.empty() && s.reference_bins.empty(), "bins before the reference");
          continue;
        }
        a.check(s.edges.size() < opt_.bins && s.reference_bins.size() == s.edges.size() + 2,
                "reference bins differ from the edges");
        for (std::size_t i = 1; i < s.edges.size(); ++i)
          a.check(s.edges[i - 1] < s.edges[i], "reference edges out of order");
        for (const double e : s.edges) a.check(!std::isnan(e), "a missing reference edge");
        for (std::size_t i = 1; i < s.reference_values.size(); ++i)
          a.check(s.reference_values[i - 1] <= s.reference_values[i],
                  "reference values out of order");
      } else {
        const std::size_t n = s.ids.size();
        a.check(s.reference_values.empty() && s.edges.empty() && s.reference_bins.empty(),
                "numeric bins in a categorical feature");
        a.check(s.reference_counts.size() == n && s.current_counts.size() == n,
                "category counts differ from the categories");
        // The window's written slots hold category ids, and the current counts tally them.
        std::vector<double> tally(n, 0.0);
        for (std::size_t i = 0; i < written; ++i) {
          const double x = s.ring[i];
          a.check(x >= 0.0 && x < static_cast<double>(n) && x == std::floor(x),
                  "a current category beyond the categories");
          tally[static_cast<std::size_t>(x)] += 1.0;
        }
        a.check(tally == s.current_counts, "current category counts differ from the window");
      }
    }
  }

  std::uint32_t category_id(feature_state& s, std::string_view name) {
    auto it = s.ids.find(name);
    if (it != s.ids.end()) return it->second;
    const auto id = static_cast<std::uint32_t>(s.ids.size());
    s.ids.emplace(std::string(name), id);
    s.reference_counts.push_back(0.0);
    s.current_counts.push_back(0.0);
    return id;
  }

  static double numeric_of(const value* v) noexcept {
    if (v == nullptr) return missing;
    if (v->is_number() || v->is_bool())
      return v->is_bool() ? (v->as_bool() ? 1.0 : 0.0) : v->as_number();
    return missing;
  }

  void observe(std::size_t f, const value* v, bool reference) {
    feature_state& s = state_[f];
    double slot = missing;
    if (features_[f].kind == feature_kind::numeric) {
      slot = numeric_of(v);
      if (reference) {
        if (std::isnan(slot))
          s.reference_missing += 1.0;
        else
          s.reference_values.push_back(slot);
        return;
      }
    } else {
      // The category's text, without allocating (numbers are printed into a local buffer).
      char digits[32];
      std::string_view text = "(missing)";
      if (v != nullptr && v->is_text()) {
        text = v->as_text();
      } else if (v != nullptr && v->is_bool()) {
        text = v->as_bool() ? "true" : "false";
      } else if (v != nullptr && v->is_int()) {
        const auto r = std::to_chars(digits, digits + sizeof digits, v->as_int());
        text = std::string_view(digits, static_cast<std::size_t>(r.ptr - digits));
      } else if (v != nullptr && v->is_real()) {
        const auto r = std::to_chars(digits, digits + sizeof digits, v->as_real());
        text = std::string_view(digits, static_cast<std::size_t>(r.ptr - digits));
      }
      const std::uint32_t id = category_id(s, text);
      if (reference) {
        s.reference_counts[id] += 1.0;
        return;
      }
      slot = static_cast<double>(id);
    }
    // Current window: the slot leaving makes room for this one.
    const double leaving = s.ring[s.head];
    if (features_[f].kind == feature_kind::categorical) {
      if (current_rows_ >= opt_.window_size)
        s.current_counts[static_cast<std::size_t>(leaving)] -= 1.0;
      s.current_counts[static_cast<std::size_t>(slot)] += 1.0;
    }
    s.ring[s.head] = slot;
    s.head = s.head + 1 == opt_.window_size ? 0 : s.head + 1;
  }

  void freeze_reference() {
    for (std::size_t f = 0; f < features_.size(); ++f) {
      if (features_[f].kind != feature_kind::numeric) continue;
      feature_state& s = state_[f];
      std::sort(s.reference_values.begin(), s.reference_values.end());
      // Interior quantile edges of the reference; ties collapse into fewer bins.
      s.edges.clear();
      const std::size_t n = s.reference_values.size();
      for (std::size_t b = 1; b < opt_.bins && n > 0; ++b) {
        const double edge = s.reference_values[std::min(n - 1, b * n / opt_.bins)];
        if (s.edges.empty() || edge > s.edges.back()) s.edges.push_back(edge);
      }
      s.reference_bins.assign(s.edges.size() + 2, 0.0);  // + 1 value bins, + missing
      for (double x : s.reference_values) s.reference_bins[bin_of(s, x)] += 1.0;
      s.reference_bins.back() = s.reference_missing;
    }
  }

  static std::size_t bin_of(const feature_state& s, double x) noexcept {
    return static_cast<std::size_t>(std::upper_bound(s.edges.begin(), s.edges.end(), x) -
                                    s.edges.begin());
  }

  void check(std::uint64_t index) {
    for (std::size_t f = 0; f < features_.size(); ++f) {
      feature_state& s = state_[f];
      if (features_[f].kind == feature_kind::numeric) {
        current_bins_.assign(s.reference_bins.size(), 0.0);
        current_values_.clear();
        for (double x : s.ring) {
          if (std::isnan(x)) {
            current_bins_.back() += 1.0;
          } else {
            current_bins_[bin_of(s, x)] += 1.0;
            current_values_.push_back(x);
          }
        }
        const double p = psi(s.reference_bins, current_bins_);
        if (p > opt_.psi_threshold) raise(index, f, "psi", p, opt_.psi_threshold);
        if (!s.reference_values.empty() && !current_values_.empty()) {
          std::sort(current_values_.begin(), current_values_.end());
          const ks_result ks = ks_2samp_sorted(s.reference_values, current_values_);
          if (ks.p_value < opt_.ks_alpha) {
            raise(index, f, "ks", ks.statistic, opt_.ks_alpha);
            alerts_.back().p_value = ks.p_value;
          }
        }
      } else {
        const double p = psi(s.reference_counts, s.current_counts);
        if (p > opt_.psi_threshold) raise(index, f, "psi", p, opt_.psi_threshold);
        const double js = jensen_shannon(s.reference_counts, s.current_counts);
        if (js > opt_.js_threshold) raise(index, f, "js", js, opt_.js_threshold);
      }
    }
  }

  void raise(std::uint64_t index, std::size_t f, std::string_view metric, double statistic,
             double threshold) {
    alert a;
    a.index = index;
    a.feature = features_[f].name;
    a.metric = metric;
    a.statistic = statistic;
    a.threshold = threshold;
    alerts_.push_back(std::move(a));
  }

  monitor_options opt_;
  std::vector<feature_spec> features_;
  std::vector<feature_state> state_;
  std::vector<alert> alerts_;
  std::vector<double> current_bins_, current_values_;
  std::uint64_t rows_ = 0, current_rows_ = 0;
};

}  // namespace riptide::drift::features

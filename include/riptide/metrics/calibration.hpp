// riptide/metrics/calibration.hpp: reliability table of predicted probabilities.
//
// `bins` equal-width bins on [0, 1] (default 10); a prediction p falls in the bin whose right edge
// is the first edge >= p (as scikit-learn's calibration_curve(strategy='uniform')). Each row gives
// the bin's edges, its count, the mean predicted probability and the observed fraction of
// positives; expected_calibration_error() is the count-weighted mean |predicted - observed|.
// State (snapshot/archive.hpp): per bin the count, the sum of predictions and of positives.
//
// Example:
//   riptide::metrics::calibration table{2};
//   table.update(false, 0.2f);
//   table.update(true, 0.4f);
//   table.update(true, 0.9f);
//   const auto rows = table.rows();
//   if (rows[0].n != 2 || rows[0].fraction_positive != 0.5 || rows[1].n != 1) std::abort();
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

namespace riptide::metrics {

class calibration {
 public:
  struct row {
    double lo = 0, hi = 0;
    std::uint64_t n = 0;
    double mean_predicted = 0;
    double fraction_positive = 0;
  };

  explicit calibration(std::size_t bins = 10) {
    if (bins == 0) throw std::invalid_argument("calibration: bins is 0");
    edges_.resize(bins + 1);
    for (std::size_t i = 0; i <= bins; ++i)
      edges_[i] = static_cast<double>(i) / static_cast<double>(bins);
    n_.assign(bins, 0);
    sum_p_.assign(bins, 0.0);
    sum_y_.assign(bins, 0.0);
  }
  void update(bool y, float p) noexcept {
    const double q = std::isnan(p) ? 0.0 : static_cast<double>(p);
    // the first inner edge >= q (numpy.searchsorted(edges[1:-1], q, side='left'))
    const auto it = std::lower_bound(edges_.begin() + 1, edges_.end() - 1, q);
    const auto b = static_cast<std::size_t>(it - (edges_.begin() + 1));
    ++n_[b];
    sum_p_[b] += q;
    sum_y_[b] += y ? 1.0 : 0.0;
  }
  /// One row per bin, empty bins included (n = 0).
  std::vector<row> rows() const {
    std::vector<row> out(n_.size());
    for (std::size_t b = 0; b < n_.size(); ++b) {
      out[b] = {edges_[b], edges_[b + 1], n_[b], 0, 0};
      if (n_[b]) {
        out[b].mean_predicted = sum_p_[b] / static_cast<double>(n_[b]);
        out[b].fraction_positive = sum_y_[b] / static_cast<double>(n_[b]);
      }
    }
    return out;
  }
  double expected_calibration_error() const {
    std::uint64_t total = 0;
    double err = 0;
    for (const auto& r : rows()) {
      total += r.n;
      err += static_cast<double>(r.n) * std::fabs(r.mean_predicted - r.fraction_positive);
    }
    return total ? err / static_cast<double>(total) : 0.0;
  }
  /// Records counted, over every bin.
  std::uint64_t count() const noexcept {
    std::uint64_t total = 0;
    for (const auto n : n_) total += n;
    return total;
  }

  /// Per bin: count, sum of predictions, number of positives (snapshot/archive.hpp). The bins are
  /// configuration: a loader checks that the state has as many, and that a bin's positives are
  /// between 0 and its count.
  template <class Archive>
  void state(Archive& a) {
    std::vector<std::uint64_t> n;
    std::vector<double> sum_p, sum_y;
    if constexpr (!Archive::loading) {
      n = n_;
      sum_p = sum_p_;
      sum_y = sum_y_;
    }
    a("counts", n);
    a("sum_predicted", sum_p);
    a("positives", sum_y);
    if constexpr (Archive::loading) {
      a.check(n.size() == n_.size() && sum_p.size() == n_.size() && sum_y.size() == n_.size(),
              "not as many bins as configured");
      std::uint64_t total = 0;
      for (std::size_t b = 0; b < n.size(); ++b) {
        a.check(n[b] <= std::numeric_limits<std::uint64_t>::max() - total, "the counts overflow");
        total += n[b];
        a.check(sum_y[b] >= 0 && sum_y[b] <= static_cast<double>(n[b]) &&
                    sum_y[b] == std::floor(sum_y[b]),
                "a bin's positives are not a count between 0 and its records");
      }
      n_ = std::move(n);
      sum_p_ = std::move(sum_p);
      sum_y_ = std::move(sum_y);
    }
  }

 private:
  std::vector<double> edges_;
  std::vector<std::uint64_t> n_;
  std::vector<double> sum_p_;
  std::vector<double> sum_y_;
};

}  // namespace riptide::metrics

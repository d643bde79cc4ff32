// riptide/drift/adwin.hpp: ADWIN, adaptive windowing drift detection (Bifet & Gavalda, 2007).
//
// ADWIN keeps a window of recent values compressed into exponential buckets (ADWIN2: at most
// max_buckets summaries of each size 2^i; a full row merges its two oldest into the next row).
// Every `clock` updates, once more than `grace_period` values are in the window, it checks every
// cut of the window into an older part W0 and a newer part W1 and reports drift when the means
// differ by more than the Hoeffding-style bound
//   eps = sqrt(2 m var/width ln(2 ln(width)/delta)) + 2/3 ln(2 ln(width)/delta) m,
//   m = 1/(|W0| - min_window_length + 1) + 1/(|W1| - min_window_length + 1),
// for sub-windows of at least min_window_length values. Found cuts drop the oldest bucket until
// no cut holds. As in River (drift.ADWIN), the next update after a detection restarts from an
// empty window. state() lists the buckets, sums and clock (snapshot/archive.hpp).
//
// Parameters (River's names and defaults):
//   delta = 0.002            significance of the test; smaller is more conservative
//   clock = 32               check for change every `clock` updates
//   max_buckets = 5          summaries of each size kept before merging
//   min_window_length = 5    smallest sub-window a cut may leave on either side
//   grace_period = 10        no check until the window holds more than this many values
//
// Semantics follow River's AdaptiveWindowing (river >= 0.25, Rust): the same bucket layout, cut
// order (oldest bucket first), arithmetic order and reset-after-detection, so detection positions
// match River's on the same input.
//
// Reference: A. Bifet, R. Gavalda. Learning from time-changing data with adaptive windowing.
// SIAM International Conference on Data Mining, 2007.
//
// Example:
//   riptide::drift::adwin detector;   // or adwin{{.delta = 0.01, .clock = 16}}
//   long detected_at = -1;
//   for (int i = 0; i < 2000 && detected_at < 0; ++i) {
//     detector.update(i < 1000 ? (i % 2) : 4 + (i % 4));
//     if (detector.drift_detected()) detected_at = i;
//   }
//   if (detected_at < 1000 || detected_at > 1100) std::abort();
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "riptide/param.hpp"

namespace riptide::drift {

struct adwin_options {
  double delta = 0.002;
  int clock = 32;
  int max_buckets = 5;
  int min_window_length = 5;
  int grace_period = 10;
};

/// ADWIN's parameters, River's names (riptide/param.hpp: flags, help, reports, make_detector).
constexpr auto parameters(std::type_identity<adwin_options>) {
  using o = adwin_options;
  return declare_params(
      "adwin",
      param{"delta", &o::delta, "significance of the test; smaller is more conservative"}.above(0),
      param{"clock", &o::clock, "check for change every `clock` updates"}.at_least(1),
      param{"max_buckets", &o::max_buckets, "summaries of each size before merging"}.at_least(1),
      param{"min_window_length", &o::min_window_length,
            "smallest sub-window a cut may leave on either side"}
          .at_least(1),
      param{"grace_period", &o::grace_period,
            "no check until the window holds more than this many values"}
          .at_least(0));
}

class adwin {
 public:
  explicit adwin(adwin_options options = {}) : opt_(options) {
    if (!(opt_.delta > 0.0)) throw std::invalid_argument("adwin: delta must be > 0");
    if (opt_.clock < 1) throw std::invalid_argument("adwin: clock must be >= 1");
    if (opt_.max_buckets < 1) throw std::invalid_argument("adwin: max_buckets must be >= 1");
    if (opt_.min_window_length < 1)
      throw std::invalid_argument("adwin: min_window_length must be >= 1");
    if (opt_.grace_period < 0) throw std::invalid_argument("adwin: grace_period must be >= 0");
    stride_ = static_cast<std::size_t>(opt_.max_buckets) + 1;
    // Row i summarises 2^i values; 40 rows cover 2^40 values before any reallocation.
    totals_.reserve(40 * stride_);
    variances_.reserve(40 * stride_);
    counts_.reserve(40);
    clear_window();
  }

  /// Adds x to the window and, on clock ticks, looks for a change.
  void update(double x) {
    if (drift_) clear_window();
    insert(x);
    drift_ = detect_change();
  }

  bool drift_detected() const noexcept { return drift_; }
  void reset() { clear_window(); }

  /// Number of values in the window.
  double width() const noexcept { return width_; }
  /// Sum of the values in the window.
  double total() const noexcept { return total_; }
  /// Sum of squared deviations from the window mean (River's ADWIN.variance).
  double variance() const noexcept { return variance_; }
  /// Mean of the window (0 when empty).
  double estimation() const noexcept { return width_ == 0.0 ? 0.0 : total_ / width_; }
  const adwin_options& options() const noexcept { return opt_; }

  /// The window's buckets, sums, clock and flag (snapshot/archive.hpp); a loader fills a detector
  /// made with the same options and refuses buckets that do not make up the window.
  template <class Archive>
  void state(Archive& a) {
    std::vector<std::uint32_t> counts(counts_.begin(), counts_.end());
    a("totals", totals_);
    a("variances", variances_);
    a("counts", counts);
    a("total", total_);
    a("variance", variance_);
    a("width", width_);
    a("tick", tick_);
    a("drift", drift_);
    if constexpr (Archive::loading) {
      const auto rows = counts.size();
      // Row i holds buckets of 2^i values: 64 rows would overflow the sizes.
      a.check(rows >= 1 && rows < 64, "bucket rows missing or too many");
      a.check(totals_.size() == rows * stride_ && variances_.size() == rows * stride_,
              "bucket arrays differ from the rows and max_buckets");
      double width = 0.0;
      for (std::size_t row = 0; row < rows; ++row) {
        a.check(counts[row] <= static_cast<std::uint32_t>(opt_.max_buckets),
                "a bucket row holds more than max_buckets");
        width += static_cast<double>(counts[row]) * row_size(row);
      }
      a.check(rows == 1 || counts.back() > 0, "the oldest bucket row is empty");
      a.check(width == width_, "the window width differs from its buckets");
      a.check(tick_ >= 0 && tick_ < std::numeric_limits<std::int64_t>::max(), "clock out of range");
      counts_.assign(counts.begin(), counts.end());
    }
  }

 private:
  double* row_totals(std::size_t row) noexcept { return totals_.data() + row * stride_; }
  double* row_variances(std::size_t row) noexcept { return variances_.data() + row * stride_; }
  static double row_size(std::size_t row) noexcept {
    return static_cast<double>(std::uint64_t{1} << row);
  }

  void clear_window() {
    drift_ = false;
    total_ = variance_ = width_ = 0.0;
    tick_ = 0;
    totals_.assign(stride_, 0.0);
    variances_.assign(stride_, 0.0);
    counts_.assign(1, 0);
  }

  void add_row() {
    totals_.resize(totals_.size() + stride_, 0.0);
    variances_.resize(variances_.size() + stride_, 0.0);
    counts_.push_back(0);
  }

  // Drops the n oldest entries of a row (entries are kept oldest first).
  void shift_row(std::size_t row, int n) noexcept {
    double* t = row_totals(row);
    double* v = row_variances(row);
    const int count = counts_[row];
    for (int i = n; i < count; ++i) {
      t[i - n] = t[i];
      v[i - n] = v[i];
    }
    for (int i = count - n; i < count; ++i) t[i] = v[i] = 0.0;
    counts_[row] = count - n;
  }

  void insert(double x) {
    row_totals(0)[counts_[0]] = x;
    row_variances(0)[counts_[0]] = 0.0;
    ++counts_[0];
    width_ += 1.0;
    double incremental_variance = 0.0;
    if (width_ > 1.0) {
      const double d = x - total_ / (width_ - 1.0);
      incremental_variance = (width_ - 1.0) * d * d / width_;
    }
    variance_ += incremental_variance;
    total_ += x;
    compress();
  }

  void compress() {
    const int full = opt_.max_buckets + 1;
    for (std::size_t row = 0; counts_[row] == full; ++row) {
      const double n1 = row_size(row);
      const double t0 = row_totals(row)[0], t1 = row_totals(row)[1];
      const double v0 = row_variances(row)[0], v1 = row_variances(row)[1];
      const double mu1 = t0 / n1, mu2 = t1 / n1;
      const double merged_total = t0 + t1;
      const double merged_variance = v0 + v1 + n1 * 0.5 * (mu1 - mu2) * (mu1 - mu2);
      if (row + 1 >= counts_.size()) add_row();
      const std::size_t next = row + 1;
      row_totals(next)[counts_[next]] = merged_total;
      row_variances(next)[counts_[next]] = merged_variance;
      ++counts_[next];
      shift_row(row, 2);
      if (counts_[next] <= opt_.max_buckets) break;
    }
  }

  void delete_oldest() {
    const std::size_t last = counts_.size() - 1;
    const double n = row_size(last);
    const double u = row_totals(last)[0];
    const double v = row_variances(last)[0];
    const double mu = u / n;
    width_ -= n;
    total_ -= u;
    const double mu_window = total_ / width_;
    variance_ -= v + n * width_ * (mu - mu_window) * (mu - mu_window) / (n + width_);
    shift_row(last, 1);
    if (counts_[last] == 0 && last > 0) {
      counts_.pop_back();
      totals_.resize(totals_.size() - stride_);
      variances_.resize(variances_.size() - stride_);
    }
  }

  bool cut_holds(double n0, double n1, double delta_mean, double delta_prime) const noexcept {
    const double mwl = static_cast<double>(opt_.min_window_length);
    const double m_recip = 1.0 / (n0 - mwl + 1.0) + 1.0 / (n1 - mwl + 1.0);
    const double epsilon = std::sqrt(2.0 * m_recip * (variance_ / width_) * delta_prime) +
                           2.0 / 3.0 * delta_prime * m_recip;
    return std::fabs(delta_mean) > epsilon;
  }

  bool detect_change() {
    ++tick_;
    if (tick_ % opt_.clock != 0 || !(width_ > static_cast<double>(opt_.grace_period))) return false;
    const double mwl = static_cast<double>(opt_.min_window_length);
    bool change = false;
    bool reduce = true;
    while (reduce) {
      reduce = false;
      // The bound's log term depends on the width only, which is fixed during one pass.
      const double delta_prime = std::log(2.0 * std::log(width_) / opt_.delta);
      double n0 = 0.0, n1 = width_, u0 = 0.0, u1 = total_;
      for (std::size_t row = counts_.size(); row-- > 0 && !reduce;) {
        const double size = row_size(row);
        const double* t = row_totals(row);
        const int count = counts_[row];
        for (int k = 0; k < count; ++k) {
          n0 += size;
          n1 -= size;
          u0 += t[k];
          u1 -= t[k];
          if (row == 0 && k == count - 1) break;  // W1 would be empty
          const double delta_mean = u0 / n0 - u1 / n1;
          if (n1 >= mwl && n0 >= mwl && cut_holds(n0, n1, delta_mean, delta_prime)) {
            change = true;
            if (width_ > 0.0) {
              delete_oldest();
              reduce = true;
              break;
            }
          }
        }
      }
    }
    return change;
  }

  adwin_options opt_;
  std::size_t stride_ = 6;
  std::vector<double> totals_;     // row-major: row i holds up to max_buckets+1 bucket totals
  std::vector<double> variances_;  // same layout, each bucket's sum of squared deviations
  std::vector<int> counts_;        // entries used per row
  double total_ = 0.0, variance_ = 0.0, width_ = 0.0;
  std::int64_t tick_ = 0;
  bool drift_ = false;
};

}  // namespace riptide::drift

// riptide/sketch/p2_quantile.hpp: streaming quantile estimate in constant memory (the P²
// algorithm).
//
// Follows R. Jain and I. Chlamtac, "The P² algorithm for dynamic calculation of quantiles and
// histograms without storing observations", CACM 28(10), 1985: five markers whose heights are
// adjusted with piecewise-parabolic interpolation. Exact for the first five observations.
//
// Parameters:
//   p  0.5   the quantile (0 < p < 1)
//
// Example:
//   riptide::sketch::p2_quantile median;
//   for (int i = 1; i <= 101; ++i) median.add(i);
//   if (std::abs(median.estimate() - 51.0) > 1.0) std::abort();
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>

namespace riptide::sketch {

class p2_quantile {
 public:
  explicit p2_quantile(double p = 0.5) : p_(p) {}

  std::size_t count() const noexcept { return count_; }

  void add(double x) noexcept {
    if (count_ < 5) {
      q_[count_++] = x;
      if (count_ == 5) {
        std::sort(q_.begin(), q_.end());
        for (int i = 0; i < 5; ++i) n_[i] = i + 1;
        want_ = {1, 1 + 2 * p_, 1 + 4 * p_, 3 + 2 * p_, 5};
        step_ = {0, p_ / 2, p_, (1 + p_) / 2, 1};
      }
      return;
    }
    ++count_;
    int k = 0;
    if (x < q_[0]) {
      q_[0] = x;
      k = 0;
    } else if (x >= q_[4]) {
      q_[4] = x;
      k = 3;
    } else {
      while (k < 3 && x >= q_[k + 1]) ++k;
    }
    for (int i = k + 1; i < 5; ++i) n_[i] += 1;
    for (int i = 0; i < 5; ++i) want_[i] += step_[i];
    for (int i = 1; i <= 3; ++i) {
      const double d = want_[i] - n_[i];
      if ((d >= 1 && n_[i + 1] - n_[i] > 1) || (d <= -1 && n_[i - 1] - n_[i] < -1)) {
        const int s = d > 0 ? 1 : -1;
        const double candidate = parabolic(i, s);
        if (q_[i - 1] < candidate && candidate < q_[i + 1])
          q_[i] = candidate;
        else
          q_[i] = q_[i] + s * (q_[i + s] - q_[i]) / (n_[i + s] - n_[i]);
        n_[i] += s;
      }
    }
  }

  /// The current estimate (0 before any observation).
  double estimate() const noexcept {
    if (count_ >= 5) return q_[2];
    if (count_ == 0) return 0.0;
    std::array<double, 5> sorted = q_;
    std::sort(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(count_));
    const double pos = p_ * static_cast<double>(count_ - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const auto hi = static_cast<std::size_t>(std::ceil(pos));
    return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
  }

  /// The markers (snapshot/archive.hpp); p is configuration.
  template <class Archive>
  void state(Archive& a) {
    a("count", count_);
    a("q", q_);
    a("n", n_);
    a("want", want_);
    a("step", step_);
  }

 private:
  double parabolic(int i, int s) const noexcept {
    const double d = s;
    return q_[i] + d / (n_[i + 1] - n_[i - 1]) *
                       ((n_[i] - n_[i - 1] + d) * (q_[i + 1] - q_[i]) / (n_[i + 1] - n_[i]) +
                        (n_[i + 1] - n_[i] - d) * (q_[i] - q_[i - 1]) / (n_[i] - n_[i - 1]));
  }

  double p_;
  std::size_t count_ = 0;
  std::array<double, 5> q_{};
  std::array<double, 5> n_{};
  std::array<double, 5> want_{};
  std::array<double, 5> step_{};
};

}  // namespace riptide::sketch

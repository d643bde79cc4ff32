// riptide/metrics/logloss.hpp: mean log loss (cross-entropy) of predicted probabilities.
//
// -mean(y log p + (1 - y) log(1 - p)), p clipped to [1e-15, 1 - 1e-15] so that a certain wrong
// prediction costs ~34.5 instead of infinity (scikit-learn's log_loss clips likewise).
// update / revert make it usable in rolling windows. State (snapshot/archive.hpp): the sum of
// the losses and the count.
//
// Example:
//   riptide::metrics::logloss m;
//   m.update(true, 0.8f);
//   m.update(false, 0.3f);
//   if (std::fabs(m.get() - 0.2899092476264711) > 1e-6) std::abort();  // sklearn log_loss
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace riptide::metrics {

class logloss {
 public:
  static double loss(bool y, double p) noexcept {
    p = std::clamp(p, 1e-15, 1.0 - 1e-15);
    return y ? -std::log(p) : -std::log1p(-p);
  }
  void update(bool y, float p) noexcept { add(loss(y, p)); }
  /// Adds a record's loss already computed by loss(y, p) (so that callers keeping several
  /// means of the same losses compute each logarithm once).
  void add(double record_loss) noexcept {
    sum_ += record_loss;
    ++n_;
  }
  void revert(bool y, float p) noexcept {
    sum_ -= loss(y, p);
    --n_;
  }
  /// Mean loss; 0 before any update.
  double get() const noexcept { return n_ ? sum_ / static_cast<double>(n_) : 0.0; }
  std::uint64_t count() const noexcept { return n_; }
  /// Whether no record is counted.
  bool empty() const noexcept { return n_ == 0; }

  /// The sum and count (snapshot/archive.hpp).
  template <class Archive>
  void state(Archive& a) {
    a("sum", sum_);
    a("count", n_);
  }

 private:
  double sum_ = 0.0;
  std::uint64_t n_ = 0;
};

}  // namespace riptide::metrics

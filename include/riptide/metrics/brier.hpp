// riptide/metrics/brier.hpp: Brier score, the mean squared error of the predicted probability.
//
// mean((p - y)^2), as scikit-learn's brier_score_loss; 0 is perfect, 0.25 a constant 0.5.
// State (snapshot/archive.hpp): the sum of squared errors and the count.
//
// Example:
//   riptide::metrics::brier m;
//   m.update(true, 0.8f);
//   m.update(false, 0.4f);
//   if (std::fabs(m.get() - 0.1) > 1e-6) std::abort();
#pragma once

#include <cstdint>

namespace riptide::metrics {

class brier {
 public:
  void update(bool y, float p) noexcept {
    const double d = static_cast<double>(p) - (y ? 1.0 : 0.0);
    sum_ += d * d;
    ++n_;
  }
  void revert(bool y, float p) noexcept {
    const double d = static_cast<double>(p) - (y ? 1.0 : 0.0);
    sum_ -= d * d;
    --n_;
  }
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

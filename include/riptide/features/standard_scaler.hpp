// riptide/features/standard_scaler.hpp: online standardisation of one numeric feature (Welford).
//
// Keeps count, mean and the sum of squared deviations with Welford's update, numerically stable
// over long streams. transform(x) = (x - mean) / std with the population std (as scikit-learn's
// StandardScaler); 0 while fewer than two values were seen or the std is 0.
// Reference: Welford, "Note on a method for calculating corrected sums of squares and products",
// Technometrics 1962.
//
// Example:
//   riptide::features::standard_scaler s;
//   for (double x : {1.0, 2.0, 3.0, 4.0}) s.learn(x);
//   if (std::fabs(s.mean() - 2.5) > 1e-12) std::abort();
//   if (std::fabs(s.transform(4.0) - 1.5 / std::sqrt(1.25)) > 1e-12) std::abort();
#pragma once

#include <cmath>
#include <cstdint>

namespace riptide::features {

class standard_scaler {
 public:
  void learn(double x) noexcept {
    ++n_;
    const double delta = x - mean_;
    mean_ += delta / static_cast<double>(n_);
    m2_ += delta * (x - mean_);
    // The deviation the next transform divides by, computed now: its division and square root
    // then overlap the work that follows instead of delaying the next record's encoding.
    sd_ = std::sqrt(variance());
  }
  double transform(double x) const noexcept { return sd_ > 0.0 ? (x - mean_) / sd_ : 0.0; }
  std::uint64_t count() const noexcept { return n_; }
  double mean() const noexcept { return mean_; }
  double variance() const noexcept { return n_ > 1 ? m2_ / static_cast<double>(n_) : 0.0; }
  double stddev() const noexcept { return sd_; }

  template <class Archive>
  void state(Archive& a) {
    a("n", n_);
    a("mean", mean_);
    a("m2", m2_);
    a("sd", sd_);
  }

 private:
  std::uint64_t n_ = 0;
  double mean_ = 0.0;
  double m2_ = 0.0;
  double sd_ = 0.0;  // std::sqrt(variance()), kept with every learn
};

}  // namespace riptide::features

// riptide/metrics/accuracy.hpp: fraction of records whose predicted class is right.
//
// The predicted class is p > threshold (default 0.5, as a classifier's predict()).
//
// Example:
//   riptide::metrics::accuracy m;
//   m.update(true, 0.9f);
//   m.update(false, 0.6f);
//   if (m.get() != 0.5) std::abort();
#pragma once

#include <cstdint>

namespace riptide::metrics {

class accuracy {
 public:
  accuracy() = default;
  explicit accuracy(float threshold) : threshold_(threshold) {}
  void update(bool y, float p) noexcept {
    correct_ += (p > threshold_) == y;
    ++n_;
  }
  void revert(bool y, float p) noexcept {
    correct_ -= (p > threshold_) == y;
    --n_;
  }
  double get() const noexcept {
    return n_ ? static_cast<double>(correct_) / static_cast<double>(n_) : 0.0;
  }
  std::uint64_t count() const noexcept { return n_; }

 private:
  float threshold_ = 0.5f;
  std::uint64_t correct_ = 0;
  std::uint64_t n_ = 0;
};

}  // namespace riptide::metrics

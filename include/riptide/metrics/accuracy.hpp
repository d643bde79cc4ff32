// riptide/metrics/accuracy.hpp: fraction of records whose predicted class is right.
//
// The predicted class is p > threshold (default 0.5, as a classifier's predict()).
// State (snapshot/archive.hpp): the counts of records and of right predictions.
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
  /// Whether nothing is counted (rolling<accuracy> checks a loaded window with it).
  bool empty() const noexcept { return n_ == 0 && correct_ == 0; }

  /// The counts (snapshot/archive.hpp); the threshold is configuration.
  template <class Archive>
  void state(Archive& a) {
    std::uint64_t correct = correct_, n = n_;
    a("correct", correct);
    a("count", n);
    if constexpr (Archive::loading) {
      a.check(correct <= n, "more right predictions than records");
      correct_ = correct;
      n_ = n;
    }
  }

 private:
  float threshold_ = 0.5f;
  std::uint64_t correct_ = 0;
  std::uint64_t n_ = 0;
};

}  // namespace riptide::metrics

// riptide/metrics/rolling.hpp: any revertible metric over the last `window` records.
//
// rolling<M> keeps the last `window` (label, prediction) pairs in a ring buffer allocated once;
// each update adds the new pair to M and reverts the oldest, so the value is always M over the
// window, at O(1) per record. M needs update(y, p), revert(y, p) and get() (logloss, accuracy,
// brier, ...). For the AUC over a window, see rolling_roc_auc.hpp.
//
// Example:
//   riptide::metrics::rolling<riptide::metrics::accuracy> m{2};
//   m.update(true, 0.1f);   // wrong
//   m.update(true, 0.9f);   // right
//   m.update(true, 0.9f);   // right; the first one leaves the window
//   if (m.get() != 1.0) std::abort();
#pragma once

#include <cstddef>
#include <stdexcept>
#include <utility>
#include <vector>

namespace riptide::metrics {

template <class Metric>
class rolling {
 public:
  explicit rolling(std::size_t window, Metric metric = {}) : metric_(std::move(metric)) {
    if (window == 0) throw std::invalid_argument("rolling: window is 0");
    ring_.resize(window);
  }
  void update(bool y, float p) {
    if (size_ == ring_.size()) {
      const auto& old = ring_[head_];
      metric_.revert(old.first, old.second);
    } else {
      ++size_;
    }
    ring_[head_] = {y, p};
    head_ = head_ + 1 == ring_.size() ? 0 : head_ + 1;
    metric_.update(y, p);
  }
  auto get() const { return metric_.get(); }
  const Metric& metric() const noexcept { return metric_; }
  std::size_t size() const noexcept { return size_; }
  std::size_t window() const noexcept { return ring_.size(); }

 private:
  Metric metric_;
  std::vector<std::pair<bool, float>> ring_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace riptide::metrics

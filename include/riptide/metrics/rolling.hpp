// riptide/metrics/rolling.hpp: any revertible metric over the last `window` records.
//
// rolling<M> keeps the last `window` (label, prediction) pairs in a ring buffer allocated once;
// each update adds the new pair to M and reverts the oldest, so the value is always M over the
// window, at O(1) per record. M needs update(y, p), revert(y, p) and get() (logloss, accuracy,
// brier, ...). For the AUC over a window, see rolling_roc_auc.hpp.
// State (snapshot/archive.hpp): the window's records, oldest first, and M's state.
//
// Example:
//   riptide::metrics::rolling<riptide::metrics::accuracy> m{2};
//   m.update(true, 0.1f);   // wrong
//   m.update(true, 0.9f);   // right
//   m.update(true, 0.9f);   // right; the first one leaves the window
//   if (m.get() != 1.0) std::abort();
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
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
  /// The i-th oldest record of the window (i < size()): (label, prediction).
  std::pair<bool, float> record(std::size_t i) const noexcept {
    const std::size_t at = (size_ == ring_.size() ? head_ : 0) + i;
    return ring_[at < ring_.size() ? at : at - ring_.size()];
  }

  /// The window's records, oldest first, and M's state (M needs a state() of its own;
  /// snapshot/archive.hpp). The window size is configuration: a loader checks that the records
  /// fit in it and, when M has empty(), that M counts exactly them (reverting them all from a
  /// copy of M leaves it empty).
  template <class Archive>
  void state(Archive& a) {
    std::vector<std::uint8_t> labels;
    std::vector<float> scores;
    if constexpr (!Archive::loading) {
      labels.reserve(size_);
      scores.reserve(size_);
      for (std::size_t i = 0; i < size_; ++i) {
        const auto [y, p] = record(i);
        labels.push_back(y ? 1 : 0);
        scores.push_back(p);
      }
    }
    Metric metric = metric_;  // a refused state changes nothing
    a("labels", labels);
    a("scores", scores);
    a("metric", metric);
    if constexpr (Archive::loading) {
      a.check(labels.size() == scores.size(), "labels and scores differ in length");
      a.check(labels.size() <= ring_.size(), "more records than the window holds");
      for (const auto y : labels) a.check(y <= 1, "a label other than 0 or 1");
      if constexpr (requires(const Metric& m) { m.empty(); }) {
        Metric rest = metric;
        for (std::size_t i = 0; i < labels.size(); ++i) rest.revert(labels[i] != 0, scores[i]);
        a.check(rest.empty(), "the metric does not count the window's records");
      }
      std::fill(ring_.begin(), ring_.end(), std::pair<bool, float>{});
      for (std::size_t i = 0; i < labels.size(); ++i) ring_[i] = {labels[i] != 0, scores[i]};
      size_ = labels.size();
      head_ = size_ == ring_.size() ? 0 : size_;
      metric_ = std::move(metric);
    }
  }

 private:
  Metric metric_;
  std::vector<std::pair<bool, float>> ring_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace riptide::metrics

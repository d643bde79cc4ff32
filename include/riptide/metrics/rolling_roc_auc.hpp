// riptide/metrics/rolling_roc_auc.hpp: exact ROC AUC over a sliding window of the last records.
//
// Keeps the last `window` (score, label) pairs in a ring buffer, each as one 64-bit sort key;
// update() is O(1) and get() computes the exact AUC of the window (ties as scikit-learn) in
// O(window) with a radix sort in reused scratch buffers. Meant for the prequential curve, read
// every N records. State (snapshot/archive.hpp): the window's keys, oldest first.
// Parameters (defaults): window (1000).
//
// Example:
//   riptide::metrics::rolling_roc_auc auc{3};
//   auc.update(false, 0.9f);   // leaves the window below
//   auc.update(false, 0.1f);
//   auc.update(true, 0.7f);
//   auc.update(true, 0.6f);
//   if (auc.get() != 1.0) std::abort();
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

#include "riptide/metrics/roc_auc.hpp"

namespace riptide::metrics {

class rolling_roc_auc {
 public:
  explicit rolling_roc_auc(std::size_t window = 1000) {
    if (window == 0) throw std::invalid_argument("rolling_roc_auc: window is 0");
    ring_.resize(window);
    items_.reserve(window);
    scratch_.reserve(window);
  }
  void update(bool y, float p) noexcept {
    ring_[head_] = std::uint64_t{detail::descending_key(p)} << 32 | (y ? 1u : 0u);
    head_ = head_ + 1 == ring_.size() ? 0 : head_ + 1;
    if (size_ < ring_.size()) ++size_;
  }
  /// AUC of the window; NaN while it holds only one class.
  double get() const {
    items_.assign(ring_.begin(), ring_.begin() + static_cast<std::ptrdiff_t>(size_));
    return roc_auc_of_keys(items_, scratch_);
  }
  std::size_t size() const noexcept { return size_; }

  /// The window's sort keys (detail::descending_key(score) << 32 | label), oldest first
  /// (snapshot/archive.hpp). The window size is configuration: a loader checks that the keys fit
  /// in it and that their labels are 0 or 1.
  template <class Archive>
  void state(Archive& a) {
    std::vector<std::uint64_t> keys;
    if constexpr (!Archive::loading) {
      const std::size_t from = size_ == ring_.size() ? head_ : 0;
      keys.reserve(size_);
      for (std::size_t i = 0; i < size_; ++i)
        keys.push_back(ring_[from + i < ring_.size() ? from + i : from + i - ring_.size()]);
    }
    a("keys", keys);
    if constexpr (Archive::loading) {
      a.check(keys.size() <= ring_.size(), "more records than the window holds");
      for (const auto k : keys) a.check((k & 0xFFFFFFFEu) == 0, "a key whose label is not 0 or 1");
      std::fill(std::copy(keys.begin(), keys.end(), ring_.begin()), ring_.end(), 0);
      size_ = keys.size();
      head_ = size_ == ring_.size() ? 0 : size_;
    }
  }

 private:
  std::vector<std::uint64_t> ring_;  // detail::descending_key(score) << 32 | label
  mutable std::vector<std::uint64_t> items_, scratch_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace riptide::metrics

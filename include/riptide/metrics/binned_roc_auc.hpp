// riptide/metrics/binned_roc_auc.hpp: ROC AUC of an unbounded stream in constant memory.
//
// Counts positives and negatives per probability bin (`bins` equal bins on [0, 1], default
// 2^14); get() sweeps the bins as the exact AUC sweeps scores, so pairs in one bin count as ties.
// The error is at most half the fraction of (positive, negative) pairs sharing a bin, i.e. it is
// exact for scores that differ by more than 1 / bins. O(1) per update, O(bins) per get().
//
// Example:
//   riptide::metrics::binned_roc_auc auc;
//   auc.update(false, 0.1f);
//   auc.update(false, 0.4f);
//   auc.update(true, 0.35f);
//   auc.update(true, 0.8f);
//   if (auc.get() != 0.75) std::abort();
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

namespace riptide::metrics {

class binned_roc_auc {
 public:
  explicit binned_roc_auc(std::size_t bins = std::size_t{1} << 14) {
    if (bins == 0) throw std::invalid_argument("binned_roc_auc: bins is 0");
    pos_.assign(bins, 0);
    neg_.assign(bins, 0);
  }
  void update(bool y, float p) noexcept {
    ++(y ? pos_ : neg_)[bin(p)];
    ++n_;
  }
  void revert(bool y, float p) noexcept {
    --(y ? pos_ : neg_)[bin(p)];
    --n_;
  }
  double get() const noexcept {
    // Integer counts below 2^31 records: the area (doubled) is an exact integer sum with no
    // floating-point dependency chain (read every curve point, over every bin).
    if (n_ < (std::uint64_t{1} << 31)) {
      std::uint64_t tp = 0, fp = 0, area2 = 0;
      for (std::size_t b = pos_.size(); b-- > 0;) {
        area2 += neg_[b] * (2 * tp + pos_[b]);
        tp += pos_[b];
        fp += neg_[b];
      }
      if (tp == 0 || fp == 0) return std::numeric_limits<double>::quiet_NaN();
      return static_cast<double>(area2) / 2.0 / (static_cast<double>(tp) * static_cast<double>(fp));
    }
    double tp = 0, fp = 0, area = 0;
    for (std::size_t b = pos_.size(); b-- > 0;) {
      const auto dtp = static_cast<double>(pos_[b]);
      const auto dfp = static_cast<double>(neg_[b]);
      area += dfp * (tp + dtp / 2.0);
      tp += dtp;
      fp += dfp;
    }
    if (tp == 0 || fp == 0) return std::numeric_limits<double>::quiet_NaN();
    return area / (tp * fp);
  }

 private:
  std::size_t bin(float p) const noexcept {
    if (!(p > 0.0f)) return 0;  // also NaN
    const auto b =
        static_cast<std::size_t>(static_cast<double>(p) * static_cast<double>(pos_.size()));
    return b < pos_.size() ? b : pos_.size() - 1;
  }
  std::vector<std::uint64_t> pos_;
  std::vector<std::uint64_t> neg_;
  std::uint64_t n_ = 0;  // records counted
};

}  // namespace riptide::metrics

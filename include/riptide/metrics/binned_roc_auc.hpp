// riptide/metrics/binned_roc_auc.hpp: ROC AUC of an unbounded stream in constant memory.
//
// Counts positives and negatives per probability bin (`bins` equal bins on [0, 1], default
// 2^14; 32-bit counts, 64-bit past 2^32 - 1 records); get() sweeps the bins as the exact AUC sweeps
// scores, so pairs in one bin count as ties.
// The error is at most half the fraction of (positive, negative) pairs sharing a bin, i.e. it is
// exact for scores that differ by more than 1 / bins. O(1) per update, O(bins) per get(). An
// update is counted one update late (its bin prefetched meanwhile): the next update (or revert,
// widen) counts it, and get() adds it to the sums it computes without writing it, so results are
// exact at any point and a const object may be read from several threads at once.
// State (snapshot/archive.hpp): the counts per bin (the pending update counted), 32- or 64-bit
// as in memory, and the record count.
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
#include <utility>
#include <vector>

namespace riptide::metrics {

class binned_roc_auc {
 public:
  explicit binned_roc_auc(std::size_t bins = std::size_t{1} << 14) : bins_(bins) {
    if (bins == 0) throw std::invalid_argument("binned_roc_auc: bins is 0");
    narrow_.assign(2 * bins, 0);
  }
  void update(bool y, float p) {
    if (narrow_.empty() || n_ == max_narrow) [[unlikely]] {
      widen();
      ++wide_[cell(y, p)];
    } else {
      // Counted one update late: the bin's line is prefetched now and incremented by the next
      // update (or revert, widen: flush()), so that the stream does not wait on it (the table is
      // larger than the core's first-level cache); get() counts it on the fly.
      const std::size_t c = cell(y, p);
      __builtin_prefetch(&narrow_[c], 1);
      flush();
      pending_ = c;
    }
    ++n_;
  }
  void revert(bool y, float p) noexcept {
    flush();
    if (narrow_.empty()) [[unlikely]]
      --wide_[cell(y, p)];
    else
      --narrow_[cell(y, p)];
    --n_;
  }
  /// The exact AUC of every update so far (the pending one included). Writes nothing.
  double get() const noexcept {
    // Integer counts below 2^31 records: the area (doubled) is an exact integer sum with no
    // floating-point dependency chain (read every curve point, over every bin).
    if (!narrow_.empty() && n_ < (std::uint64_t{1} << 31)) {
      // The bins in `lanes` equal segments swept side by side (independent dependency chains),
      // the highest bins left over by the split first. A segment's own sweep counts its
      // positives from zero; each of its negatives also ranks below every positive of the
      // segments above it, which adds 2 * (positives above) * (its negatives). Same integers.
      // The pending update is added at the end (get() writes nothing), from the counts above its
      // bin, which the sweeps note on the way (no extra pass).
      constexpr std::size_t lanes = 4;
      const std::uint32_t* const c = narrow_.data();
      const std::size_t len = bins_ / lanes;
      const std::size_t pb = pending_ == none ? bins_ : pending_ / 2;  // bins_: none pending
      std::uint64_t tp = 0, fp = 0, area2 = 0;
      std::uint64_t tp_above = 0, fp_above = 0;  // the counts in the bins above pb
      for (std::size_t b = bins_; b-- > lanes * len;) {
        if (b == pb) {
          tp_above = tp;
          fp_above = fp;
        }
        const std::uint64_t neg = c[2 * b], pos = c[2 * b + 1];
        area2 += neg * (2 * tp + pos);
        tp += pos;
        fp += neg;
      }
      std::uint64_t a[lanes] = {}, t[lanes] = {}, f[lanes] = {};
      const auto sweep = [&](std::size_t from, std::size_t to) {  // positions [to, from), down
        for (std::size_t i = from; i-- > to;) {
          for (std::size_t q = 0; q < lanes; ++q) {
            const std::uint64_t neg = c[2 * (q * len + i)], pos = c[2 * (q * len + i) + 1];
            a[q] += neg * (2 * t[q] + pos);
            t[q] += pos;
            f[q] += neg;
          }
        }
      };
      // pb's segment (lanes: pb is in none) and the positions above pb's in it
      const std::size_t pq = pb < lanes * len ? pb / len : lanes;
      const std::size_t split = pq < lanes ? pb % len + 1 : 0;
      sweep(len, split);
      const std::uint64_t t_above = pq < lanes ? t[pq] : 0, f_above = pq < lanes ? f[pq] : 0;
      sweep(split, 0);
      for (std::size_t q = lanes; q-- > 0;) {  // from the highest segment down
        if (q == pq) {
          tp_above = tp + t_above;
          fp_above = fp + f_above;
        }
        area2 += a[q] + 2 * tp * f[q];
        tp += t[q];
        fp += f[q];
      }
      if (pending_ != none) {
        // a negative in bin pb ranks below the positives above pb (2 each) and ties with pb's
        // (1 each); a positive ranks above the negatives below pb and ties with pb's
        const std::uint64_t neg = c[2 * pb], pos = c[2 * pb + 1];
        if (pending_ % 2 == 1) {
          area2 += 2 * (fp - fp_above - neg) + neg;
          ++tp;
        } else {
          area2 += 2 * tp_above + pos;
          ++fp;
        }
      }
      if (tp == 0 || fp == 0) return std::numeric_limits<double>::quiet_NaN();
      return static_cast<double>(area2) / 2.0 / (static_cast<double>(tp) * static_cast<double>(fp));
    }
    double tp = 0, fp = 0, area = 0;
    for (std::size_t b = bins_; b-- > 0;) {
      const auto dfp = static_cast<double>(count(2 * b));
      const auto dtp = static_cast<double>(count(2 * b + 1));
      area += dfp * (tp + dtp / 2.0);
      tp += dtp;
      fp += dfp;
    }
    if (tp == 0 || fp == 0) return std::numeric_limits<double>::quiet_NaN();
    return area / (tp * fp);
  }
  /// Records counted.
  std::uint64_t count() const noexcept { return n_; }

  /// The counts per bin (negatives, positives), the pending update counted, 32-bit until widened
  /// and the record count (snapshot/archive.hpp). Saving writes nothing. The bins are
  /// configuration: a loader checks that the counts cover as many and add up to the record count.
  template <class Archive>
  void state(Archive& a) {
    bool wide = narrow_.empty();
    std::uint64_t n = n_;
    a("wide", wide);
    a("count", n);
    if (wide) {
      std::vector<std::uint64_t> counts;
      if constexpr (!Archive::loading) counts = wide_;
      a("counts", counts);
      if constexpr (Archive::loading) {
        a.check(counts.size() == 2 * bins_, "not as many bins as configured");
        a.check(sums_to(counts, n), "the counts do not add up to the record count");
        wide_ = std::move(counts);
        narrow_.clear();
        narrow_.shrink_to_fit();
      }
    } else {
      std::vector<std::uint32_t> counts;
      if constexpr (!Archive::loading) {
        counts = narrow_;
        if (pending_ != none) ++counts[pending_];
      }
      a("counts", counts);
      if constexpr (Archive::loading) {
        a.check(counts.size() == 2 * bins_, "not as many bins as configured");
        a.check(n <= max_narrow, "32-bit counts of more records than they hold");
        a.check(sums_to(counts, n), "the counts do not add up to the record count");
        narrow_ = std::move(counts);
        wide_.clear();
      }
    }
    if constexpr (Archive::loading) {
      pending_ = none;
      n_ = n;
    }
  }

  /// Moves the counts to 64 bits: done before the record count could overflow a 32-bit bin
  /// (2^32 - 1 records); public so that tests can take the wide path early. Results are the same.
  void widen() {
    if (narrow_.empty()) return;
    flush();
    wide_.assign(narrow_.begin(), narrow_.end());
    narrow_.clear();
    narrow_.shrink_to_fit();
  }

 private:
  static constexpr std::uint64_t max_narrow = 0xFFFFFFFFu;
  // A bin's negatives and positives side by side (one cache line for an update, one stream for
  // get()), 32-bit while the record count allows: half the memory a 64-bit pair takes, so the
  // table stays in the core's cache beside the rest of the pipeline.
  std::size_t cell(bool y, float p) const noexcept { return 2 * bin(p) + (y ? 1 : 0); }
  // Cell c's count, the pending update included.
  std::uint64_t count(std::size_t c) const noexcept {
    return narrow_.empty() ? wide_[c] : narrow_[c] + std::uint64_t{c == pending_};
  }
  std::size_t bin(float p) const noexcept {
    if (!(p > 0.0f)) return 0;  // also NaN
    const auto b = static_cast<std::size_t>(static_cast<double>(p) * static_cast<double>(bins_));
    return b < bins_ ? b : bins_ - 1;
  }
  // Whether `counts` add up to n exactly (no overflow on the way).
  template <class V>
  static bool sums_to(const V& counts, std::uint64_t n) noexcept {
    std::uint64_t sum = 0;
    for (const auto c : counts) {
      if (c > n - sum) return false;
      sum += c;
    }
    return sum == n;
  }
  // Counts the pending update.
  void flush() noexcept {
    if (pending_ == none) return;
    ++narrow_[pending_];
    pending_ = none;
  }
  static constexpr std::size_t none = static_cast<std::size_t>(-1);
  std::size_t bins_;
  std::vector<std::uint32_t> narrow_;  // (negatives, positives) per bin; empty once widened
  std::size_t pending_ = none;         // narrow_'s cell of the last update, not yet counted
  std::vector<std::uint64_t> wide_;
  std::uint64_t n_ = 0;  // records counted
};

}  // namespace riptide::metrics

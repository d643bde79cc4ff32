// riptide/drift/kswin.hpp: KSWIN, Kolmogorov-Smirnov windowing drift detection (Raab et al.).
//
// Keeps the last window_size values. Once the window is full, every update compares its newest
// stat_size values R with stat_size values W drawn uniformly without replacement from the older
// window_size - stat_size ones, by the two-sample Kolmogorov-Smirnov test, and reports drift when
// p <= alpha and D > 0.1. The next update after a drift starts afresh from an empty window and a
// re-seeded generator (as River's drift.KSWIN). state() lists the window and the generator's
// position (snapshot/archive.hpp), so a copy draws the same samples.
//
// Parameters (River's names and defaults):
//   alpha = 0.005        significance of the KS test (keep it below 0.01)
//   window_size = 100    values kept
//   stat_size = 30       size of R and W; window_size - stat_size must be >= stat_size
//   seed                 River: random.Random(seed); unset means OS entropy in River, and seed 0
//                        here so that riptide stays reproducible
//   window               values to start with (River's `window`, against a cold start)
//
// Exactness: W is drawn with CPython's own generator and sampling algorithm
// (random.Random(seed).sample(range(window_size - stat_size), stat_size), see
// riptide/detail/python_random.hpp) and p is the p-value of River's call,
// scipy.stats.ks_2samp(W, R) with method "auto": the exact two-sample law up to stat_size 10000,
// and above it scipy's kstwo.sf(D, round(stat_size / 2)) (riptide/drift/ks_2samp.hpp, checked
// against scipy), so with the same seed the detections are River's, index for index.
//
// Reference: C. Raab, M. Heusinger, F.-M. Schleif. Reactive soft prototype computing for concept
// drift streams. Neurocomputing 416, 2020.
//
// Example:
//   riptide::drift::kswin detector{{.alpha = 0.0001, .seed = 42}};
//   long detected_at = -1;
//   for (int i = 0; i < 2000 && detected_at < 0; ++i) {
//     detector.update(i < 1000 ? (i * 7 % 2) : 4 + (i * 7 % 4));
//     if (detector.drift_detected()) detected_at = i;
//   }
//   if (detected_at < 1000 || detected_at > 1100) std::abort();
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "riptide/detail/python_random.hpp"
#include "riptide/drift/ks_2samp.hpp"
#include "riptide/param.hpp"

namespace riptide::drift {

struct kswin_options {
  double alpha = 0.005;
  std::size_t window_size = 100;
  std::size_t stat_size = 30;
  std::optional<std::int64_t> seed{};
  std::vector<double> window{};
};

/// KSWIN's parameters, River's names (riptide/param.hpp: flags, help, reports, make_detector).
/// `window` (values to start with) is data, not a parameter, and is not declared.
constexpr auto parameters(std::type_identity<kswin_options>) {
  using o = kswin_options;
  return declare_params(
      "kswin",
      param{"alpha", &o::alpha, "significance of the KS test (keep it below 0.01)"}.within(0, 1),
      param{"window_size", &o::window_size, "values kept"}.at_least(1),
      param{"stat_size", &o::stat_size,
            "size of the two samples compared; window_size - stat_size must be >= stat_size"}
          .at_least(1),
      param{"seed", &o::seed, "random.Random(seed) as River; none: 0 (River: OS entropy)"});
}

class kswin {
 public:
  explicit kswin(kswin_options options = {}) : opt_(std::move(options)) {
    if (!(opt_.alpha >= 0.0 && opt_.alpha <= 1.0))
      throw std::invalid_argument("kswin: alpha must be in [0, 1]");
    if (opt_.stat_size == 0) throw std::invalid_argument("kswin: stat_size must be > 0");
    if (opt_.window_size < opt_.stat_size)
      throw std::invalid_argument("kswin: stat_size must be smaller than window_size");
    if (opt_.window_size - opt_.stat_size < opt_.stat_size)
      throw std::invalid_argument(
          "kswin: window_size - stat_size must be >= stat_size (the reference sample is drawn "
          "from the older part of the window)");
    ring_.assign(opt_.window_size, 0.0);
    ordered_.reserve(opt_.window_size + 1);
    picked_.assign(opt_.window_size, 0);
    reset();
    // River keeps the initial window only until the first reset.
    for (double x : opt_.window) push(x);
  }

  void update(double x) {
    if (drift_) reset();
    ++n_;
    push(x);
    if (size_ < opt_.window_size) return;
    const std::size_t older = opt_.window_size - opt_.stat_size;
    rng_.sample_range(older, opt_.stat_size, picks_, scratch_);
    // Instead of sorting both samples, walk the window kept in value order once: each value is in
    // the reference sample (a picked older position), the recent one (the newest stat_size) or
    // neither. D is the largest count difference after a run of equal values, as in the sorted
    // two-sample walk. NaNs are not in the ordered window: they sort last, where both
    // distribution functions reach 1.
    for (std::size_t r : picks_) picked_[r] = 1;
    const std::uint64_t oldest = pushed_ - opt_.window_size;
    long in_reference = 0, in_recent = 0, max_diff = 0;
    const std::size_t m = ordered_.size();
    for (std::size_t k = 0; k < m; ++k) {
      const std::size_t pos = static_cast<std::size_t>(ordered_[k].seq - oldest);
      if (pos >= older)
        ++in_recent;
      else
        in_reference += picked_[pos];
      if (k + 1 == m || ordered_[k + 1].value != ordered_[k].value) {
        const long diff =
            in_reference > in_recent ? in_reference - in_recent : in_recent - in_reference;
        if (diff > max_diff) max_diff = diff;
      }
    }
    for (std::size_t r : picks_) picked_[r] = 0;
    const ks_result test =
        ks_detail::equal_sizes(opt_.stat_size, static_cast<std::size_t>(max_diff));
    p_value_ = test.p_value;
    statistic_ = test.statistic;
    drift_ = p_value_ <= opt_.alpha && statistic_ > 0.1;
  }

  bool drift_detected() const noexcept { return drift_; }

  void reset() {
    drift_ = false;
    n_ = 0;
    size_ = 0;
    head_ = 0;
    pushed_ = 0;
    ordered_.clear();
    p_value_ = 0.0;
    statistic_ = 0.0;
    rng_.seed_with(opt_.seed.value_or(0));
  }

  /// p-value and D of the last test (0 before the window first filled).
  double p_value() const noexcept { return p_value_; }
  double statistic() const noexcept { return statistic_; }
  const kswin_options& options() const noexcept { return opt_; }

  /// The window (in arrival order and in value order), counters, last test, flag and generator
  /// (snapshot/archive.hpp); a loader fills a detector made with the same options and refuses a
  /// window that does not match them.
  template <class Archive>
  void state(Archive& a) {
    std::vector<double> ordered_values;
    std::vector<std::uint64_t> ordered_seqs;
    if constexpr (!Archive::loading) {
      ordered_values.reserve(ordered_.size());
      ordered_seqs.reserve(ordered_.size());
      for (const entry& e : ordered_) {
        ordered_values.push_back(e.value);
        ordered_seqs.push_back(e.seq);
      }
    }
    a("ring", ring_);
    a("ordered_values", ordered_values);
    a("ordered_seqs", ordered_seqs);
    a("size", size_);
    a("head", head_);
    a("n", n_);
    a("pushed", pushed_);
    a("p_value", p_value_);
    a("statistic", statistic_);
    a("drift", drift_);
    a("rng", rng_);
    if constexpr (Archive::loading) {
      const std::size_t w = opt_.window_size;
      a.check(ring_.size() == w, "the window differs from window_size");
      a.check(size_ <= w, "more values than window_size");
      a.check(size_ < w ? pushed_ == size_ && head_ == size_
                        : pushed_ >= w && head_ == static_cast<std::size_t>(pushed_ % w),
              "window position inconsistent with its count");
      a.check(ordered_values.size() == ordered_seqs.size(), "ordered values and arrivals differ");
      // The ordered window is exactly the window's numbers, each at its arrival, in value order.
      std::size_t numbers = 0;
      for (std::size_t i = 0; i < size_; ++i) numbers += ring_[i] == ring_[i];
      a.check(ordered_values.size() == numbers, "the ordered window differs from the window");
      std::vector<unsigned char> seen(w, 0);
      for (std::size_t k = 0; k < ordered_values.size(); ++k) {
        const std::uint64_t seq = ordered_seqs[k];
        a.check(seq < pushed_ && pushed_ - seq <= size_, "an ordered value outside the window");
        const auto slot = static_cast<std::size_t>(seq % w);
        a.check(!seen[slot] && ring_[slot] == ordered_values[k],
                "the ordered window differs from the window");
        seen[slot] = 1;
        a.check(k == 0 || ordered_values[k - 1] <= ordered_values[k],
                "the ordered window is out of order");
      }
      ordered_.clear();
      for (std::size_t k = 0; k < ordered_values.size(); ++k)
        ordered_.push_back(entry{ordered_values[k], ordered_seqs[k]});
      std::fill(picked_.begin(), picked_.end(), 0);
    }
  }

 private:
  struct entry {
    double value;
    std::uint64_t seq;  // arrival number since the last reset
  };

  void push(double x) {
    if (size_ == opt_.window_size) {
      const double leaving = ring_[head_];
      if (leaving == leaving) {
        const std::uint64_t leaving_seq = pushed_ - opt_.window_size;
        auto it = std::lower_bound(ordered_.begin(), ordered_.end(), leaving,
                                   [](const entry& e, double v) { return e.value < v; });
        while (it->seq != leaving_seq) ++it;
        ordered_.erase(it);
      }
      ring_[head_] = x;
      head_ = head_ + 1 == opt_.window_size ? 0 : head_ + 1;
    } else {
      ring_[size_++] = x;
      head_ = size_ == opt_.window_size ? 0 : size_;
    }
    if (x == x) {
      auto it = std::upper_bound(ordered_.begin(), ordered_.end(), x,
                                 [](double v, const entry& e) { return v < e.value; });
      ordered_.insert(it, entry{x, pushed_});
    }
    ++pushed_;
  }

  kswin_options opt_;
  std::vector<double> ring_;
  std::vector<entry> ordered_;         // the window's non-NaN values in value order
  std::vector<unsigned char> picked_;  // 1 at the older positions drawn for the reference sample
  std::size_t size_ = 0, head_ = 0;
  std::uint64_t n_ = 0, pushed_ = 0;
  detail::python_random rng_;
  std::vector<std::size_t> picks_, scratch_;
  double p_value_ = 0.0, statistic_ = 0.0;
  bool drift_ = false;
};

}  // namespace riptide::drift

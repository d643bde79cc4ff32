// riptide/drift/page_hinkley.hpp: the Page-Hinkley test for a change in the mean (Page, 1954).
//
// Tracks the running mean of the input and two cumulative, faded sums of deviations from it:
//   up   = alpha * up   + (x - mean) - delta    (an increase drives it above its minimum)
//   down = alpha * down + (x - mean) + delta    (a decrease drives it below its maximum)
// and reports drift once at least min_instances values were seen and the distance of a sum from
// its running extreme exceeds `threshold` (lambda). `mode` picks which direction counts. No
// warning zone. The next update after a detection starts afresh (as River). state() lists the
// mean, sums and flag (snapshot/archive.hpp).
//
// Parameters (River's drift.PageHinkley names and defaults):
//   min_instances = 30        values seen before any detection
//   delta = 0.005             magnitude of change tolerated
//   threshold = 50.0          detection threshold (lambda)
//   alpha = 1 - 0.0001        forgetting factor of the cumulative sums
//   mode = both               up (increases), down (decreases) or both
//
// References: E. S. Page. Continuous inspection schemes. Biometrika 41(1/2), 1954.
// R. Sebastiao, J. M. Fernandes. Supporting the Page-Hinkley test with empirical mode
// decomposition for change detection. ISMIS 2017.
//
// Example:
//   riptide::drift::page_hinkley ph{{.threshold = 20.0}};
//   long detected_at = -1;
//   for (int i = 0; i < 600 && detected_at < 0; ++i) {
//     ph.update(i < 300 ? 0.0 : 2.0);
//     if (ph.drift_detected()) detected_at = i;
//   }
//   if (detected_at < 300 || detected_at > 320) std::abort();
#pragma once

#include <limits>
#include <type_traits>

#include "riptide/param.hpp"

namespace riptide::drift {

struct page_hinkley_options {
  enum class direction { up, down, both };
  int min_instances = 30;
  double delta = 0.005;
  double threshold = 50.0;
  double alpha = 1 - 0.0001;
  direction mode = direction::both;
};

/// Page-Hinkley's parameters, River's names (riptide/param.hpp: flags, help, reports,
/// make_detector). Like River, any threshold and forgetting factor are accepted.
constexpr auto parameters(std::type_identity<page_hinkley_options>) {
  using o = page_hinkley_options;
  using dir = o::direction;
  return declare_params(
      "page-hinkley", param{"min_instances", &o::min_instances, "values seen before any detection"},
      param{"delta", &o::delta, "magnitude of change tolerated"},
      param{"threshold", &o::threshold, "detection threshold (lambda)"},
      param{"alpha", &o::alpha, "forgetting factor of the cumulative sums"},
      param{"mode", &o::mode, "up (increases), down (decreases) or both"}
          .choice("up", dir::up)
          .choice("down", dir::down)
          .choice("both", dir::both));
}

class page_hinkley {
 public:
  using direction = page_hinkley_options::direction;

  // Like River, any threshold and forgetting factor are accepted.
  explicit page_hinkley(page_hinkley_options options = {}) : opt_(options) { reset(); }

  void update(double x) {
    if (drift_) reset();
    n_ += 1.0;
    mean_ += (1.0 / n_) * (x - mean_);
    const double dev = x - mean_;
    sum_increase_ = opt_.alpha * sum_increase_ + dev - opt_.delta;
    sum_decrease_ = opt_.alpha * sum_decrease_ + dev + opt_.delta;
    if (sum_increase_ < min_increase_) min_increase_ = sum_increase_;
    if (sum_decrease_ > max_decrease_) max_decrease_ = sum_decrease_;
    if (n_ >= static_cast<double>(opt_.min_instances)) {
      const bool up = sum_increase_ - min_increase_ > opt_.threshold;
      const bool down = max_decrease_ - sum_decrease_ > opt_.threshold;
      drift_ = opt_.mode == direction::up ? up : opt_.mode == direction::down ? down : (up || down);
    }
  }

  bool drift_detected() const noexcept { return drift_; }

  void reset() noexcept {
    drift_ = false;
    n_ = 0.0;
    mean_ = 0.0;
    sum_increase_ = sum_decrease_ = 0.0;
    min_increase_ = std::numeric_limits<double>::infinity();
    max_decrease_ = -1.0;  // River starts the maximum at -1, not -inf
  }

  /// Current test statistics: distance of each cumulative sum from its running extreme.
  double increase_statistic() const noexcept { return sum_increase_ - min_increase_; }
  double decrease_statistic() const noexcept { return max_decrease_ - sum_decrease_; }
  const page_hinkley_options& options() const noexcept { return opt_; }

  /// Count, mean, cumulative sums, their extremes and the flag (snapshot/archive.hpp).
  template <class Archive>
  void state(Archive& a) {
    a("n", n_);
    a("mean", mean_);
    a("sum_increase", sum_increase_);
    a("sum_decrease", sum_decrease_);
    a("min_increase", min_increase_);
    a("max_decrease", max_decrease_);
    a("drift", drift_);
  }

 private:
  page_hinkley_options opt_;
  double n_ = 0.0, mean_ = 0.0;
  double sum_increase_ = 0.0, sum_decrease_ = 0.0;
  double min_increase_ = 0.0, max_decrease_ = 0.0;
  bool drift_ = false;
};

}  // namespace riptide::drift

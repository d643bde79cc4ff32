// riptide/drift/ddm.hpp: DDM, the Drift Detection Method (Gama et al., 2004).
//
// Watches a stream of 0/1 errors (1 = the model was wrong). With p the error rate so far and
// s = sqrt(p (1 - p) / n), it remembers p_min and s_min where p + s was smallest, and after
// warm_start inputs reports
//   warning when p + s > p_min + warning_threshold * s_min,
//   drift   when p + s > p_min + drift_threshold * s_min (and then no warning).
// The next update after a drift starts afresh (as River's drift.binary.DDM). state() lists the
// running rate, minimum and flags (snapshot/archive.hpp).
//
// Parameters (River's names and defaults):
//   warm_start = 30            inputs before any warning or drift
//   warning_threshold = 2.0    about 95% confidence
//   drift_threshold = 3.0      about 99% confidence
//
// Reference: J. Gama, P. Medas, G. Castillo, P. Rodrigues. Learning with drift detection.
// SBIA 2004, 286-295.
//
// Example:
//   riptide::drift::ddm detector;
//   long detected_at = -1;
//   for (int i = 0; i < 2000 && detected_at < 0; ++i) {
//     detector.update(i < 1000 ? (i % 10 == 0) : (i % 2 == 0));  // 10% then 50% errors
//     if (detector.drift_detected()) detected_at = i;
//   }
//   if (detected_at < 1000 || detected_at > 1200) std::abort();
#pragma once

#include <cmath>
#include <limits>
#include <type_traits>

#include "riptide/param.hpp"

namespace riptide::drift {

struct ddm_options {
  int warm_start = 30;
  double warning_threshold = 2.0;
  double drift_threshold = 3.0;
};

/// DDM's parameters, River's names (riptide/param.hpp: flags, help, reports, make_detector).
/// Like River, any thresholds are accepted.
constexpr auto parameters(std::type_identity<ddm_options>) {
  using o = ddm_options;
  return declare_params(
      "ddm", param{"warm_start", &o::warm_start, "inputs before any warning or drift"},
      param{"warning_threshold", &o::warning_threshold, "warning level, in standard deviations"},
      param{"drift_threshold", &o::drift_threshold, "drift level, in standard deviations"});
}

class ddm {
 public:
  // Like River, any thresholds are accepted (a warning threshold above the drift threshold
  // simply never warns before a drift).
  explicit ddm(ddm_options options = {}) : opt_(options) { reset(); }

  /// x: 1 for an error, 0 for a correct prediction.
  void update(double x) {
    if (drift_) reset();
    n_ += 1.0;
    p_ += (1.0 / n_) * (x - p_);
    const double s = std::sqrt(p_ * (1 - p_) / n_);
    if (n_ > static_cast<double>(opt_.warm_start)) {
      if (p_ + s <= ps_min_) {
        p_min_ = p_;
        s_min_ = s;
        ps_min_ = p_min_ + s_min_;
      }
      warning_ = p_ + s > p_min_ + opt_.warning_threshold * s_min_;
      if (p_ + s > p_min_ + opt_.drift_threshold * s_min_) {
        drift_ = true;
        warning_ = false;
      }
    }
  }

  bool drift_detected() const noexcept { return drift_; }
  bool warning_detected() const noexcept { return warning_; }

  void reset() noexcept {
    drift_ = warning_ = false;
    n_ = p_ = 0.0;
    p_min_ = s_min_ = 0.0;
    ps_min_ = std::numeric_limits<double>::infinity();
  }

  /// Error rate since the last reset.
  double error_rate() const noexcept { return p_; }
  const ddm_options& options() const noexcept { return opt_; }

  /// Count, error rate, minimum and flags (snapshot/archive.hpp).
  template <class Archive>
  void state(Archive& a) {
    a("n", n_);
    a("p", p_);
    a("p_min", p_min_);
    a("s_min", s_min_);
    a("ps_min", ps_min_);
    a("drift", drift_);
    a("warning", warning_);
  }

 private:
  ddm_options opt_;
  double n_ = 0.0, p_ = 0.0;
  double p_min_ = 0.0, s_min_ = 0.0, ps_min_ = 0.0;
  bool drift_ = false, warning_ = false;
};

}  // namespace riptide::drift

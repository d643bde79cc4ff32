// riptide/drift/eddm.hpp: EDDM, the Early Drift Detection Method (Baena-Garcia et al., 2006).
//
// Watches a stream of 0/1 errors (1 = the model was wrong) through the distance between
// consecutive errors: with p' and s' the mean and standard deviation of those distances, it keeps
// the maximum of p' + 2 s' and, once more than warm_start inputs and more than warm_start errors
// were seen, compares level = (p' + 2 s') / max at every error:
//   level < beta  -> drift,   level < alpha -> warning,   otherwise no warning.
// Only errors (x == 1) update the statistics. The next update after a drift starts afresh (as
// River's drift.binary.EDDM). state() lists the counts, distance statistics and flags
// (snapshot/archive.hpp).
//
// Parameters (River's names and defaults):
//   warm_start = 30   inputs and errors before any warning or drift
//   alpha = 0.95      warning threshold (must be >= beta)
//   beta = 0.9        drift threshold
//
// Reference: M. Baena-Garcia, J. del Campo-Avila, R. Fidalgo, A. Bifet, R. Gavalda,
// R. Morales-Bueno. Early drift detection method. 4th Int. Workshop on Knowledge Discovery from
// Data Streams, 2006.
//
// Example:
//   riptide::drift::eddm detector{{.alpha = 0.8, .beta = 0.75}};
//   long detected_at = -1;
//   for (int i = 0; i < 3000 && detected_at < 0; ++i) {
//     detector.update(i < 1500 ? (i % 20 == 19) : (i % 2 == 0));  // errors get 10x denser
//     if (detector.drift_detected()) detected_at = i;
//   }
//   if (detected_at < 1500 || detected_at > 2000) std::abort();
#pragma once

#include <cmath>
#include <stdexcept>
#include <type_traits>

#include "riptide/param.hpp"

namespace riptide::drift {

struct eddm_options {
  int warm_start = 30;
  double alpha = 0.95;
  double beta = 0.9;
};

/// EDDM's parameters, River's names (riptide/param.hpp: flags, help, reports, make_detector).
/// The constructor checks alpha >= beta.
constexpr auto parameters(std::type_identity<eddm_options>) {
  using o = eddm_options;
  return declare_params(
      "eddm", param{"warm_start", &o::warm_start, "inputs and errors before any warning or drift"},
      param{"alpha", &o::alpha, "warning level (must be >= beta)"},
      param{"beta", &o::beta, "drift level"});
}

class eddm {
 public:
  explicit eddm(eddm_options options = {}) : opt_(options) {
    if (opt_.alpha < opt_.beta) throw std::invalid_argument("eddm: alpha must be >= beta");
    reset();
  }

  /// x: 1 for an error, 0 for a correct prediction (anything but 1 counts as correct).
  void update(double x) {
    if (drift_) reset();
    n_ += 1.0;
    if (x == 1.0) {
      n_errors_ += 1.0;
      // Welford update of the distance between this error and the previous one.
      const double distance = n_ - last_error_;
      const double mean_old = dist_mean_;
      dist_n_ += 1.0;
      dist_mean_ += (1.0 / dist_n_) * (distance - dist_mean_);
      dist_s_ += (distance - mean_old) * (distance - dist_mean_);
      if (n_ > static_cast<double>(opt_.warm_start)) {
        const double variance = dist_n_ > 1.0 ? dist_s_ / (dist_n_ - 1.0) : 0.0;
        const double p2s = dist_mean_ + 2 * std::sqrt(variance);
        if (p2s > p2s_max_) {
          p2s_max_ = p2s;
        } else if (n_errors_ > static_cast<double>(opt_.warm_start)) {
          const double level = p2s / p2s_max_;
          if (level < opt_.beta)
            drift_ = true;
          else if (level < opt_.alpha)
            warning_ = true;
          else
            warning_ = false;
        }
      }
      last_error_ = n_;
    }
  }

  bool drift_detected() const noexcept { return drift_; }
  bool warning_detected() const noexcept { return warning_; }

  void reset() noexcept {
    drift_ = warning_ = false;
    n_ = n_errors_ = last_error_ = 0.0;
    dist_n_ = dist_mean_ = dist_s_ = 0.0;
    p2s_max_ = -1.0;
  }

  const eddm_options& options() const noexcept { return opt_; }

  /// Counts, distance statistics, maximum and flags (snapshot/archive.hpp).
  template <class Archive>
  void state(Archive& a) {
    a("n", n_);
    a("n_errors", n_errors_);
    a("last_error", last_error_);
    a("dist_n", dist_n_);
    a("dist_mean", dist_mean_);
    a("dist_s", dist_s_);
    a("p2s_max", p2s_max_);
    a("drift", drift_);
    a("warning", warning_);
  }

 private:
  eddm_options opt_;
  double n_ = 0.0, n_errors_ = 0.0, last_error_ = 0.0;
  double dist_n_ = 0.0, dist_mean_ = 0.0, dist_s_ = 0.0;
  double p2s_max_ = -1.0;
  bool drift_ = false, warning_ = false;
};

}  // namespace riptide::drift

// riptide/drift/hddm_a.hpp: HDDM_A, drift detection with Hoeffding's bounds on moving averages
// (Frias-Blanco et al., 2014; as implemented in MOA and River's drift.binary.HDDM_A / HDDMA).
//
// Watches a stream of 0/1 errors (1 = the model was wrong). It keeps the global mean Z and a cut
// point X_min (the prefix whose mean plus Hoeffding bound was smallest); an increase of the mean
// after the cut beyond the bound for `drift_confidence` is a drift, beyond the bound for
// `warning_confidence` a warning. With two_sided_test it also watches decreases (cut X_max).
// The next update after a drift starts afresh. state() lists the means and flags
// (snapshot/archive.hpp).
//
// Parameters (River's names and defaults):
//   drift_confidence = 0.001     confidence level of the drift test
//   warning_confidence = 0.005   confidence level of the warning test
//   two_sided_test = false       also detect a decreasing error rate
//
// Reference: I. Frias-Blanco, J. del Campo-Avila, G. Ramos-Jimenez, R. Morales-Bueno,
// A. Ortiz-Diaz, Y. Caballero-Mota. Online and non-parametric drift detection methods based on
// Hoeffding's bounds. IEEE TKDE 27(3), 2015.
//
// Example:
//   riptide::drift::hddm_a detector;
//   long detected_at = -1;
//   for (int i = 0; i < 2000 && detected_at < 0; ++i) {
//     detector.update(i < 1000 ? (i % 10 == 0) : (i % 2 == 0));  // 10% then 50% errors
//     if (detector.drift_detected()) detected_at = i;
//   }
//   if (detected_at < 1000 || detected_at > 1200) std::abort();
#pragma once

#include <cmath>
#include <stdexcept>
#include <type_traits>

#include "riptide/param.hpp"

namespace riptide::drift {

struct hddm_a_options {
  double drift_confidence = 0.001;
  double warning_confidence = 0.005;
  bool two_sided_test = false;
};

/// HDDM_A's parameters, River's names (riptide/param.hpp: flags, help, reports, make_detector).
constexpr auto parameters(std::type_identity<hddm_a_options>) {
  using o = hddm_a_options;
  return declare_params(
      "hddm-a", param{"drift_confidence", &o::drift_confidence, "drift test confidence"}.above(0),
      param{"warning_confidence", &o::warning_confidence, "warning test confidence"}.above(0),
      param{"two_sided_test", &o::two_sided_test, "also detect a decreasing error rate"});
}

class hddm_a {
 public:
  explicit hddm_a(hddm_a_options options = {}) : opt_(options) {
    if (!(opt_.drift_confidence > 0.0) || !(opt_.warning_confidence > 0.0))
      throw std::invalid_argument("hddm_a: confidences must be > 0");
    log_inv_drift_ = std::log(1.0 / opt_.drift_confidence);
    log2_drift_ = std::log(2.0 / opt_.drift_confidence);
    log2_warning_ = std::log(2.0 / opt_.warning_confidence);
    reset();
  }

  /// x: 1 for an error, 0 for a correct prediction.
  void update(double x) {
    if (drift_) reset();
    z_.add(x);
    if (x_min_.n == 0.0) x_min_ = z_;
    if (x_max_.n == 0.0) x_max_ = z_;

    const double eps_z = hoeffding_bound(z_.n);
    if (x_min_.mean + hoeffding_bound(x_min_.n) >= z_.mean + eps_z) x_min_ = z_;
    if (x_max_.mean - hoeffding_bound(x_max_.n) <= z_.mean - eps_z) x_max_ = z_;

    if (mean_increased(log2_drift_)) {
      warning_ = false;
      drift_ = true;
    } else if (mean_increased(log2_warning_)) {
      warning_ = true;
      drift_ = false;
    } else {
      warning_ = false;
      drift_ = false;
    }
    if (opt_.two_sided_test) {
      if (mean_decreased(log2_drift_))
        drift_ = true;
      else if (mean_decreased(log2_warning_))
        warning_ = true;
    }
  }

  bool drift_detected() const noexcept { return drift_; }
  bool warning_detected() const noexcept { return warning_; }

  void reset() noexcept {
    drift_ = warning_ = false;
    z_ = x_min_ = x_max_ = running_mean{};
  }

  /// Error rate since the last reset.
  double error_rate() const noexcept { return z_.mean; }
  const hddm_a_options& options() const noexcept { return opt_; }

  /// The running mean, its remembered extremes and flags (snapshot/archive.hpp).
  template <class Archive>
  void state(Archive& a) {
    a("z", z_);
    a("x_min", x_min_);
    a("x_max", x_max_);
    a("drift", drift_);
    a("warning", warning_);
  }

 private:
  struct running_mean {
    double n = 0.0, mean = 0.0;
    template <class Archive>
    void state(Archive& a) {
      a("n", n);
      a("mean", mean);
    }
    void add(double x) noexcept {
      n += 1.0;
      mean += (1.0 / n) * (x - mean);
    }
  };

  double hoeffding_bound(double n) const noexcept {
    return std::sqrt(1.0 / (2 * n) * log_inv_drift_);
  }
  // log_two_over_confidence: ln(2 / confidence) of the drift or the warning test.
  bool mean_increased(double log_two_over_confidence) const noexcept {
    if (x_min_.n == z_.n) return false;
    const double m = (z_.n - x_min_.n) / x_min_.n * (1.0 / z_.n);
    const double eps = std::sqrt(m / 2 * log_two_over_confidence);
    return z_.mean - x_min_.mean >= eps;
  }
  bool mean_decreased(double log_two_over_confidence) const noexcept {
    if (x_max_.n == z_.n) return false;
    const double m = (z_.n - x_max_.n) / x_max_.n * (1.0 / z_.n);
    const double eps = std::sqrt(m / 2 * log_two_over_confidence);
    return x_max_.mean - z_.mean >= eps;
  }

  hddm_a_options opt_;
  double log_inv_drift_ = 0.0, log2_drift_ = 0.0, log2_warning_ = 0.0;
  running_mean z_, x_min_, x_max_;
  bool drift_ = false, warning_ = false;
};

}  // namespace riptide::drift

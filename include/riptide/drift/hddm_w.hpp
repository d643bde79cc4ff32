// riptide/drift/hddm_w.hpp: HDDM_W, drift detection with McDiarmid's bounds on exponentially
// weighted moving averages (Frias-Blanco et al., 2014; as implemented in MOA and River's
// drift.binary.HDDM_W / HDDMW).
//
// Watches a stream of 0/1 errors (1 = the model was wrong). It keeps the EWMA of all inputs and,
// at the cut point where EWMA + bound was lowest, starts a second EWMA of the inputs after it;
// that second average exceeding the first by the McDiarmid bound for `drift_confidence` is a
// drift, for `warning_confidence` a warning. With two_sided_test it also watches decreases.
// The next update after a drift starts afresh. state() lists the averages, cut points and flags
// (snapshot/archive.hpp).
//
// Parameters (River's names and defaults; River calls lambda `lambda_val`):
//   drift_confidence = 0.001     confidence level of the drift test
//   warning_confidence = 0.005   confidence level of the warning test
//   lambda = 0.05                weight of the newest input in the EWMAs
//   two_sided_test = false       also detect a decreasing error rate
//
// Reference: I. Frias-Blanco, J. del Campo-Avila, G. Ramos-Jimenez, R. Morales-Bueno,
// A. Ortiz-Diaz, Y. Caballero-Mota. Online and non-parametric drift detection methods based on
// Hoeffding's bounds. IEEE TKDE 27(3), 2015.
//
// Example:
//   riptide::drift::hddm_w detector{{.lambda = 0.05}};
//   long detected_at = -1;
//   for (int i = 0; i < 2000 && detected_at < 0; ++i) {
//     detector.update(i < 1000 ? (i % 10 == 0) : (i % 2 == 0));  // 10% then 50% errors
//     if (detector.drift_detected()) detected_at = i;
//   }
//   if (detected_at < 1000 || detected_at > 1200) std::abort();
#pragma once

#include <cmath>
#include <limits>
#include <stdexcept>
#include <type_traits>

#include "riptide/param.hpp"

namespace riptide::drift {

struct hddm_w_options {
  double drift_confidence = 0.001;
  double warning_confidence = 0.005;
  double lambda = 0.05;
  bool two_sided_test = false;
};

/// HDDM_W's parameters, River's names (riptide/param.hpp: flags, help, reports, make_detector);
/// River calls lambda `lambda_val`, and `lambda` is read as well.
constexpr auto parameters(std::type_identity<hddm_w_options>) {
  using o = hddm_w_options;
  return declare_params(
      "hddm-w", param{"drift_confidence", &o::drift_confidence, "drift test confidence"}.above(0),
      param{"warning_confidence", &o::warning_confidence, "warning test confidence"}.above(0),
      param{"lambda_val", &o::lambda, "weight of each new input"}.within(0, 1).alias("lambda"),
      param{"two_sided_test", &o::two_sided_test, "also detect a decreasing error rate"});
}

class hddm_w {
 public:
  explicit hddm_w(hddm_w_options options = {}) : opt_(options) {
    if (!(opt_.drift_confidence > 0.0) || !(opt_.warning_confidence > 0.0))
      throw std::invalid_argument("hddm_w: confidences must be > 0");
    if (!(opt_.lambda >= 0.0 && opt_.lambda <= 1.0))
      throw std::invalid_argument("hddm_w: lambda must be in [0, 1]");
    lambda_sq_ = opt_.lambda * opt_.lambda;
    one_minus_lambda_ = 1.0 - opt_.lambda;
    c_lambda_sq_ = one_minus_lambda_ * one_minus_lambda_;
    log_inv_drift_ = std::log(1 / opt_.drift_confidence);
    log_inv_warning_ = std::log(1 / opt_.warning_confidence);
    reset();
  }

  /// x: 1 for an error, 0 for a correct prediction.
  void update(double x) {
    if (drift_) reset();
    add(total_, x);

    const double eps = mcdiarmid_bound(total_.ibc, log_inv_drift_);
    if (total_.ewma + eps < incr_cutpoint_) {
      incr_cutpoint_ = total_.ewma + eps;
      s1_incr_ = total_;
      s2_incr_ = sample{};
    } else {
      add(s2_incr_, x);
    }
    if (changed(s1_incr_, s2_incr_, log_inv_drift_)) {
      warning_ = false;
      drift_ = true;
    } else if (changed(s1_incr_, s2_incr_, log_inv_warning_)) {
      warning_ = true;
      drift_ = false;
    } else {
      warning_ = false;
      drift_ = false;
    }

    if (total_.ewma - eps > decr_cutpoint_) {
      decr_cutpoint_ = total_.ewma - eps;
      s1_decr_ = total_;
      s2_decr_ = sample{};
    } else {
      add(s2_decr_, x);
    }
    if (opt_.two_sided_test) {
      if (changed(s2_decr_, s1_decr_, log_inv_drift_))
        drift_ = true;
      else if (changed(s2_decr_, s1_decr_, log_inv_warning_))
        warning_ = true;
    }
  }

  bool drift_detected() const noexcept { return drift_; }
  bool warning_detected() const noexcept { return warning_; }

  void reset() noexcept {
    drift_ = warning_ = false;
    total_ = s1_incr_ = s2_incr_ = s1_decr_ = s2_decr_ = sample{};
    incr_cutpoint_ = std::numeric_limits<double>::infinity();
    decr_cutpoint_ = -std::numeric_limits<double>::infinity();
  }

  /// EWMA of all inputs since the last reset.
  double error_rate() const noexcept { return total_.ewma; }
  const hddm_w_options& options() const noexcept { return opt_; }

  /// The EWMA samples, cut points and flags (snapshot/archive.hpp).
  template <class Archive>
  void state(Archive& a) {
    a("total", total_);
    a("s1_incr", s1_incr_);
    a("s2_incr", s2_incr_);
    a("s1_decr", s1_decr_);
    a("s2_decr", s2_decr_);
    a("incr_cutpoint", incr_cutpoint_);
    a("decr_cutpoint", decr_cutpoint_);
    a("drift", drift_);
    a("warning", warning_);
  }

 private:
  // An EWMA with its independent bounded condition sum (ibc) as in MOA's SampleInfo.
  struct sample {
    double ewma = 0.0;
    double ibc = 1.0;
    bool initialized = false;
    template <class Archive>
    void state(Archive& a) {
      a("ewma", ewma);
      a("ibc", ibc);
      a("initialized", initialized);
    }
  };

  void add(sample& s, double x) const noexcept {
    // River's EWMean: the first value is taken as is, then lambda x + (1 - lambda) ewma.
    s.ewma = s.initialized ? opt_.lambda * x + one_minus_lambda_ * s.ewma : x;
    s.initialized = true;
    s.ibc = lambda_sq_ + c_lambda_sq_ * s.ibc;
  }
  // log_inv_confidence: ln(1 / confidence) of the drift or the warning test.
  static double mcdiarmid_bound(double ibc, double log_inv_confidence) noexcept {
    return std::sqrt(ibc * log_inv_confidence / 2);
  }
  // Whether `later`'s mean exceeds `earlier`'s by more than the bound.
  static bool changed(const sample& earlier, const sample& later,
                      double log_inv_confidence) noexcept {
    if (!(earlier.initialized && later.initialized)) return false;
    return later.ewma - earlier.ewma > mcdiarmid_bound(earlier.ibc + later.ibc, log_inv_confidence);
  }

  hddm_w_options opt_;
  double lambda_sq_ = 0.0, one_minus_lambda_ = 1.0, c_lambda_sq_ = 1.0;
  double log_inv_drift_ = 0.0, log_inv_warning_ = 0.0;
  sample total_, s1_incr_, s2_incr_, s1_decr_, s2_decr_;
  double incr_cutpoint_ = 0.0, decr_cutpoint_ = 0.0;
  bool drift_ = false, warning_ = false;
};

}  // namespace riptide::drift

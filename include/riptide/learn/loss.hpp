// riptide/learn/loss.hpp: the losses of the linear classifiers (log loss, hinge), on the margin.
//
// A loss sees the margin m = w.x + b and the label y in {0, 1} (written s = 2y - 1 in {-1, +1}).
//   log_loss:   log(1 + exp(-s m)), probability sigmoid(m)            (logistic regression)
//   hinge_loss: max(0, 1 - s m),    score sigmoid(m), not calibrated  (linear SVM)
// Besides value and derivative, each loss solves its own importance-invariant update
// (Karampatziakis & Langford 2011, "Online Importance Weight Aware Updates"): given the signed
// margin q0 = s m and the amount of gradient flow h (learning rate x importance x the squared
// norm of the step direction), `invariant_margin` returns the signed margin q1 reached by
// following the gradient continuously, so that a large step never overshoots the loss's minimum;
// `invariant_step` returns q1 - q0 (without the cancellation) and `invariant_rate` (q1 - q0) / h,
// what the update multiplies by.
//
// Example:
//   using riptide::learn::log_loss;
//   if (log_loss::dmargin(0.0f, true) != -0.5f) std::abort();
//   // a huge step on a misclassified example stops short of infinity but lands on the right side
//   const double q1 = log_loss::invariant_margin(-2.0, 1e3);
//   if (!(q1 > 0.0 && q1 < 10.0)) std::abort();
#pragma once

#include <algorithm>
#include <cmath>

namespace riptide::learn {

namespace detail {
/// sigmoid(m) computed without overflow for large |m|: 1 / (1 + e^-m) for m >= 0, e^m / (1 + e^m)
/// below. One exp of -|m| and a select, not a branch on the sign (which a learner's margins
/// flip unpredictably).
inline float sigmoid(float m) noexcept {
  const float e = std::exp(-std::fabs(m));
  return (m >= 0.0f ? 1.0f : e) / (1.0f + e);
}

/// W(e^c) where W is the principal branch of Lambert's W: the w > 0 with w + log(w) = c.
/// Newton's method on f(w) = w + log w - c from an asymptotic start; converges in a few steps.
inline double lambert_w_of_exp(double c) noexcept {
  double w = c > 1.0 ? c - std::log(c) : std::exp(c);
  for (int i = 0; i < 8; ++i) {
    const double f = w + std::log(w) - c;
    const double next = w - f / (1.0 + 1.0 / w);
    w = next > 0.0 ? next : w * 0.5;
    if (std::fabs(f) < 1e-12 * (1.0 + std::fabs(c))) break;
  }
  return w;
}
}  // namespace detail

struct log_loss {
  static constexpr const char* name = "log";
  static float value(float m, bool y) noexcept {
    const float z = y ? -m : m;  // log(1 + e^z), stable
    return z > 0.0f ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z));
  }
  /// d loss / d margin = sigmoid(m) - y.
  static float dmargin(float m, bool y) noexcept { return detail::sigmoid(m) - (y ? 1.0f : 0.0f); }
  static float proba(float m) noexcept { return detail::sigmoid(m); }
  /// -d loss / d q at the signed margin q = s m, the speed of the gradient flow: 1 / (1 + e^q)
  /// (dmargin(m, y) is -s times it).
  static float descent(float q) noexcept { return detail::sigmoid(-q); }
  /// q1 - q0 of invariant_margin. For the usual small step (h s <= 1/32 with s = 1 / (1 + e^q0),
  /// the first-order step) the Taylor series of the flow in t: q^(n)(0) = s^n P_n(s), so
  /// q1 - q0 = sum (h s)^n / n! P_n(s), P_1..5 = 1, s - 1, 3s^2 - 5s + 2,
  /// 15s^3 - 35s^2 + 26s - 6, 105s^4 - 315s^3 + 340s^2 - 154s + 24 (from dq/dt = s(q),
  /// ds/dt = -s^2 (1 - s)); the remainder is below (h s)^6 / 6 (|P_6| <= 120, s falls along the
  /// flow), a relative error under 5e-9 of the step: one exp and a few multiplies, where Newton
  /// waits on an exp and a division per iteration.
  static double invariant_step(double q0, double h) noexcept {
    return h > 0.0 ? h * invariant_rate(q0, h) : 0.0;
  }
  /// invariant_step(q0, h) / h, the mean slope of the flow (h > 0; for h -> 0, s). The update
  /// multiplies by it, so the small-step path needs no division.
  static double invariant_rate(double q0, double h) noexcept {
    const double e = std::exp(-std::fabs(q0));
    return invariant_rate(q0, h, q0 > 0.0 ? e / (1.0 + e) : 1.0 / (1.0 + e));
  }
  /// ... with s = descent(q0) already known (a learner has it from the gradient: one exp less on
  /// the path from one record's margin to the next's).
  static double invariant_rate(double q0, double h, double s) noexcept {
    const double a = h * s;
    if (!(a <= 1.0 / 32)) return (invariant_margin(q0, h) - q0) / h;
    const double p2 = s - 1.0;
    const double p3 = (3.0 * s - 5.0) * s + 2.0;
    const double p4 = ((15.0 * s - 35.0) * s + 26.0) * s - 6.0;
    const double p5 = (((105.0 * s - 315.0) * s + 340.0) * s - 154.0) * s + 24.0;
    // Estrin's scheme, (1 + a c1) + a^2 ((c2 + a c3) + a^2 c4): half of Horner's dependent
    // steps, and these wait on the whole record's observation (the c_n only on s)
    const double a2 = a * a;
    return s * ((1.0 + a * (p2 / 2)) + a2 * ((p3 / 6 + a * (p4 / 24)) + a2 * (p5 / 120)));
  }
  /// Solves dq/dt = 1 / (1 + e^q) for t in [0, h]: q1 + e^q1 = q0 + e^q0 + h.
  static double invariant_margin(double q0, double h) noexcept {
    if (q0 > 30.0) return q0 + h * std::exp(-q0);  // gradient ~ 0: first-order is exact enough
    const double e0 = std::exp(q0);
    const double c = q0 + e0 + h;
    // Newton on f(q) = q + e^q - c from the first-order step (itself Newton's first step from
    // q0): f is convex and increasing, so the iterates then fall monotonically to the root, and
    // the error left after a step is at most step^2 / 2 (f'' / 2f' < 1/2 right of the root): for
    // the usual small h one more exponential. A step so large that e^q would overflow takes the
    // Lambert W route, robust from any start.
    double q = q0 + h / (1.0 + e0);
    if (q > 30.0) return c - detail::lambert_w_of_exp(c);
    for (int i = 0; i < 30; ++i) {
      const double e = std::exp(q);
      const double step = (q + e - c) / (1.0 + e);
      q -= step;
      if (0.5 * step * step <= 1e-12 * (1.0 + std::fabs(q))) break;
    }
    return q;
  }
};

struct hinge_loss {
  static constexpr const char* name = "hinge";
  static float value(float m, bool y) noexcept { return std::max(0.0f, 1.0f - (y ? m : -m)); }
  /// Subgradient: -s where s m < 1, else 0.
  static float dmargin(float m, bool y) noexcept {
    const float s = y ? 1.0f : -1.0f;
    return s * m < 1.0f ? -s : 0.0f;
  }
  /// -d loss / d q at the signed margin q: 1 while q < 1, then 0.
  static float descent(float q) noexcept { return q < 1.0f ? 1.0f : 0.0f; }
  static float proba(float m) noexcept { return detail::sigmoid(m); }
  /// dq/dt = 1 while q < 1: the margin moves up to 1 and stops there.
  static double invariant_margin(double q0, double h) noexcept {
    return q0 >= 1.0 ? q0 : std::min(1.0, q0 + h);
  }
  static double invariant_step(double q0, double h) noexcept {
    return q0 >= 1.0 ? 0.0 : std::min(1.0 - q0, h);
  }
  static double invariant_rate(double q0, double h) noexcept {
    if (q0 >= 1.0) return 0.0;
    return h > 1.0 - q0 ? (1.0 - q0) / h : 1.0;
  }
  static double invariant_rate(double q0, double h, double /*descent*/) noexcept {
    return invariant_rate(q0, h);
  }
};

}  // namespace riptide::learn

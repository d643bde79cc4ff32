// riptide/learn/adaptive.hpp: normalised, adaptive, importance-invariant updates (the default of
// Vowpal Wabbit), insensitive to the scale of each feature.
//
// Per coordinate it keeps s_i, the largest |x_i| seen (normalised: when a larger value arrives the
// weight is rescaled as if that scale had been known from the start), and G_i, the sum of squared
// gradients (adaptive, as AdaGrad). The rate of coordinate i is r_i = 1 / (sqrt(G_i) s_i), and a
// global factor sqrt(T / N) (T: examples seen, N: sum of their squared normalised norms) keeps the
// step size independent of how many features a record has. The step itself is importance
// invariant: it moves the margin by the exact solution of the loss's gradient flow
// (Loss::invariant_rate) along the direction x_i r_i, so large learning rates or importance
// weights never overshoot. L2 and L1 act on the active coordinates with the same rates, both as
// proximal (implicit) steps: w / (1 + eta l2), then the L1 soft-threshold. The explicit step
// w - eta l2 w would overshoot zero, and diverge, once eta l2 > 2, which the normalised rates reach
// on features of small scale.
// Parameters (defaults): lr (0.5, as Vowpal Wabbit's -l).
// References: Ross, Mineiro & Langford, "Normalized Online Learning", UAI 2013; Duchi et al. 2011
// (adaptive); Karampatziakis & Langford, "Online Importance Weight Aware Updates", UAI 2011.
//
// Example:
//   riptide::learn::logistic model{riptide::learn::adaptive{.lr = 0.5f}};
//   std::vector<riptide::features::entry> x{{0, 1000.0f}};   // a large-scale feature
//   for (int i = 0; i < 200; ++i) {
//     x[0].value = (i % 2 ? 1000.0f : -1000.0f);
//     model.learn_one(x, i % 2 == 1);
//   }
//   if (!(model.predict_proba(x) > 0.9f)) std::abort();
#pragma once

#include <Eigen/Core>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "riptide/features/sparse_vector.hpp"
#include "riptide/learn/inline_math.hpp"
#include "riptide/learn/lanes.hpp"
#include "riptide/learn/regularization.hpp"

namespace riptide::learn {

struct adaptive {
  static constexpr const char* name = "adaptive";

  float lr = 0.5f;

  // State (public only so that the parameters above can be set by designated initialisers).
  Eigen::VectorXf g2_{};       // G_i
  Eigen::VectorXf scale_{};    // s_i
  std::vector<float> rate_{};  // r_i of the example being learned, by position in the example
  double total_weight_ = 0.0;
  double sum_norm_ = 0.0;
  float step_scale_ = 0.0f;  // lr * importance * sqrt(T / N) of the example being learned
  std::uint64_t t_ = 0;

  void grow(std::size_t n) {
    const auto old = g2_.size();
    if (static_cast<std::size_t>(old) >= n) return;
    const auto size = static_cast<Eigen::Index>(n);
    g2_.conservativeResize(size);
    scale_.conservativeResize(size);
    g2_.tail(size - old).setZero();
    scale_.tail(size - old).setZero();
  }

  // --- One example (the path of learn_one) -----------------------------------------------------
  // The model calls begin_example() with the number of the example's entries (bias included),
  // observe() for every entry, adding up into a local example_sums, then finish() with those
  // sums, then apply() for every entry. Each entry is named by its coordinate i and its position
  // `at` in the example: the rate observe() computes waits for apply() at that position (a
  // sequential buffer, not an array as large as the weights), so an entry repeated in one example
  // steps each time with the rate of its own observation. (The sums live in the caller's
  // registers: accumulated in members, each coordinate waited on the store of the previous one.)

  void begin_example(std::size_t entries) {
    // (the lane steps read and write positions at..at + 3 of entries the example has: no padding)
    if (rate_.size() < entries) rate_.resize(entries);
  }

  /// What observe() adds up over one example.
  struct example_sums {
    double norm = 0.0;             // sum (x_i / s_i)^2
    double pred_per_update = 0.0;  // sum x_i^2 r_i
#if defined(__SSE2__)
    // observe_lanes' share, lane by lane (added up once, in total(), not once per four lanes)
    __m128 lanes_norm = _mm_setzero_ps();
    __m128 lanes_pred_per_update = _mm_setzero_ps();
#endif
    double total_norm() const noexcept {
#if defined(__SSE2__)
      return norm + sum_lanes(lanes_norm);
#else
      return norm;
#endif
    }
    double total_pred_per_update() const noexcept {
#if defined(__SSE2__)
      return pred_per_update + sum_lanes(lanes_pred_per_update);
#else
      return pred_per_update;
#endif
    }
  };

  /// Notes coordinate i with value x and squared loss gradient g2 = importance * (dL/dm)^2;
  /// rescales its weight w if x sets a new scale.
  void observe(std::size_t i, std::size_t at, float x, float g2, float& w,
               example_sums& sums) noexcept {
    const auto k = static_cast<Eigen::Index>(i);
    const float ax = std::fabs(x);
    if (ax == 0.0f) {
      rate_[at] = 0.0f;
      return;
    }
    float& s = scale_[k];
    if (ax > s) {
      if (s > 0.0f) w *= s / ax;
      s = ax;
    }
    const float x2 = x * x;
    sums.norm += x2 / (s * s);
    float& acc = g2_[k];
    acc += g2 * x2;
    const float r = acc > 0.0f ? 1.0f / (detail::sqrt_nonnegative(acc) * s) : 0.0f;
    rate_[at] = r;
    sums.pred_per_update += x2 * r;
  }

#if defined(__SSE2__)
  /// observe() on four feature coordinates at once (slots e[j].index + 1 of w, distinct): the
  /// same floats, the square root and divisions four at a time; the example sums keep one partial
  /// sum per lane, added up once in finish() (the same sums to float rounding).
  void observe_lanes(const features::entry* e, std::size_t at, float* w, float g2,
                     example_sums& sums) noexcept {
    const std::size_t k[4] = {e[0].index + std::size_t{1}, e[1].index + std::size_t{1},
                              e[2].index + std::size_t{1}, e[3].index + std::size_t{1}};
    float* scale = scale_.data();
    float* acc = g2_.data();
    const __m128 zero = _mm_setzero_ps(), neg = _mm_set1_ps(-0.0f);
    const __m128 x = detail::lane_values(e);
    const __m128 ax = _mm_andnot_ps(neg, x);
    const __m128 active = _mm_cmpneq_ps(ax, zero);  // x == 0: the coordinate sits out
    __m128 s = _mm_setr_ps(scale[k[0]], scale[k[1]], scale[k[2]], scale[k[3]]);
    const __m128 wider = _mm_cmpgt_ps(ax, s);
    if (_mm_movemask_ps(wider)) {  // a new scale (rare once the scales are known)
      const __m128 rescale = _mm_and_ps(wider, _mm_cmpgt_ps(s, zero));
      __m128 wl = _mm_setr_ps(w[k[0]], w[k[1]], w[k[2]], w[k[3]]);
      wl = _mm_or_ps(_mm_andnot_ps(rescale, wl),
                     _mm_and_ps(rescale, _mm_mul_ps(wl, _mm_div_ps(s, ax))));
      s = _mm_or_ps(_mm_andnot_ps(wider, s), _mm_and_ps(wider, ax));
      alignas(16) float out[2][4];
      _mm_store_ps(out[0], s);
      _mm_store_ps(out[1], wl);
      for (int j = 0; j < 4; ++j) {
        scale[k[j]] = out[0][j];
        w[k[j]] = out[1][j];
      }
    }
    const __m128 x2 = _mm_mul_ps(x, x);
    const __m128 norm = _mm_and_ps(active, _mm_div_ps(x2, _mm_mul_ps(s, s)));
    const __m128 acc_old = _mm_setr_ps(acc[k[0]], acc[k[1]], acc[k[2]], acc[k[3]]);
    const __m128 a =
        _mm_or_ps(_mm_andnot_ps(active, acc_old),
                  _mm_and_ps(active, _mm_add_ps(acc_old, _mm_mul_ps(_mm_set1_ps(g2), x2))));
    const __m128 r = _mm_and_ps(_mm_and_ps(active, _mm_cmpgt_ps(a, zero)),
                                _mm_div_ps(_mm_set1_ps(1.0f), _mm_mul_ps(_mm_sqrt_ps(a), s)));
    sums.lanes_norm = _mm_add_ps(sums.lanes_norm, norm);
    sums.lanes_pred_per_update = _mm_add_ps(sums.lanes_pred_per_update, _mm_mul_ps(x2, r));
    alignas(16) float out[4];
    _mm_store_ps(out, a);
    for (int j = 0; j < 4; ++j) acc[k[j]] = out[j];
    _mm_storeu_ps(rate_.data() + at, r);
  }
  /// apply() on four feature coordinates at once (slots e[j].index + 1 of w, distinct).
  void apply_lanes(const features::entry* e, std::size_t at, float* w, float u,
                   const regularization& r) const noexcept {
    const std::size_t k[4] = {e[0].index + std::size_t{1}, e[1].index + std::size_t{1},
                              e[2].index + std::size_t{1}, e[3].index + std::size_t{1}};
    const float* rate = rate_.data() + at;
    const __m128 rl = _mm_loadu_ps(rate);
    const __m128 x = detail::lane_values(e);
    const __m128 wl = _mm_add_ps(_mm_setr_ps(w[k[0]], w[k[1]], w[k[2]], w[k[3]]),
                                 _mm_mul_ps(_mm_set1_ps(u), _mm_mul_ps(x, rl)));
    alignas(16) float out[4];
    _mm_store_ps(out, wl);
    if (r.l2 > 0.0f || r.l1 > 0.0f) {
      for (int j = 0; j < 4; ++j) {
        const float eta = step_scale_ * rate[j];
        out[j] = r.shrink(out[j] / (1.0f + eta * r.l2), eta);
      }
    }
    for (int j = 0; j < 4; ++j) w[k[j]] = out[j];
  }
  /// The four lanes' sum in double (pairwise: one add per four lanes on the running sum).
  static double sum_lanes(__m128 v) noexcept {
    const __m128d pair = _mm_add_pd(_mm_cvtps_pd(v), _mm_cvtps_pd(_mm_movehl_ps(v, v)));
    return _mm_cvtsd_f64(_mm_add_sd(pair, _mm_unpackhi_pd(pair, pair)));
  }
#endif

  /// Ends the observation of an example with margin m, label y, the loss's descent at the signed
  /// margin (Loss::descent(s m)), importance and the sums of its coordinates; returns the
  /// multiplier u of apply(): the invariant step moves the margin by u * sum x_i^2 r_i.
  template <class Loss>
  float finish(float m, bool y, float descent, float importance,
               const example_sums& sums) noexcept {
    ++t_;
    total_weight_ += importance;
    sum_norm_ += importance * sums.total_norm();
    const double ppu = sums.total_pred_per_update();
    if (ppu <= 0.0 || sum_norm_ <= 0.0) {
      step_scale_ = 0.0f;
      return 0.0f;
    }
    const double multiplier = detail::sqrt_nonnegative(total_weight_ / sum_norm_);
    const double h = static_cast<double>(lr) * importance * multiplier;
    step_scale_ = static_cast<float>(h);
    const double sign = y ? 1.0 : -1.0;
    const double q0 = sign * m;
    return static_cast<float>(sign * h * Loss::invariant_rate(q0, h * ppu, descent));
  }

  /// New value of coordinate i (at position `at` of the example) after the example's step.
  float apply(std::size_t /*i*/, std::size_t at, float w, float x, float u,
              const regularization& r) const noexcept {
    const float rate = rate_[at];
    w += u * (x * rate);  // x * rate is ready before u: one multiply less after it
    if (r.l2 > 0.0f || r.l1 > 0.0f) {
      const float eta = step_scale_ * rate;
      w = r.shrink(w / (1.0f + eta * r.l2), eta);
    }
    return w;
  }

  // --- One averaged gradient (the path of mini-batches) ------------------------------------------
  void begin_update() noexcept {
    ++t_;
  }
  /// Normalised adaptive step on coordinate i with the loss gradient g and feature scale x;
  /// without the invariant correction, which is defined for one example only. L2 is the same
  /// implicit step as apply()'s.
  float step(std::size_t i, float w, float g, float x, const regularization& r) noexcept {
    const auto k = static_cast<Eigen::Index>(i);
    float& s = scale_[k];
    const float ax = std::fabs(x);
    if (ax > s) {
      if (s > 0.0f) w *= s / ax;
      s = ax;
    }
    if (s <= 0.0f) return w;
    float& acc = g2_[k];
    acc += g * g;
    if (acc <= 0.0f) return w;
    const double multiplier =
        sum_norm_ > 0.0 ? detail::sqrt_nonnegative(total_weight_ / sum_norm_) : 1.0;
    const float eta = static_cast<float>(lr * multiplier) / (detail::sqrt_nonnegative(acc) * s);
    return r.shrink((w - eta * g) / (1.0f + eta * r.l2), eta);
  }
  std::uint64_t updates() const noexcept {
    return t_;
  }
  /// rate_ and step_scale_ belong to the example being learned: not state between examples.
  template <class Archive>
  void state(Archive& a) {
    a("lr", lr);
    a("g2", g2_);
    a("scale", scale_);
    a("total_weight", total_weight_);
    a("sum_norm", sum_norm_);
    a("t", t_);
    a.check(scale_.size() == g2_.size(), "g2 and scale differ in size");
  }
};

}  // namespace riptide::learn

// riptide/learn/sgd.hpp: plain stochastic gradient descent, constant or inverse-scaling rate.
//
// w <- w - eta_t * (g + l2 * w), then the L1 soft-threshold by eta_t * l1, with
//   schedule::constant    eta_t = lr
//   schedule::invscaling  eta_t = lr / t^power_t   (t = 1, 2, ... counts updates)
// as scikit-learn's SGDClassifier learning_rate='constant' / 'invscaling' (eta0 = lr).
// Parameters (defaults): lr (0.01), rate (constant), power_t (0.25, sklearn's default).
// Reference: Bottou, "Large-Scale Machine Learning with Stochastic Gradient Descent" (2010).
//
// Example:
//   riptide::learn::sgd opt{.lr = 0.1f, .rate = riptide::learn::sgd::schedule::invscaling};
//   opt.grow(1);
//   opt.begin_update();                      // t = 1: eta = 0.1
//   float w = opt.step(0, 0.0f, 1.0f, 1.0f, {});
//   if (std::fabs(w + 0.1f) > 1e-7f) std::abort();
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "riptide/learn/regularization.hpp"

namespace riptide::learn {

struct sgd {
  enum class schedule : std::uint8_t { constant, invscaling };
  static constexpr const char* name = "sgd";

  float lr = 0.01f;
  schedule rate = schedule::constant;
  float power_t = 0.25f;

  // State (public only so that the parameters above can be set by designated initialisers).
  std::uint64_t t_ = 0;
  float eta_ = 0.0f;

  void grow(std::size_t) noexcept {}
  void begin_update() noexcept {
    ++t_;
    eta_ = rate == schedule::constant
               ? lr
               : static_cast<float>(lr / std::pow(static_cast<double>(t_), power_t));
  }
  /// New value of coordinate i given its gradient g (and feature value x, unused here).
  float step(std::size_t, float w, float g, float, const regularization& r) const noexcept {
    return r.shrink(w - eta_ * (g + r.l2 * w), eta_);
  }
  std::uint64_t updates() const noexcept { return t_; }
  template <class Archive>
  void state(Archive& a) {
    a("lr", lr);
    a("rate", rate);
    a("power_t", power_t);
    a("t", t_);
    a("eta", eta_);
  }
};

}  // namespace riptide::learn

// riptide/learn/irls.hpp: full Newton (IRLS) steps for logistic regression, one per pass.
//
// Online SGD gets within noise of the optimum in one pass, but on correlated features (one-hot
// groups next to the bias, charges that grow with tenure) its later epochs creep. When the feature
// space is small, a pass over the data can instead accumulate the exact gradient and Hessian of
// the L2-penalised log loss at the current weights and take one Newton step: iteratively
// reweighted least squares, the batch solver behind R's glm and Spark MLlib's IRLS. Started from
// the online model, two or three passes reach the batch optimum to many digits.
//   objective = sum_i weight_i * logloss(w.x_i + b, y_i) + n * l2 / 2 * |w|^2   (bias unpenalised)
// so l2 means what it means for the online learners (the per-record penalty of their steps).
// Each step is guarded: when the pass after a step finds a larger objective than before it, the
// step is halved instead of taking a new one (a backtracking line search spread over passes).
// Parameters (defaults): l2 (1e-6: a ridge that keeps collinear one-hot groups solvable),
// max_dimension (1024 weights: the Hessian is max_dimension^2 doubles and O(d^3) to solve).
// Reference: Hastie, Tibshirani, Friedman, The Elements of Statistical Learning, sec. 4.4.1;
// Bishop, Pattern Recognition and Machine Learning, sec. 4.3.3.
//
// Example:
//   auto model = riptide::learn::logistic{riptide::learn::sgd{.lr = 0.1f}};
//   riptide::features::sparse_vector a, b;
//   a.push(0, 1.0f);
//   b.push(0, -1.0f);
//   for (int i = 0; i < 30; ++i) {   // the online pass
//     model.learn_one(a, i % 3 != 0);
//     model.learn_one(b, i % 3 == 0);
//   }
//   riptide::learn::irls newton{{.l2 = 0.01}};
//   for (int pass = 0; pass < 5; ++pass) {   // Newton passes over the same records
//     newton.begin(model.weights());
//     for (int i = 0; i < 30; ++i) {
//       newton.add(a, i % 3 != 0);
//       newton.add(b, i % 3 == 0);
//     }
//     model.assign_weights(newton.step());
//   }
//   if (!(model.predict_proba(a) > 0.6f && model.predict_proba(b) < 0.4f)) std::abort();
#pragma once

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "riptide/features/sparse_vector.hpp"

namespace riptide::learn {

struct irls_options {
  double l2 = 1e-6;
  std::size_t max_dimension = 1024;
};

class irls {
 public:
  explicit irls(irls_options options = {}) : options_(options) {
    if (!(options_.l2 >= 0.0)) throw std::invalid_argument("irls: l2 must be >= 0");
  }

  /// Whether a model with this many weights (bias included) is small enough for Newton steps.
  bool fits(std::size_t weights) const noexcept { return weights <= options_.max_dimension; }

  /// Starts a pass at the model's weights w (slot 0 the bias, slot i + 1 feature i).
  void begin(const Eigen::VectorXf& w) {
    const auto d = static_cast<std::size_t>(w.size());
    if (!fits(d))
      throw std::invalid_argument("irls: " + std::to_string(d) + " weights exceed max_dimension " +
                                  std::to_string(options_.max_dimension));
    w_ = w.cast<double>();
    const auto n = w_.size();
    if (g_.size() != n) {
      g_.resize(n);
      h_.resize(n, n);
    }
    g_.setZero();
    h_.setZero();
    loss_ = 0.0;
    weight_sum_ = 0.0;
  }

  /// Adds one record of the pass (features outside the weights are ignored).
  void add(features::sparse_view x, bool y, double weight = 1.0) noexcept {
    const auto d = static_cast<std::size_t>(w_.size());
    if (d == 0) return;
    double m = w_[0];
    for (const auto& e : x)
      if (std::size_t{e.index} + 1 < d) m += w_[e.index + 1] * e.value;
    const double p = 1.0 / (1.0 + std::exp(-m));
    // log(1 + e^-|m|) + max(m, 0) - y m, stable for any margin
    loss_ += weight * (std::log1p(std::exp(-std::fabs(m))) + std::max(m, 0.0) - (y ? m : 0.0));
    weight_sum_ += weight;
    const double r = weight * (p - (y ? 1.0 : 0.0));
    const double c = weight * p * (1.0 - p);
    // gradient and the upper triangle of the Hessian over the bias and the active features
    g_[0] += r;
    h_(0, 0) += c;
    for (const auto& a : x) {
      const std::size_t i = std::size_t{a.index} + 1;
      if (i >= d) continue;
      g_[static_cast<Eigen::Index>(i)] += r * a.value;
      h_(0, static_cast<Eigen::Index>(i)) += c * a.value;
      for (const auto& b : x) {
        const std::size_t j = std::size_t{b.index} + 1;
        // every ordered pair with j >= i: a coordinate listed twice (hash collisions) then
        // gets its cross terms in both orders, as (v1 + v2)^2 has them
        if (j < i || j >= d) continue;
        h_(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) += c * a.value * b.value;
      }
    }
  }

  /// Ends the pass: the weights after one guarded Newton step.
  Eigen::VectorXf step() {
    const auto n = w_.size();
    if (n == 0) return {};
    const double penalty = weight_sum_ * options_.l2;
    const double objective = loss_ + 0.5 * penalty * w_.tail(n - 1).squaredNorm();
    if (have_previous_ && previous_.size() == n && objective > previous_objective_ * (1 + 1e-12)) {
      // the last step overshot: go back half of it and look again on the next pass
      ++halvings_;
      return (previous_ + 0.5 * (w_ - previous_)).cast<float>();
    }
    Eigen::VectorXd grad = g_;
    grad.tail(n - 1) += penalty * w_.tail(n - 1);
    for (Eigen::Index k = 1; k < n; ++k) h_(k, k) += penalty;
    h_(0, 0) += 1e-12 * weight_sum_;  // an all-zero pass still solves
    Eigen::LDLT<Eigen::MatrixXd, Eigen::Upper> ldlt(h_);
    Eigen::VectorXd delta = ldlt.solve(grad);
    previous_ = w_;
    previous_objective_ = objective;
    have_previous_ = true;
    ++steps_;
    if (ldlt.info() != Eigen::Success || !delta.allFinite()) return w_.cast<float>();
    return (w_ - delta).cast<float>();
  }

  /// The objective (penalised log loss summed over the records) at the weights of the last pass.
  double objective() const noexcept {
    const auto n = w_.size();
    return n ? loss_ + 0.5 * weight_sum_ * options_.l2 * w_.tail(n - 1).squaredNorm() : 0.0;
  }
  std::size_t steps() const noexcept { return steps_; }
  std::size_t halvings() const noexcept { return halvings_; }
  const irls_options& options() const noexcept { return options_; }

 private:
  irls_options options_;
  Eigen::VectorXd w_;
  Eigen::VectorXd g_;
  Eigen::MatrixXd h_;
  double loss_ = 0.0;
  double weight_sum_ = 0.0;
  Eigen::VectorXd previous_;
  double previous_objective_ = 0.0;
  bool have_previous_ = false;
  std::size_t steps_ = 0;
  std::size_t halvings_ = 0;
};

}  // namespace riptide::learn

// riptide/synth/hyperplane.hpp: the rotating hyperplane stream (Hulten, Spencer & Domingos,
// 2001), as River's datasets.synth.Hyperplane.
//
// Features uniform in [0, 1); the label is sum w_i x_i >= 0.5 sum w_i. After every record the
// first n_drift_features weights move by mag_change in their current direction, which reverses
// with probability sigma: a gradual, continuous drift. A fraction noise_percentage of labels is
// flipped (River's test: 0.01 + u <= noise_percentage). Abrupt drift on top: odd concepts
// (next(concept)) turn the hyperplane around, inverting the label before noise. For concept 0
// the stream is River's Hyperplane(seed, n_features, n_drift_features, mag_change,
// noise_percentage, sigma) draw for draw.
//
// Parameters (River's names and defaults; seed: River's None draws entropy, riptide uses 0):
//   n_features = 10, n_drift_features = 2, mag_change = 0.0, noise_percentage = 0.05,
//   sigma = 0.1, seed = 0
//
// Reference: G. Hulten, L. Spencer, P. Domingos. Mining time-changing data streams. KDD 2001.
//
// Example:
//   riptide::synth::hyperplane stream{{.n_features = 2, .mag_change = 0.001, .seed = 42}};
//   int positives = 0;
//   for (int i = 0; i < 1000; ++i) positives += stream.next().y;
//   if (positives < 300 || positives > 700) std::abort();
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "riptide/detail/python_random.hpp"

namespace riptide::synth {

struct hyperplane_options {
  int n_features = 10;
  int n_drift_features = 2;
  double mag_change = 0.0;
  double noise_percentage = 0.05;
  double sigma = 0.1;
  std::int64_t seed = 0;
};

class hyperplane {
 public:
  struct sample {
    std::vector<double> x;
    bool y;
  };

  explicit hyperplane(hyperplane_options options = {}) : opt_(options), rng_(options.seed) {
    if (opt_.n_features < 1) throw std::invalid_argument("hyperplane: n_features must be >= 1");
    if (opt_.n_drift_features < 0 || opt_.n_drift_features > opt_.n_features)
      throw std::invalid_argument("hyperplane: n_drift_features must be in [0, n_features]");
    if (!(opt_.mag_change >= 0.0 && opt_.mag_change <= 1.0) ||
        !(opt_.noise_percentage >= 0.0 && opt_.noise_percentage <= 1.0) ||
        !(opt_.sigma >= 0.0 && opt_.sigma <= 1.0))
      throw std::invalid_argument("hyperplane: mag_change, noise_percentage, sigma in [0, 1]");
    weights_.resize(static_cast<std::size_t>(opt_.n_features));
    for (double& w : weights_) w = rng_.random();
    direction_.assign(weights_.size(), 0.0);
    for (int i = 0; i < opt_.n_drift_features; ++i) direction_[static_cast<std::size_t>(i)] = 1.0;
  }

  /// Fills s with the next record under concept `concept_index` (odd: hyperplane turned around).
  void next(sample& s, std::size_t concept_index = 0) {
    double sum_weights = 0.0;
    for (double w : weights_) sum_weights += w;
    s.x.resize(weights_.size());
    double sum_value = 0.0;
    for (std::size_t i = 0; i < weights_.size(); ++i) {
      s.x[i] = rng_.random();
      sum_value += weights_[i] * s.x[i];
    }
    s.y = sum_value >= sum_weights * 0.5;
    if (concept_index % 2 == 1) s.y = !s.y;
    if (0.01 + rng_.random() <= opt_.noise_percentage) s.y = !s.y;
    for (std::size_t i = 0; i < static_cast<std::size_t>(opt_.n_drift_features); ++i) {
      weights_[i] += direction_[i] * opt_.mag_change;
      if (0.01 + rng_.random() <= opt_.sigma) direction_[i] *= -1;
    }
  }
  sample next(std::size_t concept_index = 0) {
    sample s;
    next(s, concept_index);
    return s;
  }

  const std::vector<double>& weights() const noexcept { return weights_; }

 private:
  hyperplane_options opt_;
  detail::python_random rng_;
  std::vector<double> weights_, direction_;
};

}  // namespace riptide::synth

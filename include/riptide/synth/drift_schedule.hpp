// riptide/synth/drift_schedule.hpp: which concept is active at each record of a synthetic
// stream with known drift points.
//
// Concept 0 is active before the first drift point, concept k after the k-th. With width <= 1
// the switch is abrupt: record t (0-based) belongs to concept k exactly when t >= position_k.
// With a larger width the switch is gradual as in River's ConceptDriftStream: around each
// position p, record t draws the new concept with probability 1 / (1 + exp(-4 (t - p) / width)).
//
// Parameters:
//   positions   0-based indices of the drift points, increasing
//   width = 1   transition width in records (<= 1: abrupt)
//   seed = 0    seed of the generator deciding gradual transitions
//
// Example:
//   riptide::synth::drift_schedule schedule({100, 200});
//   if (schedule.concept_at(99) != 0 || schedule.concept_at(100) != 1) std::abort();
//   if (schedule.concept_at(250) != 2) std::abort();
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

#include "riptide/detail/python_random.hpp"

namespace riptide::synth {

class drift_schedule {
 public:
  explicit drift_schedule(std::vector<std::uint64_t> positions = {}, double width = 1.0,
                          std::int64_t seed = 0)
      : positions_(std::move(positions)), width_(width), rng_(seed) {
    for (std::size_t i = 1; i < positions_.size(); ++i)
      if (positions_[i] <= positions_[i - 1])
        throw std::invalid_argument("drift_schedule: drift points must be increasing");
    if (!(width_ >= 0.0)) throw std::invalid_argument("drift_schedule: width must be >= 0");
  }

  /// Concept of record t; call with t increasing (gradual transitions draw one number per call).
  std::size_t concept_at(std::uint64_t t) {
    std::size_t concept_index = 0;
    for (std::uint64_t p : positions_) {
      if (width_ <= 1.0) {
        if (t < p) break;
      } else {
        const double v = -4.0 * (static_cast<double>(t) - static_cast<double>(p)) / width_;
        const double probability_new = 1.0 / (1.0 + std::exp(v));
        if (!(rng_.random() < probability_new)) break;
      }
      ++concept_index;
    }
    return concept_index;
  }

  const std::vector<std::uint64_t>& positions() const noexcept { return positions_; }

 private:
  std::vector<std::uint64_t> positions_;
  double width_;
  detail::python_random rng_;
};

}  // namespace riptide::synth

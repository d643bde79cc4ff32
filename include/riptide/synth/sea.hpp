// riptide/synth/sea.hpp: the SEA concepts stream (Street & Kim, 2001), as River's
// datasets.synth.SEA.
//
// Three features uniform in [0, 10); only the first two matter: the label is
// x0 + x1 > threshold, with threshold 8, 9, 7 or 9.5 for variants 0 to 3. A fraction `noise` of
// labels is flipped. Drift is a change of variant (next(concept) uses variant
// (variant + concept) % 4). For a fixed variant the stream is River's SEA(variant, noise, seed)
// draw for draw (same CPython generator, same order of draws).
//
// Parameters (River's names and defaults; seed: River's None draws entropy, riptide uses 0):
//   variant = 0    classification function 0..3
//   noise = 0.0    probability of flipping a label
//   seed = 0       random.Random(seed)
//
// Reference: W. N. Street, Y. Kim. A streaming ensemble algorithm (SEA) for large-scale
// classification. KDD 2001.
//
// Example:
//   riptide::synth::sea stream{{.seed = 42}};
//   const auto first = stream.next();  // River: {0: 6.39426, 1: 0.25010, 2: 2.75029} False
//   if (first.y || std::fabs(first.x[0] - 6.39426) > 1e-5) std::abort();
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include "riptide/detail/python_random.hpp"

namespace riptide::synth {

struct sea_options {
  int variant = 0;
  double noise = 0.0;
  std::int64_t seed = 0;
};

class sea {
 public:
  struct sample {
    std::array<double, 3> x;
    bool y;
  };

  explicit sea(sea_options options = {}) : opt_(options), rng_(options.seed) {
    if (opt_.variant < 0 || opt_.variant > 3)
      throw std::invalid_argument("sea: variant must be 0, 1, 2 or 3");
    if (!(opt_.noise >= 0.0 && opt_.noise <= 1.0))
      throw std::invalid_argument("sea: noise must be in [0, 1]");
  }

  static double threshold(int variant) noexcept {
    constexpr double thresholds[] = {8.0, 9.0, 7.0, 9.5};
    return thresholds[variant & 3];
  }

  /// The next record under concept `concept_index` (0: the configured variant).
  sample next(std::size_t concept_index = 0) noexcept {
    sample s;
    for (double& v : s.x) v = rng_.uniform(0, 10);
    const int variant =
        static_cast<int>((static_cast<std::size_t>(opt_.variant) + concept_index) % 4);
    s.y = s.x[0] + s.x[1] > threshold(variant);
    if (opt_.noise != 0.0 && rng_.random() < opt_.noise) s.y = !s.y;
    return s;
  }

 private:
  sea_options opt_;
  detail::python_random rng_;
};

}  // namespace riptide::synth

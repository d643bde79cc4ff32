// riptide/synth/stagger.hpp: the STAGGER concepts stream (Schlimmer & Granger, 1986), as River's
// datasets.synth.STAGGER.
//
// Three categorical features, each uniform over three values: size (small, medium, large),
// color (red, blue, green), shape (circle, square, triangle). Concept 0: size small and color
// red; concept 1: color green or shape circle; concept 2: size medium or large. Drift is a change
// of concept (next(concept) uses function (classification_function + concept) % 3). With
// balance_classes the generator redraws until the label alternates 1, 0, 1, ... For a fixed
// concept the stream is River's STAGGER(classification_function, seed, balance_classes).
//
// Parameters (River's names and defaults; seed: River's None draws entropy, riptide uses 0):
//   classification_function = 0   0, 1 or 2
//   seed = 0                      random.Random(seed)
//   balance_classes = false
//
// Reference: J. C. Schlimmer, R. H. Granger. Incremental learning from noisy data. Machine
// Learning 1(3), 1986.
//
// Example:
//   riptide::synth::stagger stream{{.classification_function = 2, .seed = 112}};
//   const auto first = stream.next();  // River: {'size': 1, 'color': 2, 'shape': 2} 1
//   if (first.size != 1 || first.color != 2 || first.shape != 2 || !first.y) std::abort();
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "riptide/detail/python_random.hpp"

namespace riptide::synth {

struct stagger_options {
  int classification_function = 0;
  std::int64_t seed = 0;
  bool balance_classes = false;
};

class stagger {
 public:
  struct sample {
    int size, color, shape;
    bool y;
  };

  static constexpr std::string_view size_names[] = {"small", "medium", "large"};
  static constexpr std::string_view color_names[] = {"red", "blue", "green"};
  static constexpr std::string_view shape_names[] = {"circle", "square", "triangle"};

  explicit stagger(stagger_options options = {}) : opt_(options), rng_(options.seed) {
    if (opt_.classification_function < 0 || opt_.classification_function > 2)
      throw std::invalid_argument("stagger: classification_function must be 0, 1 or 2");
  }

  static bool label(int function, int size, int color, int shape) noexcept {
    switch (function) {
      case 0:
        return size == 0 && color == 0;
      case 1:
        return color == 2 || shape == 0;
      default:
        return size == 1 || size == 2;
    }
  }

  /// The next record under concept `concept_index` (0: the configured function).
  sample next(std::size_t concept_index = 0) noexcept {
    const int function = static_cast<int>(
        (static_cast<std::size_t>(opt_.classification_function) + concept_index) % 3);
    sample s{};
    for (;;) {
      s.size = static_cast<int>(rng_.randint(0, 2));
      s.color = static_cast<int>(rng_.randint(0, 2));
      s.shape = static_cast<int>(rng_.randint(0, 2));
      s.y = label(function, s.size, s.color, s.shape);
      if (!opt_.balance_classes) break;
      if (next_should_be_zero_ != s.y) {
        next_should_be_zero_ = !next_should_be_zero_;
        break;
      }
    }
    return s;
  }

 private:
  stagger_options opt_;
  detail::python_random rng_;
  bool next_should_be_zero_ = false;
};

}  // namespace riptide::synth
